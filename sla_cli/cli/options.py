"""Shared option types and the per-run state every command reads.

Every command module imports this one to register its commands (`--help` and shell completion
run that), so it imports nothing else of the tool at its top: the config, the domain and the
ledger load on first use.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sla_cli.config import Settings
    from sla_cli.store.anchor import Seen
    from sla_cli.store.engine import Ledger
    from sla_cli.store.store import Store


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"
    pdf = "pdf"


def ledger_url(option: str | None) -> str:
    """The ledger's URL: ``--db``, else ``SLA_DATABASE_URL``, else SQLite in the user data
    folder; a path names an SQLite file."""
    url = option or os.environ.get("SLA_DATABASE_URL")
    if url:
        return url if "://" in url else f"sqlite:///{os.path.abspath(os.path.expanduser(url))}"
    from platformdirs import user_data_path

    from sla_cli import APP_NAME

    return f"sqlite:///{user_data_path(APP_NAME) / 'ledger.db'}"


class State:
    """What the global options said; the config is read on first use."""

    def __init__(self, config_option: str | None = None, db_option: str | None = None) -> None:
        self.config_option = config_option
        self.db_option = db_option
        self._settings: Settings | None = None
        self._ledger: Ledger | None = None
        self._now: datetime | None = None
        self.lost: str | None = None  # what the ledger lost of what was seen committed
        self.quiet_loss = False  # `sla verify` reports the loss itself
        self._author: str | None = None  # on PostgreSQL: the session role's name (``user``)
        self._open: Store | None = None  # the store of the transaction open now, if one is

    def settings(self) -> Settings:
        """The config, read once; a file named with --config or SLA_CONFIG must exist."""
        if self._settings is None:
            from sla_cli.config import config_path, load_settings

            if self.config_option is not None and not self.config_option.strip():
                from sla_cli.errors import InputError

                raise InputError("--config is empty; give the config file's path")
            explicit = bool(self.config_option or os.environ.get("SLA_CONFIG"))
            self._settings = load_settings(config_path(self.config_option), required=explicit)
        return self._settings

    def reload_settings(self) -> Settings:
        """Read the config again, as just written (`sla init`): the file must exist now."""
        from sla_cli.config import config_path, load_settings

        self._settings = load_settings(config_path(self.config_option), required=True)
        return self._settings

    def db_url(self) -> str:
        """``--db``, else ``SLA_DATABASE_URL``, else SQLite in the user data folder."""
        if self.db_option is not None and not self.db_option.strip():
            from sla_cli.errors import InputError

            raise InputError("--db is empty; give a SQLite file path or a database URL")
        return ledger_url(self.db_option)

    def ledger_name(self) -> str:
        """The ledger as messages name it: its URL, any password hidden."""
        from sla_cli.store.sqlite_url import display, normalise_url

        return display(normalise_url(self.db_url()))

    def own_files(self) -> dict[Path, str]:
        """The files a document written with ``-o`` must never replace, with what each is:
        the config, and an SQLite ledger with its journal files."""
        from sla_cli.config import config_path

        own = {config_path(self.config_option): "the config"}
        ledger = self.ledger_file()
        if ledger is not None:
            own[ledger] = "the ledger"
            for suffix in ("-wal", "-shm", "-journal", ".anchor"):
                own[ledger.with_name(ledger.name + suffix)] = "a file of the ledger"
        return own

    def ledger_file(self) -> Path | None:
        """The SQLite file of the ledger; None for PostgreSQL."""
        from sla_cli.store.sqlite_url import normalise_url, sqlite_file

        return sqlite_file(normalise_url(self.db_url()))

    def ledger(self, create: bool = False, write: bool = True) -> Ledger:
        """The ledger, opened (and upgraded) on first use.

        Only ``create`` (`sla init`) makes a new one: every other command needs a ledger that
        exists, so a mistyped --db, or a cron job run with another HOME, fails loudly naming
        the path instead of reading or closing a new, empty ledger.
        """
        if self._ledger is None:
            from sla_cli.errors import LedgerError, NoLedger, OldSchema
            from sla_cli.store.engine import Timeouts, open_ledger

            # `sla init` may be repairing the config: it opens the ledger on the defaults
            timeouts = Timeouts() if create else Timeouts(*self.settings().ledger_timeouts)
            try:
                self._ledger = open_ledger(self.db_url(), create, write, timeouts)
            except NoLedger as e:
                raise LedgerError(
                    f"{e.message}; create it with `sla init`, or name the ledger with "
                    "--db / SLA_DATABASE_URL"
                ) from None
            except OldSchema as e:
                raise LedgerError(
                    f"{e.message}; this command only reads, so it does not upgrade it: "
                    "`sla upgrade` does (an SQLite file is copied aside first)"
                ) from None
        return self._ledger

    def reading(self) -> AbstractContextManager[Store]:
        """A read-only transaction on the ledger, for commands that change nothing: it never
        takes SQLite's write lock, and PostgreSQL refuses a write in it."""
        return self._store(write=False)

    def store(self) -> AbstractContextManager[Store]:
        """One writing transaction on the ledger, committed when the block ends."""
        return self._store(write=True)

    @contextmanager
    def _store(self, write: bool) -> Iterator[Store]:
        """The store's transaction; a ledger it cannot open as it is (none yet, an older
        revision, not a ledger) goes through the schema's work first, which upgrades it or
        says what is wrong, and is opened again."""
        from sla_cli.store.anchor import anchor_path, read_seen, seen_in, write_seen
        from sla_cli.store.sqlite_url import normalise_url
        from sla_cli.store.store import transaction

        url = normalise_url(self.db_url())
        timeouts = self.settings().ledger_timeouts
        ledger = self.ledger_file()
        anchor = None if ledger is None else anchor_path(ledger)
        seen = None if anchor is None else read_seen(anchor)  # before the snapshot begins
        for opened_by_schema_work in (False, True):
            wrote = None
            with transaction(url, timeouts, write) as found:
                if found is not None:
                    self._check_seen(found, seen, anchor, write)
                    self._open = found
                    try:
                        yield found
                    finally:
                        self._open = None
                    if write and anchor is not None and not found.db.discarded:
                        wrote = seen_in(found.db)
            if found is not None:
                if wrote is not None and anchor is not None:
                    write_seen(anchor, wrote)  # once committed
                return
            if opened_by_schema_work:
                from sla_cli.errors import LedgerError

                raise LedgerError(
                    f"the ledger {self.ledger_name()} cannot be opened; nothing was written"
                )
            self.ledger(write=write)

    def _check_seen(self, s: Store, seen: Seen | None, anchor: Path | None, write: bool) -> None:
        """Whether the ledger still holds what this machine saw committed to it: reads warn
        (`sla verify` fails), writes are refused."""
        if seen is None or anchor is None:
            return
        from sla_cli.store.anchor import lost, lost_message

        what = lost(seen, s.db)
        if not what:
            return
        message = lost_message(self.ledger_name(), anchor, what)
        self.lost = message
        if write:
            from sla_cli.errors import LedgerError

            raise LedgerError(f"{message}; nothing was written")
        if not self.quiet_loss:
            from sla_cli.render import warning

            warning(message)

    def now(self) -> datetime:
        """The current moment, fixed for the run; ``SLA_NOW`` (ISO 8601) pins it."""
        if self._now is None:
            from sla_cli.timeparse import now_from_env

            self._now = now_from_env(self.settings().timezone)
        return self._now

    def today(self) -> date:
        return self.now().date()

    def real_today(self) -> date:
        """Today by the real clock in the company zone, whatever ``SLA_NOW`` says: what may
        be sealed for good (a month close) is bounded by it."""
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(self.settings().timezone)).date()

    def user(self) -> str:
        """Who runs the command: ``SLA_USER``, else on PostgreSQL the name the database
        records the session role's rows under (its name in the ledger, else its login), else
        the operating-system user."""
        if os.environ.get("SLA_USER") or self.ledger_file() is not None:
            return current_user()
        if self._author is None and self._open is not None:
            self._author = self._open.author_name()  # in the transaction the command has open
        elif self._author is None:
            from sla_cli.errors import LedgerError

            try:
                with self.reading() as s:
                    self._author = s.author_name()
            except LedgerError:  # not at this revision yet: the command upgrades it, if it may
                return database_user(self.db_url())
        return self._author


def database_user(url: str) -> str:
    """The role a PostgreSQL URL connects as: its user, else ``PGUSER``, else (as libpq does)
    the operating-system user."""
    from urllib.parse import unquote, urlsplit

    name = urlsplit(url).username
    return unquote(name) if name else os.environ.get("PGUSER") or current_user_os()


def current_user_os() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def current_user() -> str:
    """``SLA_USER``, else the operating-system user."""
    name = os.environ.get("SLA_USER")
    if name:
        return name
    return current_user_os()


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj
