"""The config's `[intake]`: who is which client, subject keywords, threading, the IMAP mailbox."""

from __future__ import annotations

from sla_cli.config.toml_table import TomlTable
from sla_cli.domain.intake import ImapTerms, IntakeTerms
from sla_cli.domain.text import valid_key
from sla_cli.errors import InputError

INTAKE_KEYS = frozenset({"senders", "priorities", "resume_waiting", "reopen_days",
                         "max_message_mb", "imap"})  # fmt: skip
IMAP_KEYS = frozenset({"host", "port", "user", "folder", "password_env", "password_file",
                       "ca_file"})  # fmt: skip


def intake_terms(t: TomlTable) -> IntakeTerms:
    senders = t.table("senders")
    for address in senders.data:
        key = senders.get(address, str)
        bare = address.strip().lstrip("@")
        if not bare or bare.count("@") > 1 or " " in bare:
            raise senders.fail(address, "an address (name@example.ru) or a domain (example.ru)")
        try:
            valid_key(key)
        except InputError as e:
            raise senders.fail(address, e.message) from None
    words = t.table("priorities")
    for word in words.data:
        words.get(word, str)
        if not word.strip():
            raise words.fail(word, "a keyword of the subject")
    days, size = t.get("reopen_days", int), t.get("max_message_mb", int)
    if not 0 <= days <= 365:
        raise t.fail("reopen_days", f"0 to 365, got {days}")
    if not 1 <= size <= 1024:
        raise t.fail("max_message_mb", f"1 to 1024, got {size}")
    return IntakeTerms(
        senders=tuple((str(a).strip().lower(), str(k).strip().upper())
                      for a, k in senders.data.items()),
        priorities=tuple((str(w), str(p).strip().lower()) for w, p in words.data.items()),
        resume_waiting=t.get("resume_waiting", bool),
        reopen_days=days,
        max_message_bytes=size * 2**20,
        imap=_imap(t.table("imap")),
    )  # fmt: skip


def _imap(t: TomlTable) -> ImapTerms:
    for key in t.data:
        if key not in IMAP_KEYS:
            raise t.fail(key, f"unknown key; known: {', '.join(sorted(IMAP_KEYS))}")
    port = t.get("port", int, 993)
    if not 1 <= port <= 65535:
        raise t.fail("port", f"1 to 65535, got {port}")
    env, file = t.get("password_env", str, ""), t.get("password_file", str, "")
    if env and file:
        raise t.fail("password_env", "give password_env or password_file, not both")
    return ImapTerms(t.get("host", str, ""), port, t.get("user", str, ""),
                     t.get("folder", str, "INBOX"), env, file,
                     t.get("ca_file", str, ""))  # fmt: skip
