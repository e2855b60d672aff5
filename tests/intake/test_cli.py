"""`sla intake` through the CLI: the corpus from a Maildir and from standard input, replies,
pending mail, dry runs, closed months, and runs read twice; on SQLite and PostgreSQL."""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

import pytest

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla

CORPUS = Path(__file__).parent / "mail"
APR20 = {"SLA_NOW": "2026-04-20T12:00:00+03:00"}


def configure(sla: Sla, **intake: Any) -> None:
    doc = default_document()
    doc["intake"]["senders"] = {"acme.ru": "ACME"}
    doc["intake"].update(intake)
    write_config(sla.config, doc, force=True)


def contract(sla: Sla, start: str = "2026-01-01") -> None:
    sla.ok(
        "contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", start, "--months", "12", env=APR20,
    )  # fmt: skip


def maildir(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "Maildir"
    box = mailbox.Maildir(folder, create=True)
    for name in names:
        box.add((CORPUS / name).read_bytes())
    return folder


def incidents(sla: Sla, env: dict[str, str] = APR20) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = sla.ok("incident", "list", "-f", "json", env=env).json()
    return out


def by_key(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in records}


# Each message of the corpus: its outcome and ticket, read together from one Maildir
OUTCOMES = {
    "<koi8-0001@acme.ru>": ("opened", "ACME-1"),  # the earliest written opens first
    "<fwd-chain-1@acme.ru>": ("opened", "ACME-2"),
    "<no-date-1@acme.ru>": ("opened", "ACME-3"),
    "<future-1@acme.ru>": ("opened", "ACME-4"),
    "<A1B2C3D4E5F6@EXCH01.acme.local>": ("opened", "ACME-5"),
    "<5e6f7a8b-1111-2222-3333-444455556666@acme.ru>": ("reply", "ACME-5"),  # References
    "<auto-1@acme.ru>": ("ignored", None),
    "<20260312110200.11AA22@mail.example.ru>": ("ignored", None),
    "<no-from-1@acme.ru>": ("set_aside", None),
    "<broken-1@acme.ru>": ("set_aside", None),
    "<control-1@acme.ru>": ("set_aside", None),
}


def test_the_corpus_from_a_maildir_acts_once(ledger_sla: Sla, tmp_path: Path) -> None:
    configure(ledger_sla)
    contract(ledger_sla)
    folder = maildir(tmp_path, sorted(p.name for p in CORPUS.glob("*.eml")))
    r = ledger_sla("intake", "--maildir", str(folder), "-f", "json", env=APR20)
    assert r.exit_code == 1, r.stderr  # some were set aside
    found = by_key(r.json())
    assert {k: (v["outcome"], v["ticket"]) for k, v in found.items() if k in OUTCOMES} == OUTCOMES
    (unknown,) = [v for k, v in found.items() if k not in OUTCOMES]
    assert (unknown["outcome"], unknown["reason"]) == ("pending", "unknown sender")
    assert found["<no-from-1@acme.ru>"]["reason"] == "no From address"
    opened = {i["ticket"]: i for i in incidents(ledger_sla)}
    assert sorted(opened) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4", "ACME-5"]
    assert opened["ACME-3"]["opened_at"] == "2026-03-13T10:15:00+03:00"  # no Date: first hop
    assert opened["ACME-4"]["opened_at"] == "2026-03-13T11:00:00+03:00"  # a week ahead: hop
    again = ledger_sla("intake", "--maildir", str(folder), "-f", "json", env=APR20)
    assert again.exit_code == 0
    assert {v["outcome"] for v in again.json()} == {"seen"}
    assert len(incidents(ledger_sla)) == 5
    table = ledger_sla.ok("intake", "--maildir", str(folder), env=APR20)
    assert "12 message(s) read, 12 of them before: nothing to do." in table.text


def test_a_friday_evening_mail_read_on_monday_starts_the_clock_on_friday(sla: Sla) -> None:
    configure(sla)
    contract(sla)
    monday = {"SLA_NOW": "2026-04-13T10:00:00+03:00"}
    raw = (CORPUS / "outlook_new.eml").read_bytes()
    r = sla.ok("intake", env=monday, input=raw)
    assert "opened" in r.text and "ACME-1" in r.text
    (i,) = incidents(sla, monday)
    assert i["opened_at"] == "2026-04-10T18:40:12+03:00"
    # 20 minutes on Friday, 100 on Monday: not the fetch time plus two hours (12:00)
    assert i["reaction_due"] == "2026-04-13T10:40:12+03:00"
    assert sla.ok("intake", env=monday, input=raw).text.count("before") == 1


def _reply(ticket: str, when: str, message_id: str) -> bytes:
    return (
        f"Received: from mx.acme.ru by mail.example.ru; {when}\r\n"
        f"From: ivanov@acme.ru\r\nSubject: RE: [{ticket}] still broken\r\n"
        f"Date: {when}\r\nMessage-ID: <{message_id}>\r\n\r\nStill.\r\n"
    ).encode()


def test_a_reply_resumes_a_waiting_incident_and_reopens_a_resolved_one(ledger_sla: Sla) -> None:
    configure(ledger_sla, reopen_days=3)
    contract(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-7", "--at", "2026-04-14 10:00", env=APR20)
    ledger_sla.ok("incident", "wait", "ACME-7", "--at", "2026-04-14 11:00", env=APR20)
    r = ledger_sla.ok(
        "intake",
        "-f",
        "json",
        env=APR20,
        input=_reply("ACME-7", "Tue, 14 Apr 2026 12:00:00 +0300", "r1@acme.ru"),
    )
    assert [(x["outcome"], x["ticket"]) for x in r.json()] == [("resumed", "ACME-7")]
    ledger_sla.ok("incident", "resolve", "ACME-7", "--at", "2026-04-14 13:00", env=APR20)
    r = ledger_sla.ok(
        "intake",
        "-f",
        "json",
        env=APR20,
        input=_reply("ACME-7", "Wed, 15 Apr 2026 10:00:00 +0300", "r2@acme.ru"),
    )
    assert [(x["outcome"], x["ticket"]) for x in r.json()] == [("reopened", "ACME-7")]
    assert incidents(ledger_sla)[0]["resolved_at"] is None
    ledger_sla.ok("incident", "resolve", "ACME-7", "--at", "2026-04-15 11:00", env=APR20)
    r = ledger_sla.ok(
        "intake",
        "-f",
        "json",
        env=APR20,  # 5 days later: a new request
        input=_reply("ACME-7", "Mon, 20 Apr 2026 10:00:00 +0300", "r3@acme.ru"),
    )
    assert [(x["outcome"], x["ticket"]) for x in r.json()] == [("opened", "ACME-8")]
    r = ledger_sla.ok(
        "intake",
        "-f",
        "json",
        env=APR20,  # a reply on an open one: recorded
        input=_reply("ACME-8", "Mon, 20 Apr 2026 11:00:00 +0300", "r4@acme.ru"),
    )
    assert [(x["outcome"], x["ticket"]) for x in r.json()] == [("reply", "ACME-8")]
    assert len(incidents(ledger_sla)) == 2


def test_unknown_senders_wait_to_be_assigned_or_dismissed(ledger_sla: Sla, tmp_path: Path) -> None:
    configure(ledger_sla)
    contract(ledger_sla)
    folder = maildir(tmp_path, ["unknown_sender.eml", "no_from.eml"])
    assert ledger_sla("intake", "--maildir", str(folder), env=APR20).exit_code == 1
    waiting = ledger_sla.ok("intake", "--pending", "-f", "json", env=APR20).json()
    assert [(w["sender"], w["reason"]) for w in waiting] == [  # in the order written
        (None, "no From address"), ("someone@other.example", "unknown sender")]  # fmt: skip
    assert "someone@other.example" in ledger_sla.ok("intake", "--pending", env=APR20).text
    second, first = (w["id"] for w in waiting)
    r = ledger_sla.ok("intake", "--assign", str(first), "--client", "ACME", env=APR20)
    assert r.text.strip() == f"message {first} assigned: opened ACME-1"
    (i,) = incidents(ledger_sla)
    assert i["opened_at"] == "2026-03-13T12:00:00+03:00"
    ledger_sla.ok("intake", "--dismiss", str(second), env=APR20)
    assert ledger_sla.ok("intake", "--pending", "-f", "json", env=APR20).json() == []
    again = ledger_sla("intake", "--dismiss", str(first), env=APR20)
    assert again.exit_code == 2 and f"message {first} was decided already: ACME" in again.stderr


def test_a_dry_run_records_nothing(sla: Sla, tmp_path: Path) -> None:
    configure(sla)
    contract(sla)
    folder = maildir(tmp_path, ["outlook_new.eml", "thunderbird_reply.eml"])
    r = sla.ok("intake", "--maildir", str(folder), "--dry-run", env=APR20)
    assert "Dry run: nothing recorded" in r.text
    r = sla.ok("intake", "--maildir", str(folder), "--dry-run", "-f", "json", env=APR20)
    # the reply threads onto the request it would open
    assert [(x["outcome"], x["ticket"]) for x in r.json()] == [("opened", "ACME-1"),
                                                               ("reply", "ACME-1")]  # fmt: skip
    assert incidents(sla) == []
    r = sla.ok("intake", "--maildir", str(folder), "-f", "json", env=APR20)
    assert [x["outcome"] for x in r.json()] == ["opened", "reply"]


def test_mail_dated_in_a_closed_month_is_set_aside(sla: Sla, tmp_path: Path) -> None:
    configure(sla)
    contract(sla)
    sla.ok("rollover", "--month", "2026-03", env=APR20)
    r = sla("intake", "-f", "json", env=APR20, input=(CORPUS / "koi8_reply.eml").read_bytes())
    assert r.exit_code == 1
    (x,) = r.json()
    assert x["outcome"] == "set_aside" and "closed" in x["reason"]
    assert incidents(sla) == []
    assert [w["reason"] for w in sla.ok("intake", "--pending", "-f", "json", env=APR20).json()
            ] == [x["reason"]]  # fmt: skip


def test_no_contract_that_day_sets_it_aside(sla: Sla) -> None:
    configure(sla)
    contract(sla, start="2026-04-01")
    r = sla("intake", "-f", "json", env=APR20, input=(CORPUS / "koi8_reply.eml").read_bytes())
    assert r.exit_code == 1
    assert "no contract active on 2026-03-11" in r.json()[0]["reason"]


@pytest.mark.parametrize(
    ("intake", "problem"),
    [
        ({"reopen_days": -1}, "intake.reopen_days: 0 to 365"),
        ({"senders": {"acme.ru": "ac-me"}}, "intake.senders.acme.ru"),
        ({"imap": {"password": "x"}}, "intake.imap.password: unknown key"),
        ({"imap": {"password_env": "A", "password_file": "b"}}, "not both"),
    ],
)
def test_bad_intake_config_is_named(sla: Sla, intake: dict[str, Any], problem: str) -> None:
    configure(sla, **intake)
    r = sla("intake", "--pending")
    assert r.exit_code == 2 and problem in r.stderr


def urgent_config(sla: Sla) -> None:
    """Variant 1 with an urgent priority, and «срочно» in a subject asking for it."""
    doc = default_document()
    doc["intake"]["senders"] = {"acme.ru": "ACME"}
    doc["intake"]["priorities"] = {"срочно": "urgent", "help": "urgent"}
    doc["variants"]["1"]["priorities"] = [
        {"key": "normal", "reaction_hours": 2, "start_hours": 4},
        {"key": "urgent", "reaction_hours": 0.5, "start_hours": 1},
    ]
    write_config(sla.config, doc, force=True)


def test_a_subject_keyword_sets_the_priority_and_the_channel_shows(ledger_sla: Sla) -> None:
    urgent_config(ledger_sla)
    contract(ledger_sla)
    monday = {"SLA_NOW": "2026-04-13T10:00:00+03:00"}
    raw = (CORPUS / "outlook_new.eml").read_bytes()  # «Срочно: не работает сайт», Friday 18:40
    ledger_sla.ok("intake", env=monday, input=raw)
    ledger_sla.ok("incident", "open", "ACME-9", "--at", "2026-04-13 09:00", env=monday)
    mailed, typed = incidents(ledger_sla, monday)
    assert (mailed["ticket"], mailed["priority"]) == ("ACME-1", "urgent")
    # half an hour of business time: 20 minutes on Friday, 10 on Monday
    assert mailed["reaction_due"] == "2026-04-13T09:10:12+03:00"
    assert (mailed["channel"], mailed["mail_from"]) == ("mail", "ivanov@acme.ru")
    assert (typed["priority"], typed["channel"], typed["mail_from"]) == ("normal", None, None)
    table = ledger_sla.ok("incident", "list", env=monday).text
    assert "e-mail" in table.split("ACME-9")[0] and "e-mail" not in table.split("ACME-9")[1]
    report = ledger_sla.ok("report", "--month", "2026-04", "-f", "json", env=monday).json()
    (statement,) = report["statements"]
    assert {i["ticket"]: i["channel"] for i in statement["incidents"]} == {
        "ACME-1": "mail", "ACME-9": None}  # fmt: skip
    md = ledger_sla.ok("report", "--month", "2026-04", "-f", "md", env=monday).text
    assert "не работает сайт (обращение по e-mail)" in md
    assert md.count("обращение по e-mail") == 1


def test_an_assigned_message_takes_its_priority_from_the_subject(ledger_sla: Sla) -> None:
    urgent_config(ledger_sla)
    contract(ledger_sla)
    raw = (CORPUS / "unknown_sender.eml").read_bytes()  # "Can you help?" from another domain
    assert ledger_sla.ok("intake", "-f", "json", env=APR20, input=raw).json()[0]["outcome"] == (
        "pending"
    )
    (waiting,) = ledger_sla.ok("intake", "--pending", "-f", "json", env=APR20).json()
    ledger_sla.ok("intake", "--assign", str(waiting["id"]), "--client", "ACME", env=APR20)
    (i,) = incidents(ledger_sla)
    assert (i["ticket"], i["priority"], i["channel"]) == ("ACME-1", "urgent", "mail")
    assert i["mail_from"] == "someone@other.example"
    assert i["reaction_due"] == "2026-03-13T12:30:00+03:00"
