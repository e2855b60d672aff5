"""Rules for text people type: client keys, tickets, and the sizes the ledger keeps.

Typed text reaches terminals, spreadsheets and other people's screens, so it may hold no
control character: no C0 or C1 code (ESC, newline, tab, carriage return, DEL, …), no line or
paragraph separator, and no bidirectional override that would make text read differently
from how it is stored.
"""

from __future__ import annotations

import re

from sla_cli.errors import InputError

__all__ = [
    "INVISIBLE",
    "MAX_KEY",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_TICKET",
    "MAX_TITLE",
    "MAX_USER",
    "check_author",
    "check_length",
    "check_name",
    "check_text",
    "control_character",
    "name_key",
    "normalise_ticket",
    "not_utf8",
    "ticket_key",
    "valid_key",
    "visible",
]

MAX_KEY, MAX_NAME, MAX_USER, MAX_TICKET, MAX_NOTE, MAX_TITLE = 32, 200, 100, 64, 1000, 500


def check_length(value: str | None, limit: int, what: str) -> None:
    """The ledger's columns have sizes: say so before the database does."""
    if value is not None and len(value) > limit:
        raise InputError(f"{what} is {len(value)} characters long; at most {limit} fit")


# C0 and C1 control codes and DEL (Unicode's category Cc); bidirectional embeddings,
# overrides and isolates; line and paragraph separators.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOWN_INSTEAD = "\ufffd"


def control_character(value: str) -> int | None:
    """The position of the first character typed text may not hold, or None."""
    found = CONTROL.search(value)
    return None if found is None else found.start()


def not_utf8(value: str) -> bool:
    """Whether ``value`` holds bytes that were not UTF-8 (Python keeps them as lone surrogates
    when it reads the command line or the environment)."""
    return _SURROGATE.search(value) is not None


def visible(value: str, keep: str = "\n") -> str:
    """``value`` with any control character but those in ``keep`` (a newline) shown as U+FFFD:
    for printing text written before these rules (or by other tools) where a terminal would
    obey it."""
    if control_character(value) is None and not not_utf8(value):
        return value
    value = _SURROGATE.sub(_SHOWN_INSTEAD, value)
    return CONTROL.sub(lambda m: m[0] if m[0] in keep else _SHOWN_INSTEAD, value)


def check_text(value: str | None, limit: int, what: str) -> None:
    """Typed text: no control character, and no longer than its column.

    The message names the character by its code, never printing it: an ESC sequence in an
    error would reach the terminal just the same.
    """
    if value is None:
        return
    if not_utf8(value):
        raise InputError(f"{what} is not UTF-8 text; check the terminal's or the file's encoding")
    at = control_character(value)
    if at is not None:
        raise InputError(
            f"{what} holds a control character (U+{ord(value[at]):04X} at position {at + 1}); "
            "type plain text on one line"
        )
    check_length(value, limit, what)


# Characters that show nothing, so that two names look alike and differ: format characters
# (zero-width spaces and joiners, the word joiner, the byte order mark, soft hyphens, marks of
# direction), variation selectors, tags, and fillers that print as blanks.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def check_name(value: str, limit: int, what: str) -> str:
    """A name people tell apart by sight (a client's, an author's, a ticket): typed text
    without invisible characters (the message names the code point), NFKC-normalised so
    that a full-width or compatibility form is its plain letter, without surrounding blanks."""
    check_text(value, limit, what)
    if value.isascii():
        return value.strip()
    hidden = INVISIBLE.search(value)
    if hidden is not None:
        raise InputError(
            f"{what} holds an invisible character (U+{ord(hidden[0]):04X} at position "
            f"{hidden.start() + 1}), which would make two names look alike; type it without"
        )
    import unicodedata

    normal = unicodedata.normalize("NFKC", value).strip()
    for i, c in enumerate(normal[1:], 1):  # a mark on a plain letter or digit: `5` + U+0300
        if normal[i - 1].isascii() and unicodedata.category(c) in ("Mn", "Me"):
            raise InputError(
                f"{what} holds a combining mark (U+{ord(c):04X} at position {i + 1}) on "
                f"{normal[i - 1]!r}, which would make it look like another; type it without"
            )
    check_length(normal, limit, what)
    return normal


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, case folded, blanks collapsed."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def check_author(name: str) -> str:
    """Who writes an entry (``--by``, ``SLA_USER`` or the operating-system user): a name,
    NFKC-normalised, without surrounding blanks or invisible characters; blank is refused
    (every entry records who)."""
    stripped = check_name(name, MAX_USER, "the author's name")
    if not stripped:
        raise InputError("the author's name is blank; give --by NAME or set SLA_USER")
    return stripped


_KEY = re.compile(r"[A-Z][A-Z0-9_]*")


def valid_key(key: str) -> str:
    """A client key: ASCII letters, digits and ``_``, starting with a letter; upper case.
    Anything else (a Cyrillic or full-width letter that looks like a Latin one, a dash, which
    ends the key in a ticket) is refused, naming the character."""
    typed = key.strip()
    k = typed.upper() if typed.isascii() else typed  # `K` (Kelvin) or `ı` must not become ASCII
    if not k or len(k) > MAX_KEY or not _KEY.fullmatch(k):
        bad = next((c for c in k if not (c.isascii() and (c.isalnum() or c == "_"))), None)
        why = f": {key!r} holds U+{ord(bad):04X}" if bad is not None else f", not {key!r}"
        raise InputError(
            f"a client key is ASCII letters, digits and _, starting with a letter, at most "
            f"{MAX_KEY} characters{why}"
        )
    return k


def normalise_ticket(ticket: str) -> str:
    """``acme-12`` is ``ACME-12``: the key part of a ticket is upper case, like client keys;
    a full-width ``ＡＣＭＥ-１２`` is ``ACME-12``, and an invisible character is refused."""
    raw = check_name(ticket, MAX_TICKET, "the ticket")
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
