"""Shared option types and the per-run state every command reads."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.config import Settings, config_path, default_data_dir, load_settings
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.month import Month
from sla_cli.domain.statement import Letterhead
from sla_cli.domain.work import WorkPolicy
from sla_cli.timeparse import now_from_env

if TYPE_CHECKING:
    from sla_cli.ops.incidents import Clocks
    from sla_cli.store.engine import Ledger


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


@dataclass
class State:
    """What the global options said; the config is read on first use."""

    config_option: str | None = None
    db_option: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _ledger: Ledger | None = field(default=None, repr=False)
    _now: datetime | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """The config, read once; a file named with --config or SLA_CONFIG must exist."""
        if self._settings is None:
            explicit = bool(self.config_option or os.environ.get("SLA_CONFIG"))
            self._settings = load_settings(config_path(self.config_option), required=explicit)
        return self._settings

    def reload_settings(self) -> Settings:
        """Read the config again, as just written (`sla init`): the file must exist now."""
        self._settings = load_settings(config_path(self.config_option), required=True)
        return self._settings

    def db_url(self) -> str:
        """``--db``, else ``SLA_DATABASE_URL``, else SQLite in the user data folder."""
        url = self.db_option or os.environ.get("SLA_DATABASE_URL")
        if url:
            return url if "://" in url else f"sqlite:///{os.path.abspath(os.path.expanduser(url))}"
        return f"sqlite:///{default_data_dir() / 'ledger.db'}"

    def ledger(self, create: bool = False) -> Ledger:
        """The ledger, opened (and created or upgraded) on first use.

        A ledger at the default location is created on first use; one named with --db or
        SLA_DATABASE_URL must exist (a typo is an error, not a new empty ledger) unless
        ``create`` (`sla init`).
        """
        if self._ledger is None:
            from sla_cli.errors import LedgerError, NoLedger
            from sla_cli.store.engine import open_ledger

            explicit = bool(self.db_option or os.environ.get("SLA_DATABASE_URL"))
            try:
                self._ledger = open_ledger(self.db_url(), create or not explicit)
            except NoLedger as e:
                raise LedgerError(
                    f"{e.message}; check --db / SLA_DATABASE_URL, or create it with `sla init`"
                ) from None
        return self._ledger

    def now(self) -> datetime:
        """The current moment, fixed for the run; ``SLA_NOW`` (ISO 8601) pins it."""
        if self._now is None:
            self._now = now_from_env(self.settings().timezone)
        return self._now

    def today(self) -> date:
        return self.now().date()

    def user(self) -> str:
        return current_user()


def current_user() -> str:
    """``SLA_USER``, else the operating-system user."""
    name = os.environ.get("SLA_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


# --- what the operations need from the config ---------------------------------------------------


def work_policy(settings: Settings) -> WorkPolicy:
    return WorkPolicy(settings.increment_minutes, settings.refuse_overdraft)


def letterhead(settings: Settings) -> Letterhead:
    return Letterhead(
        settings.company_name,
        settings.catalog.currency,
        settings.timezone,
        settings.at_risk_percent,
    )


def business_calendar(settings: Settings) -> BusinessCalendar:
    return BusinessCalendar(settings.schedule)


def clocks(st: State) -> Clocks:
    """The SLA clocks as they stand now."""
    from sla_cli.ops.incidents import Clocks

    settings = st.settings()
    return Clocks(business_calendar(settings), st.now(), settings.at_risk_percent)


def month_option(text: str | None) -> Month | None:
    return None if text is None else Month.parse(text)
