"""One error family for the whole tool, mapped once at the CLI edge."""

from __future__ import annotations


class SlaError(Exception):
    """A problem the user can fix. The CLI prints ``message`` on one line and exits 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(SlaError):
    """The config file is unreadable or holds a bad value."""


class InputError(SlaError):
    """A value given on the command line is unparsable or out of range."""


class NotFound(SlaError):
    """An unknown client, ticket, contract, entry or incident."""


class ClosedPeriod(SlaError):
    """An entry dated in a month that has already been closed."""


class LedgerError(SlaError):
    """The ledger cannot be opened or written."""


class NoLedger(LedgerError):
    """No ledger exists at the path named."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no ledger at {path}")
        self.path = path


class OldSchema(LedgerError):
    """A ledger at an older schema revision, opened by a command that only reads: it is never
    upgraded (or copied) on the way."""

    def __init__(self, where: str, version: str, head: str) -> None:
        super().__init__(
            f"the ledger {where} is at schema revision {version}, older than this version's {head}"
        )
        self.where = where


class LedgerUnavailable(LedgerError):
    """The ledger cannot be reached or stays locked past its timeout: worth retrying later.

    Exit 75 (``EX_TEMPFAIL`` of sysexits.h: "temporary failure, try again"), so that cron and
    scripts can tell it from bad input (2) and retry. ``where`` and ``reason`` (the database's
    words) let a command that wrote some of its work say what stays written."""

    exit_code = 75

    def __init__(self, message: str, where: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.where = where
        self.reason = reason


class CommitUnknown(LedgerUnavailable):
    """The connection was lost while the commit was under way: the server may have committed
    the transaction or not, and the client cannot tell which."""

    def __init__(self, where: str, reason: str, message: str = "") -> None:
        super().__init__(
            message
            or f"the ledger {where} became unavailable while the change was being committed "
            f"({reason}): it may or may not have been written; check before running the "
            "command again",
            where,
            reason,
        )


class PermissionRefused(LedgerError):
    """The database refused the command to the role that ran it (on a team's PostgreSQL
    ledger): nothing was written. Exit 77 (``EX_NOPERM`` of sysexits.h), with the role it
    needs."""

    exit_code = 77

    def __init__(self, where: str, role: str, reason: str) -> None:
        super().__init__(
            f"the ledger {where} refused: this needs the {role} role ({reason}); "
            "nothing was written"
        )
        self.role = role


class CheckFailed(SlaError):
    """A check asked for by the user failed (``breaches --fail``): exit 1."""

    exit_code = 1


def damaged(where: str) -> LedgerError:
    """A ledger file that SQLite cannot read as it wrote it: text that is not UTF-8 where it
    keeps names (a broken schema page), a malformed page."""
    return LedgerError(
        f"the ledger {where} is damaged: it holds bytes that are not the text SQLite wrote; "
        "nothing was written; restore it from a backup (`sla backup` makes them)"
    )


def ledger_failure(where: str, reason: str, retry: bool, verb: str) -> LedgerError:
    """The database's error as one line: unavailable (``retry``: worth trying again), or the
    ledger ``verb`` (refused, cannot be opened) with the database's reason."""
    if retry:
        return LedgerUnavailable(
            f"the ledger {where} is unavailable: {reason}; nothing was written, try again",
            where,
            reason,
        )
    return LedgerError(f"the ledger {where} {verb}: {reason}")
