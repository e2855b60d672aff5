"""The database's errors in the ledger's words: one line, unavailable (exit 75: worth a retry)
or refused (exit 2), with a hint where SQLite's own words leave the user guessing.

They read the driver's own exception (``sqlite3``'s or psycopg's), whichever way it came: from
the store's driver, or wrapped by SQLAlchemy during schema work (``engine``). Nothing here
imports a database library but ``sqlite3``.
"""

from __future__ import annotations

import sqlite3

from sla_cli.errors import LedgerError, PermissionRefused, ledger_failure
from sla_cli.store.roles import needed_role


def reason(orig: BaseException) -> str:
    """The database's words, on one line, with a hint where they leave the user guessing."""
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    name = getattr(orig, "sqlite_errorname", "")
    if name in _FULL:
        text += " (is the disk full?)"
    elif name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        text += " (the file is damaged: restore it from a backup)"
    elif isinstance(orig, sqlite3.OperationalError) and "unable to open" in text:
        text += (
            " (SQLite keeps its -wal and -shm files beside the ledger: can its folder be written?)"
        )
    return text


_FULL = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC"}


# PostgreSQL's SQLSTATEs worth a retry: lock or statement timeout, deadlock, serialization
# failure, the server shutting down or not accepting connections yet.
_RETRY_STATES = {"55P03", "57014", "40P01", "40001", "57P01", "57P02", "57P03"}


def _operational(orig: BaseException) -> bool:
    return any(c.__name__ == "OperationalError" for c in type(orig).__mro__)


def lost(orig: BaseException, invalidated: bool = False) -> bool:
    """The connection itself failed (not a refusal the server sent)."""
    state = getattr(orig, "sqlstate", None)
    return invalidated or state is None or state.startswith("08")


def unavailable(orig: BaseException, invalidated: bool = False) -> bool:
    """The database could not be reached, or a wait ran out: nothing wrong with the input."""
    if invalidated:
        return True
    state = getattr(orig, "sqlstate", None)
    if state is not None:
        return state in _RETRY_STATES or state.startswith("08")
    if isinstance(orig, sqlite3.Error):
        return isinstance(orig, sqlite3.OperationalError) and busy(orig)
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect at all
    return _operational(orig)


def busy(e: sqlite3.Error) -> bool:
    """SQLite's lock could not be had within the timeout."""
    return any(word in str(e).lower() for word in ("locked", "busy"))


def database_error(
    where: str, orig: BaseException, verb: str, invalidated: bool = False
) -> LedgerError:
    """The database's error as one line: unavailable (worth retrying), refused to the role
    that ran it (SQLSTATE 42501, exit 77), or refused."""
    if getattr(orig, "sqlstate", None) == "42501":
        text = reason(orig)
        return PermissionRefused(where, needed_role(text), text)
    return ledger_failure(where, reason(orig), unavailable(orig, invalidated), verb)
