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


class CheckFailed(SlaError):
    """A check asked for by the user failed (``breaches --fail``): exit 1."""

    exit_code = 1
