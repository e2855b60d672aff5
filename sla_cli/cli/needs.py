"""What the operations need from the config, and the options they share: built on first use.

Each helper imports only what it builds, so `sla log` never loads the statement code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sla_cli.cli.options import State
    from sla_cli.config import Settings
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.month import Month
    from sla_cli.domain.statement import Letterhead
    from sla_cli.domain.work import WorkPolicy
    from sla_cli.ops.incidents import Clocks


def work_policy(settings: Settings) -> WorkPolicy:
    from sla_cli.domain.work import WorkPolicy

    return WorkPolicy(
        settings.increment_minutes, settings.refuse_overdraft, settings.notify.hours.used_percent
    )


def letterhead(settings: Settings) -> Letterhead:
    from sla_cli.domain.statement import Letterhead

    return Letterhead(
        settings.company_name,
        settings.catalog.currency,
        settings.timezone,
        settings.at_risk_percent,
        settings.pausing_clocks,
    )


def business_calendar(settings: Settings) -> BusinessCalendar:
    from sla_cli.domain.calendar import BusinessCalendar

    return BusinessCalendar(settings.schedule)


def clocks(st: State) -> Clocks:
    """The SLA clocks as they stand now."""
    from sla_cli.ops.incidents import Clocks

    settings = st.settings()
    return Clocks(
        business_calendar(settings), st.now(), settings.at_risk_percent, settings.pausing_clocks
    )


def month_option(text: str | None) -> Month | None:
    from sla_cli.domain.month import Month

    return None if text is None else Month.parse(text)
