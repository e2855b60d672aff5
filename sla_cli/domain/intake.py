"""Client mail as the intake reads it: who wrote, when, about what, in reply to what.

Pure rules over one RFC 5322 message (the standard library's ``email`` package, policy
``default``): no mailbox, no ledger. ``read_mail`` turns the bytes into a ``Mail`` (or says why
the message is set aside), ``written_at`` decides the moment the client wrote, ``ticket_tag``,
``clean_title`` and ``priority_of`` read the subject, ``client_of`` maps the sender to a client.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sla_cli.domain.text import CONTROL, MAX_TITLE

MAX_MESSAGE_BYTES = 25 * 2**20  # a message larger than this is set aside, unread
MAX_SUBJECT = MAX_TITLE
DATE_BEFORE_HOP = timedelta(days=1)  # a Date this long before the first hop is not trusted
_TAG = re.compile(r"\[\s*([A-Za-z][A-Za-z0-9_]{0,31}-\d{1,9})\s*\]")
# Reply and forward prefixes of common mail programs, in English and Russian
_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|tr|sv|vs|отв|ответ|пересл|переслать|на)\s*(\[\d+\]|\(\d+\))?\s*:\s*)+",
    re.IGNORECASE,
)
_ID = re.compile(r"<[^<>\s]+>")
_AUTO_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply")


class Mail(NamedTuple):
    """One message as the intake needs it (its body is never kept)."""

    key: str  # what makes it once: its Message-ID, or a digest of its headers without one
    message_id: str | None
    sender: str | None  # the From address, lower case
    subject: str  # decoded, control characters as blanks
    date: datetime | None  # its Date header, when it parses and has a zone
    first_hop: datetime | None  # the earliest Received: stamp (the first server it reached)
    refers_to: tuple[str, ...]  # Message-IDs of In-Reply-To and References, nearest first
    automatic: str | None  # why it is an auto-reply or a bounce, or None
    problem: str | None  # why it cannot be read, or None


def read_mail(raw: bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> Mail:
    """The message in ``raw``; a message the intake cannot act on carries its ``problem``."""
    key = mail_key(raw)
    if len(raw) > max_bytes:
        size = f"{len(raw) // 2**20} MB, over the limit of {max_bytes // 2**20} MB"
        return Mail(key, None, None, "", None, None, (), None, size)
    from email import message_from_bytes
    from email.policy import default

    msg = message_from_bytes(raw, policy=default)
    problem: str | None = None
    ids = _ID.findall(_header(msg, "Message-ID") or "")
    message_id = ids[0] if ids and len(ids[0]) <= MAX_ID else None
    sender = _sender(msg)
    subject = _subject(_header(msg, "Subject") or "")
    if sender is None:
        problem = "no From address"
    elif broken := _broken(msg):
        problem = f"broken MIME ({broken})"
    elif _header(msg, "Subject") and not subject:
        problem = "a subject of control characters only"
    return Mail(key, message_id, sender, subject, _date(msg), _first_hop(msg), _refers(msg),
                _automatic(msg, sender), problem)  # fmt: skip


MAX_ID = 250  # a longer Message-ID is known by its digest
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_MESSAGE_ID = re.compile(rb"(?im)^message-id[ \t]*:(.*)$")


def mail_key(raw: bytes) -> str:
    """What makes a message once: its Message-ID, else a digest of its headers. Read from the
    header lines alone, so that knowing whether a message was read costs no parsing."""
    end = _HEAD_END.search(raw)
    head = raw[: end.start()] if end else raw[:65536]
    found = _MESSAGE_ID.search(_FOLD.sub(b" ", head))
    ids = _ID.findall(found[1].decode("utf-8", "replace")) if found else []
    if ids and len(ids[0]) <= MAX_ID:
        return str(ids[0])
    return "sha256:" + hashlib.sha256(head).hexdigest()


def _header(msg: object, name: str) -> str | None:
    from email.message import EmailMessage

    assert isinstance(msg, EmailMessage)
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError, LookupError):
        return None
    return None if value is None else str(value)


_BROKEN = frozenset({"NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect",
                     "CloseBoundaryNotFoundDefect", "MultipartInvariantViolationDefect",
                     "InvalidMultipartContentTransferEncodingDefect"})  # fmt: skip


def _broken(msg: object) -> str | None:
    """The first defect of the message's structure the parser found, or None."""
    from email.message import EmailMessage

    assert isinstance(msg, EmailMessage)
    for part in msg.walk():
        for defect in getattr(part, "defects", ()):
            if type(defect).__name__ in _BROKEN:
                return type(defect).__name__
    return None


def _sender(msg: object) -> str | None:
    from email.utils import getaddresses

    value = _header(msg, "From")
    if not value:
        return None
    found = [a for _, a in getaddresses([value]) if "@" in a]
    return found[0].strip().lower() if found else None


def _subject(value: str) -> str:
    """The decoded subject on one line: control characters as blanks, blanks collapsed."""
    return " ".join(CONTROL.sub(" ", value).split())[:MAX_SUBJECT]


def _stamp(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        found = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if found is None or found.tzinfo is None:
        return None
    return found.astimezone(UTC)


def _date(msg: object) -> datetime | None:
    value = _header(msg, "Date")
    return None if not value else _stamp(value)


def _first_hop(msg: object) -> datetime | None:
    """The stamp of the last ``Received:`` header: the first server the message reached."""
    from email.message import EmailMessage

    assert isinstance(msg, EmailMessage)
    for value in reversed(msg.get_all("Received") or []):
        _, _, when = str(value).rpartition(";")
        stamp = _stamp(when) if when else None
        if stamp is not None:
            return stamp
    return None


def _refers(msg: object) -> tuple[str, ...]:
    reply = _ID.findall(_header(msg, "In-Reply-To") or "")
    refs = list(reversed(_ID.findall(_header(msg, "References") or "")))
    out: list[str] = []
    for i in (*reply, *refs):
        if i not in out:
            out.append(i)
    return tuple(out)


def _automatic(msg: object, sender: str | None) -> str | None:
    """Why the message is an auto-reply or a bounce (RFC 3834, RFC 3464), or None."""
    from email.message import EmailMessage

    assert isinstance(msg, EmailMessage)
    auto = (_header(msg, "Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = (_header(msg, "Precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond"):
        value = (_header(msg, name) or "").strip().lower()
        if value:
            return f"{name}: {value}"
    if msg.get_content_type() == "multipart/report":
        return "a delivery status report"
    local = (sender or "").partition("@")[0]
    if local in _AUTO_SENDERS:
        return f"sent by {local}"
    return None


def written_at(mail: Mail, now: datetime) -> datetime:
    """When the client wrote: the message's ``Date``, unless it is after the first hop, more
    than a day before it, or in the future; then the first hop; never later than ``now``."""
    hop = mail.first_hop if mail.first_hop is not None and mail.first_hop <= now else None
    date = mail.date
    if date is not None and date > now:
        date = None
    if date is not None and hop is not None and not hop - DATE_BEFORE_HOP <= date <= hop:
        date = None
    found = date or hop or now
    return min(found, now).replace(microsecond=0)


def ticket_tag(subject: str) -> str | None:
    """The ticket the subject names in brackets (``[ACME-12]``), upper case, or None."""
    found = _TAG.search(subject)
    return None if found is None else found[1].upper()


def clean_title(subject: str) -> str:
    """The subject without reply and forward prefixes and without the ticket tag."""
    title = _TAG.sub(" ", subject)
    while True:
        stripped = _PREFIX.sub("", title).strip()
        if stripped == title.strip():
            break
        title = stripped
    return " ".join(title.split()) or "(no subject)"


def priority_of(subject: str, keywords: Mapping[str, str]) -> str | None:
    """The priority the first keyword found in the subject names (case folded), or None."""
    folded = subject.casefold()
    for word, priority in keywords.items():
        if word.casefold() in folded:
            return priority
    return None


def client_of(sender: str | None, senders: Mapping[str, str]) -> str | None:
    """The client key the sender's address maps to, or its domain (or a parent domain)."""
    if not sender:
        return None
    found = {k.strip().lower().lstrip("@"): v for k, v in senders.items()}
    if sender in found:
        return found[sender].upper()
    domain = sender.rpartition("@")[2]
    while domain:
        if domain in found:
            return found[domain].upper()
        domain = domain.partition(".")[2]
    return None


class ImapTerms(NamedTuple):
    """Where `sla intake --imap` reads: a mailbox over TLS; the password from the variable
    ``password_env`` or the file ``password_file`` (0600), never from the config itself."""

    host: str = ""
    port: int = 993
    user: str = ""
    folder: str = "INBOX"
    password_env: str = ""
    password_file: str = ""
    ca_file: str = ""  # a CA bundle to trust besides the system's (a private server's)


class IntakeTerms(NamedTuple):
    """The config's ``[intake]``."""

    senders: tuple[tuple[str, str], ...] = ()  # address or domain, client key
    priorities: tuple[tuple[str, str], ...] = ()  # subject keyword, priority key
    resume_waiting: bool = True  # a client's reply resumes an incident waiting for the client
    reopen_days: int = 7  # a reply this many days after the resolution reopens it; 0: never
    max_message_bytes: int = MAX_MESSAGE_BYTES
    imap: ImapTerms = ImapTerms()


class Outcome(NamedTuple):
    """What the intake did with one message."""

    source: str  # where it was read: "stdin", a Maildir key, an IMAP UID
    key: str
    sender: str | None
    subject: str
    written_at: datetime | None
    outcome: str  # opened, reply, resumed, reopened, pending, ignored, set_aside, seen
    reason: str | None = None
    client: str | None = None
    ticket: str | None = None

    @property
    def handled(self) -> bool:
        return self.outcome != "set_aside"


OUTCOMES = ("opened", "reply", "resumed", "reopened", "pending", "ignored", "set_aside", "seen")
