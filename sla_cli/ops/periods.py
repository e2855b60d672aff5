"""Month close (rollover) and monthly statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from sla_cli.domain.billing import close_month, close_posts
from sla_cli.domain.month import Month
from sla_cli.domain.statement import Letterhead, MonthFacts, MonthReport, assemble
from sla_cli.domain.text import check_author
from sla_cli.errors import CommitUnknown, InputError, LedgerUnavailable
from sla_cli.ops.incidents import month_incidents
from sla_cli.ops.lookup import client_id
from sla_cli.ops.seals import ensure_unchanged, seal
from sla_cli.store import contracts, entries, months
from sla_cli.store.gateway import SqlStore
from sla_cli.store.port import NewEntry

if TYPE_CHECKING:
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.store.engine import Ledger


@dataclass(frozen=True)
class ClosedLine:
    """What closing a month posted for one client."""

    month: Month
    client: str
    burned_minutes: int
    overage_minutes: int
    carried_minutes: int


@dataclass
class Rollover:
    target: Month  # the last month asked to close
    closed: list[ClosedLine] = field(default_factory=list)
    already_closed: list[Month] = field(default_factory=list)


def last_ended_month(today: date) -> Month:
    return Month.of(today).previous()


def rollover(
    ledger: Ledger,
    upto: Month | None,
    today: date,
    user: str,
    dry_run: bool = False,
) -> Rollover:
    """Close every ended month that is still open, oldest first, up to ``upto``.

    Each month closes in its own transaction, serialised against other writers (SQLite's
    BEGIN IMMEDIATE, a PostgreSQL advisory lock), and is re-checked inside it, so two runs at
    once close each month exactly once. A dry run computes the same and writes nothing.
    """
    user = check_author(user)
    target = upto or last_ended_month(today)
    if target.next().first_day > today:
        raise InputError(f"{target} has not ended yet; months close once they are over")
    result = Rollover(target=target)
    with ledger.session() as s:
        earliest = contracts.earliest_start(s)
    todo = []
    month = Month.of(earliest) if earliest is not None else None
    while month is not None and month <= target:
        todo.append(month)
        month = month.next()
    if dry_run:  # close them all in one transaction, then roll it back
        with ledger.session() as s:
            months.lock_for_close(s)
            for m in todo:
                _close_or_skip(s, m, user, result)
            s.rollback()
        return result
    for m in todo:
        try:
            with ledger.session() as s:
                months.lock_for_close(s)
                _close_or_skip(s, m, user, result)
        except LedgerUnavailable as e:
            raise _interrupted(result, m, e) from None
    return result


def _interrupted(result: Rollover, month: Month, e: LedgerUnavailable) -> LedgerUnavailable:
    """The ledger became unavailable while ``month`` was being closed: the months closed before
    it stay closed (each closes in its own transaction), and a re-run closes the rest."""
    done = sorted({line.month for line in result.closed if line.month != month})
    if not done or not e.reason:
        return e  # nothing closed by this run: "nothing was written" holds
    closed = f"{', '.join(str(m) for m in done)} closed and stay closed"
    if isinstance(e, CommitUnknown):
        return CommitUnknown(
            e.where,
            e.reason,
            f"the ledger {e.where} became unavailable while the close of {month} was being "
            f"committed ({e.reason}): {closed}; whether {month} closed is not known: a re-run "
            "of `sla rollover` closes it if it did not, and the months after it",
        )
    return LedgerUnavailable(
        f"the ledger {e.where} became unavailable while {month} was being closed ({e.reason}): "
        f"{closed}; {month} and the months after it are not closed yet, and a re-run of "
        "`sla rollover` closes them",
        e.where,
        e.reason,
    )


def _close_or_skip(s: Session, month: Month, user: str, result: Rollover) -> None:
    if months.is_closed(s, month):
        result.already_closed.append(month)
    else:
        result.closed.extend(_close(s, month, user))


def _close(s: Session, month: Month, user: str) -> list[ClosedLine]:
    active = contracts.active_contracts(s, month)
    usage = entries.month_usage(s, active, month)
    lines, closed = [], []
    for contract in active:
        terms = contract.terms(month)
        figures = close_month(terms, usage[contract.id])
        closed.append((contract.id, figures))
        for post in close_posts(terms, month, figures):
            new = NewEntry(
                contract=contract,
                on=month.last_day,
                minutes=post.minutes,
                type=post.type,
                by=user,
                note=post.note,
                amount=post.amount,
            )
            entries.add_entry(s, new)
        lines.append(
            ClosedLine(
                month,
                contract.client.key,
                figures.burned_minutes,
                figures.overage_minutes,
                figures.carried_minutes,
            )
        )
    s.flush()
    # then the month is closed (the database refuses entries dated in it from here on),
    # sealing its entries, posts included, and its terms
    months.mark_closed(s, month, user, seal(s, month, active))
    for contract_id, figures in closed:
        months.save_closing(s, month, contract_id, figures)
    s.flush()
    return lines


def month_report(
    s: Session,
    head: Letterhead,
    calendar: BusinessCalendar,
    month: Month,
    client_key: str | None,
    now: datetime,
) -> MonthReport:
    """Statements for every contract active in ``month`` (a preview while it is open)."""
    active = contracts.active_contracts(s, month, client_id(SqlStore(s), client_key))
    closed = months.is_closed(s, month)
    if closed:
        ensure_unchanged(s, month)
    facts = MonthFacts(
        month=month,
        closed=closed,
        contracts=active,
        usage=entries.month_usage(s, active, month),
        daily=entries.daily_minutes(s, active, month),
        incidents=month_incidents(s, head.timezone, month, client_key, also_unresolved=False),
        topups=entries.packages_bought(s, active, month),
    )
    return assemble(facts, head, calendar, now)
