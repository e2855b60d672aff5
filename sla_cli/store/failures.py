"""The database's errors in the ledger's words: one line, unavailable (exit 75: worth a retry)
or refused (exit 2), with a hint where SQLite's own words leave the user guessing."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, OperationalError

from sla_cli.errors import LedgerError, ledger_failure


def reason(e: DBAPIError) -> str:
    """The database's words, on one line, with a hint where they leave the user guessing."""
    text = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
    name = getattr(e.orig, "sqlite_errorname", "")
    if name in _FULL:
        text += " (is the disk full?)"
    elif name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        text += " (the file is damaged: restore it from a backup)"
    elif isinstance(e.orig, sqlite3.OperationalError) and "unable to open" in text:
        text += (
            " (SQLite keeps its -wal and -shm files beside the ledger: can its folder be written?)"
        )
    return text


_FULL = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC"}


# PostgreSQL's SQLSTATEs worth a retry: lock or statement timeout, deadlock, serialization
# failure, the server shutting down or not accepting connections yet.
_RETRY_STATES = {"55P03", "57014", "40P01", "40001", "57P01", "57P02", "57P03"}


def lost(e: DBAPIError) -> bool:
    """The connection itself failed (not a refusal the server sent)."""
    state = getattr(e.orig, "sqlstate", None)
    return e.connection_invalidated or state is None or state.startswith("08")


def unavailable(e: DBAPIError) -> bool:
    """The database could not be reached, or a wait ran out: nothing wrong with the input."""
    if e.connection_invalidated:
        return True
    state = getattr(e.orig, "sqlstate", None)
    if state is not None:
        return state in _RETRY_STATES or state.startswith("08")
    if isinstance(e.orig, sqlite3.OperationalError):
        return any(word in str(e.orig).lower() for word in ("locked", "busy"))
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect at all
    return isinstance(e, OperationalError)


def database_error(where: str, e: DBAPIError, verb: str) -> LedgerError:
    """The database's error as one line: unavailable (worth retrying) or refused."""
    return ledger_failure(where, reason(e), unavailable(e), verb)
