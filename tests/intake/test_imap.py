"""`sla intake --imap` against a real Dovecot on loopback over TLS: messages are fetched
without being marked read, and flagged seen only once the ledger committed what they did."""

from __future__ import annotations

import imaplib
from pathlib import Path

from tests.conftest import Sla
from tests.intake.dovecot import PASSWORD, USER, Dovecot
from tests.intake.test_cli import APR20, CORPUS, configure, contract, incidents

NAMES = ["outlook_new.eml", "thunderbird_reply.eml", "unknown_sender.eml", "no_from.eml"]


def deliver(server: Dovecot, names: list[str]) -> None:
    box = server.client()
    assert isinstance(box, imaplib.IMAP4)
    for name in names:
        box.append('"INBOX"', None, None, (CORPUS / name).read_bytes())
    box.logout()


def flags(server: Dovecot) -> list[str]:
    box = server.client()
    assert isinstance(box, imaplib.IMAP4)
    box.select('"INBOX"')
    _, data = box.uid("FETCH", "1:*", "(FLAGS)")
    box.logout()
    return sorted(d.decode() for d in data if isinstance(d, bytes))


def imap_config(sla: Sla, server: Dovecot, **imap: str | int) -> dict[str, str]:
    configure(sla, imap={"host": "127.0.0.1", "port": server.port, "user": USER,
                         "password_env": "SLA_IMAP_PASSWORD", "ca_file": str(server.cert),
                         **imap})  # fmt: skip
    return {**APR20, "SLA_IMAP_PASSWORD": PASSWORD}


def test_imap_mail_is_flagged_seen_once_recorded(sla: Sla, dovecot: Dovecot) -> None:
    env = imap_config(sla, dovecot)
    contract(sla)
    deliver(dovecot, NAMES)
    dry = sla("intake", "--imap", "--dry-run", "-f", "json", env=env)
    assert dry.exit_code == 1, dry.stderr  # the message without a From is set aside
    assert all("SlaIntake" not in f and "Seen" not in f for f in flags(dovecot))
    assert incidents(sla) == []
    r = sla("intake", "--imap", "-f", "json", env=env)
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert sorted(x["outcome"] for x in r.json()) == ["opened", "pending", "reply", "set_aside"]
    assert all("\\Seen" in f and "$SlaIntake" in f for f in flags(dovecot))
    (i,) = incidents(sla)
    assert i["opened_at"] == "2026-04-10T18:40:12+03:00"
    again = sla.ok("intake", "--imap", "-f", "json", env=env)
    assert again.json() == []  # nothing left to take: nothing fetched


def test_a_wrong_password_reads_nothing_and_never_prints_it(sla: Sla, dovecot: Dovecot) -> None:
    env = {**imap_config(sla, dovecot), "SLA_IMAP_PASSWORD": "not-the-password"}
    r = sla("intake", "--imap", env=env)
    assert r.exit_code == 75
    assert "login was refused" in r.stderr and "not-the-password" not in r.stderr + r.stdout


def test_the_password_from_a_file_only_its_owner_reads(
    sla: Sla,
    dovecot: Dovecot,
    tmp_path: Path,
) -> None:
    secret = tmp_path / "imap-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o644)
    imap_config(sla, dovecot, password_env="", password_file=str(secret))
    contract(sla)
    r = sla("intake", "--imap", env=APR20)
    assert r.exit_code == 2 and "chmod 600" in r.stderr
    secret.chmod(0o600)
    deliver(dovecot, ["outlook_new.eml"])
    assert sla("intake", "--imap", env=APR20).exit_code == 0
