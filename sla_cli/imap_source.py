"""Reading an IMAP mailbox over TLS (the standard library's ``imaplib``) for `sla intake`.

Messages not yet taken (without the keyword ``$SlaIntake``) are fetched with ``BODY.PEEK[]``,
which leaves them unread; each is flagged ``\\Seen`` and ``$SlaIntake`` only once the ledger
committed what it did, so a run that dies leaves it to the next. The password comes from a
variable or a file only its owner can read, and no message ever prints it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sla_cli.domain.intake import ImapTerms
from sla_cli.errors import InputError, SlaError
from sla_cli.files import read_secret

if TYPE_CHECKING:
    import imaplib

TAKEN = "$SlaIntake"
TIMEOUT_SECONDS = 60


class MailboxUnavailable(SlaError):
    """The mailbox could not be reached or refused the login: nothing was read (exit 75)."""

    exit_code = 75


def imap_password(terms: ImapTerms) -> str:
    """The password: from the variable ``password_env``, or the 0600 file ``password_file``."""
    if terms.password_env:
        found = os.environ.get(terms.password_env, "")
        if not found:
            raise InputError(f"intake.imap: the variable {terms.password_env} is not set")
        return found
    if not terms.password_file:
        raise InputError("intake.imap: give password_env or password_file")
    return read_secret(terms.password_file, "intake.imap")


@contextmanager
def imap_mailbox(
    terms: ImapTerms, max_bytes: int
) -> Iterator[Iterator[tuple[str, bytes, Callable[[], None]]]]:
    """The mailbox, logged in and its folder selected, while the block runs: each message not
    yet taken as its UID, its bytes, and what flags it taken."""
    import imaplib
    import ssl

    if not terms.host or not terms.user:
        raise InputError("intake.imap: host and user are needed for --imap (README)")
    password = imap_password(terms)
    context = ssl.create_default_context(cafile=terms.ca_file or None)
    where = f"{terms.user}@{terms.host}:{terms.port}"
    try:
        box = imaplib.IMAP4_SSL(terms.host, terms.port, ssl_context=context,
                                timeout=TIMEOUT_SECONDS)  # fmt: skip
    except (OSError, imaplib.IMAP4.error) as e:
        raise MailboxUnavailable(f"IMAP {where}: {type(e).__name__}: {e}") from None
    try:
        try:
            if password.isascii() and terms.user.isascii():
                box.login(terms.user, password)
            else:  # LOGIN takes ASCII only; SASL PLAIN carries UTF-8 (RFC 4616)
                plain = f"\0{terms.user}\0{password}".encode()
                box.authenticate("PLAIN", lambda _: plain)
        except imaplib.IMAP4.error:
            raise MailboxUnavailable(f"IMAP {where}: the login was refused") from None
        status, _ = box.select(_quoted(terms.folder))
        if status != "OK":
            raise MailboxUnavailable(f"IMAP {where}: no folder {terms.folder!r}")
        status, found = box.uid("SEARCH", "UNKEYWORD", TAKEN)
        uids = found[0].decode().split() if status == "OK" and found and found[0] else []
        yield _messages(box, uids, max_bytes)
    except (OSError, imaplib.IMAP4.abort) as e:
        raise MailboxUnavailable(f"IMAP {where}: {type(e).__name__}: {e}") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            box.logout()


def _messages(
    box: imaplib.IMAP4, uids: list[str], max_bytes: int
) -> Iterator[tuple[str, bytes, Callable[[], None]]]:
    for uid in uids:
        raw = _fetch(box, uid, max_bytes)
        if raw is None:
            continue

        def mark(uid: str = uid) -> None:
            box.uid("STORE", uid, "+FLAGS", f"(\\Seen {TAKEN})")

        yield f"imap:{uid}", raw, mark


def _fetch(box: object, uid: str, max_bytes: int) -> bytes | None:
    import imaplib

    assert isinstance(box, imaplib.IMAP4)
    status, size = box.uid("FETCH", uid, "(RFC822.SIZE)")
    if status == "OK" and size and isinstance(size[0], bytes) and b"RFC822.SIZE" in size[0]:
        n = int(size[0].split(b"RFC822.SIZE")[1].split(b")")[0].split()[0])
        if n > max_bytes:  # only its head: enough to know it once and say why
            status, data = box.uid("FETCH", uid, "(BODY.PEEK[HEADER])")
            head = _body(data) or b""
            return head + b"\r\n" + b"\0" * (max_bytes + 1 - len(head) - 2)
    status, data = box.uid("FETCH", uid, "(BODY.PEEK[])")
    return _body(data) if status == "OK" else None


def _body(data: list[object] | None) -> bytes | None:
    for part in data or []:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
