"""Month close (rollover); the monthly statements are `sla_cli.ops.statements`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.billing import close_month, close_posts
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.month import Month
from sla_cli.domain.schedule import Schedule
from sla_cli.domain.sla_clocks import PAUSING
from sla_cli.domain.text import check_author
from sla_cli.domain.timers import MAX_TIMER_MINUTES, TimerRecord, plan_stop
from sla_cli.domain.work import WorkPolicy
from sla_cli.errors import CommitUnknown, InputError, LedgerUnavailable
from sla_cli.ops.lookup import ticket_client
from sla_cli.ops.seals import seal, seal_link
from sla_cli.ops.statements import last_ended_month
from sla_cli.ops.work import log_work
from sla_cli.store.base import NewEntry, NewTimer

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from sla_cli.store.store import Store

    Opener = Callable[[], AbstractContextManager[Store]]  # one writing transaction


@dataclass(frozen=True)
class ClosedLine:
    """What closing a month posted for one client."""

    month: Month
    client: str
    burned_minutes: int
    overage_minutes: int
    carried_minutes: int


@dataclass(frozen=True)
class TimerSplit:
    """A timer running when its month closed: logged up to the month's end, running on."""

    timer: TimerRecord
    minutes: int  # logged in the closed month
    resumed_at: datetime  # the first moment of the next month, where it runs on


@dataclass
class Rollover:
    target: Month  # the last month asked to close
    closed: list[ClosedLine] = field(default_factory=list)
    already_closed: list[Month] = field(default_factory=list)
    timers: list[TimerSplit] = field(default_factory=list)


class CloseRules(NamedTuple):
    """What a close applies beyond the ledger's rows."""

    terms: ClockTerms  # what the month's SLA clocks are computed with: sealed with it
    real_today: date | None = None  # months close once over by the real clock (None: any)
    stop_timers: WorkPolicy | None = None  # log running timers up to the month's end


def rollover(
    ledger: Opener,
    upto: Month | None,
    today: date,
    user: str,
    dry_run: bool = False,
    rules: CloseRules | None = None,
) -> Rollover:
    """Close every ended month that is still open, oldest first, up to ``upto``.

    Each month closes in its own transaction, serialised against other writers (SQLite's
    BEGIN IMMEDIATE, a PostgreSQL advisory lock), and is re-checked inside it, so two runs at
    once close each month exactly once. A dry run computes the same and writes nothing.

    A close is final, so a month closes only once it is over by the real clock too
    (``rules.real_today``: a pinned clock may move time back, never forward past today). A
    timer running since before a month's end would be stranded by its close: the close is
    refused, naming it, unless ``rules.stop_timers`` logs it up to the month's end.
    """
    user = check_author(user)
    rules = rules or CloseRules(ClockTerms(Schedule(), 75, PAUSING))
    target = upto or last_ended_month(today)
    if target.next().first_day > today:
        raise InputError(f"{target} has not ended yet; months close once they are over")
    real = rules.real_today
    if real is not None and target.next().first_day > real:
        raise InputError(
            f"{target} has not ended by the real clock (today is {real.isoformat()}): a close "
            "is final, so SLA_NOW may move time back for a close, never forward past today"
        )
    result = Rollover(target=target)
    with ledger() as s:
        earliest = s.earliest_start()
        _check_timers(s, target, rules)
    todo = []
    month = Month.of(earliest) if earliest is not None else None
    while month is not None and month <= target:
        todo.append(month)
        month = month.next()
    if dry_run:  # close them all in one transaction, then roll it back
        with ledger() as s:
            s.lock_for_close()
            for m in todo:
                _close_or_skip(s, m, user, result, rules)
            s.discard()
        return result
    for m in todo:
        try:
            with ledger() as s:
                s.lock_for_close()
                _close_or_skip(s, m, user, result, rules)
                s.wrote_much()
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


def _month_end(month: Month, zone: str) -> datetime:
    """The first moment after ``month``, in the company zone."""
    return datetime.combine(month.next().first_day, time(0), tzinfo=ZoneInfo(zone))


def _check_timers(s: Store, target: Month, rules: CloseRules) -> None:
    """Refuse a close that would strand a running timer (one started before its month's end),
    unless they are to be stopped; one that ran past 24 hours cannot be, and is named."""
    zone = rules.terms.timezone
    end = _month_end(target, zone)
    running = [t for t in s.running_timers(None) if t.started_at < end]
    if not running:
        return
    tz = ZoneInfo(zone)

    def named(t: TimerRecord) -> str:
        return f"{t.by} on {t.ticket} since {t.started_at.astimezone(tz):%Y-%m-%d %H:%M}"

    if rules.stop_timers is None:
        shown = "; ".join(named(t) for t in running)
        raise InputError(
            f"{len(running)} timer(s) running since before the close of {target} would be "
            f"stranded by it: {shown}; each is stopped by its engineer (`SLA_USER=NAME sla "
            "stop`), or `sla rollover --stop-timers` logs them up to the month's end and lets "
            "them run on from the next month's start"
        )
    for t in running:  # each is logged up to the end of its month, which must be the last
        began = Month.of(t.started_at.astimezone(tz).date())  # the close reaches
        stop = _month_end(began, zone)
        if began < target or stop - t.started_at > timedelta(minutes=MAX_TIMER_MINUTES):
            raise InputError(
                f"the timer of {named(t)} runs more than 24 hours into the months to close, "
                f"more than one entry may hold: log its hours by hand, then `SLA_USER={t.by} "
                "sla stop --discard`; nothing was closed"
            )


def _split_timers(s: Store, month: Month, user: str, rules: CloseRules, result: Rollover) -> None:
    """Log each timer running since before ``month`` ended up to its end (its real start
    kept), and let it run on from the next month's first moment."""
    if rules.stop_timers is None:
        return
    zone = rules.terms.timezone
    end = _month_end(month, zone)
    for t in s.running_timers(None):
        if t.started_at >= end:
            continue
        logged = [
            log_work(s, rules.stop_timers, zone, work, t.by, end)
            for work in plan_stop(t, end, ZoneInfo(zone), None, rules.stop_timers.increment_minutes)
        ]
        s.end_timer(t.id, logged[0].entry.id, user)
        client = ticket_client(s, t.ticket, t.client_key)
        s.add_timer(NewTimer(client, t.ticket, t.kind, t.note, end, t.by))
        result.timers.append(TimerSplit(t, sum(e.entry.minutes for e in logged), end))


def _close_or_skip(s: Store, month: Month, user: str, result: Rollover, rules: CloseRules) -> None:
    if s.is_closed(month):
        result.already_closed.append(month)
    else:
        _split_timers(s, month, user, rules, result)
        result.closed.extend(_close(s, month, user, rules.terms))


def _close(s: Store, month: Month, user: str, terms: ClockTerms) -> list[ClosedLine]:
    active = s.active_contracts(month)
    usage = s.month_usage(active, month)
    lines, closed = [], []
    for contract in active:
        terms_of = contract.terms(month)
        figures = close_month(terms_of, usage[contract.id])
        closed.append((contract.id, figures))
        for post in close_posts(terms_of, month, figures):
            new = NewEntry(
                contract=contract,
                on=month.last_day,
                minutes=post.minutes,
                type=post.type,
                by=user,
                note=post.note,
                amount=post.amount,
            )
            s.add_entry(new)
        lines.append(
            ClosedLine(
                month,
                contract.client.key,
                figures.burned_minutes,
                figures.overage_minutes,
                figures.carried_minutes,
            )
        )
    # then the month is closed (the database refuses entries dated in it from here on),
    # sealing its entries, posts included, its terms and what its clocks are computed with
    sealed = terms.to_json()
    digest, digests = seal(s, month, active, sealed)
    s.mark_closed(month, user, digest, sealed)
    for contract_id, figures in closed:
        s.save_closing(month, contract_id, figures, digests[contract_id])
    seal_link(s, month, user)  # and chained after the close before it, with its incidents
    return lines
