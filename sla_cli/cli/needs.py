"""What the operations need from the config, and the options they share: built on first use.

Each helper imports only what it builds, so `sla log` never loads the statement code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

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


def document_target(
    st: State, output: str | None, table: bool, pdf: bool, what: str, formats: str
) -> Path | None:
    """Where ``-o`` writes a document (None: standard output), refused with the table
    (``formats``: those ``-o`` takes) and required with a PDF (of ``what``)."""
    from sla_cli.errors import InputError
    from sla_cli.files import output_path

    target = None if output is None else output_path(output, st.own_files())
    if table and target is not None:
        raise InputError(f"-o writes documents: add --format {formats}")
    if pdf and target is None:
        raise InputError(f"a PDF {what}goes to a file: add -o FILE")
    return target
