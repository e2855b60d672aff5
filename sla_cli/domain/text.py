"""Rules for text people type: client keys, tickets, and the sizes the ledger keeps."""

from __future__ import annotations

from sla_cli.errors import InputError

__all__ = [
    "MAX_KEY",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_TICKET",
    "MAX_TITLE",
    "MAX_USER",
    "check_length",
    "normalise_ticket",
    "ticket_key",
    "valid_key",
]

MAX_KEY, MAX_NAME, MAX_USER, MAX_TICKET, MAX_NOTE, MAX_TITLE = 32, 200, 100, 64, 1000, 500


def check_length(value: str | None, limit: int, what: str) -> None:
    """The ledger's columns have sizes: say so before the database does."""
    if value is not None and len(value) > limit:
        raise InputError(f"{what} is {len(value)} characters long; at most {limit} fit")


def valid_key(key: str) -> str:
    """A client key: letters, digits and ``_``, starting with a letter; upper case."""
    k = key.strip().upper()
    if not k or not k.replace("_", "").isalnum() or not k[0].isalpha() or len(k) > MAX_KEY:
        raise InputError(f"a client key is letters and digits, starting with a letter: not {key!r}")
    return k


def normalise_ticket(ticket: str) -> str:
    """``acme-12`` is ``ACME-12``: the key part of a ticket is upper case, like client keys."""
    raw = ticket.strip()
    head, sep, tail = raw.partition("-")
    if sep and head.replace("_", "").isalnum():
        return f"{head.upper()}-{tail}"
    return raw


def ticket_key(ticket: str) -> str | None:
    """The client key a ticket names (``ACME`` of ``ACME-12``), or None when it names none."""
    head, sep, tail = ticket.partition("-")
    if not sep or not head or not tail.strip():
        return None
    return head.upper()
