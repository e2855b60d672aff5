"""Starting, stopping and showing timers: `sla start`, `sla stop`, `sla status`."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.incidents import IncidentRecord
from sla_cli.domain.kinds import Billing, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.text import MAX_NOTE, MAX_TICKET, check_author, check_text, normalise_ticket
from sla_cli.domain.timers import TimerRecord, elapsed_minutes, plan_stop
from sla_cli.domain.work import WorkPolicy
from sla_cli.errors import ClosedPeriod, InputError, NotFound
from sla_cli.ops.lookup import contract_on, ensure_open, ticket_client
from sla_cli.ops.work import Logged, log_work
from sla_cli.store.base import AlreadyEnded, NewTimer

if TYPE_CHECKING:
    from collections.abc import Callable

    from sla_cli.ops.contracts import ContractLine
    from sla_cli.store.store import Store


class Stopped(NamedTuple):
    timer: TimerRecord
    logged: Logged | None  # None: discarded; else the entry of its first day
    ran_minutes: int = 0  # whole minutes it ran (0: under one, logged as the increment)
    next_day: Logged | None = None  # the entry of the day after, when it ran past midnight


class Started(NamedTuple):
    timer: TimerRecord
    stopped: Stopped | None  # the timer that was running before, stopped and logged


class Desk(NamedTuple):
    """What the ledger knows about one timer (and where the rules need it)."""

    policy: WorkPolicy
    zone: str
    user: str
    now: datetime


def start_timer(
    s: Store, desk: Desk, ticket: str, kind: WorkKind, note: str | None,
    client_key: str | None,
) -> Started:  # fmt: skip
    """Start the user's timer on ``ticket``, stopping (and logging) the one running first."""
    check_text(ticket, MAX_TICKET, "the ticket")
    check_text(note, MAX_NOTE, "--note")
    user = check_author(desk.user)
    ticket = normalise_ticket(ticket)
    client = ticket_client(s, ticket, client_key)
    today = desk.now.astimezone(ZoneInfo(desk.zone)).date()
    contract_on(s, client, today)  # fail now, not at stop
    try:
        ensure_open(s, today)
    except ClosedPeriod as e:
        raise ClosedPeriod(f"a timer started now could never be stopped: {e.message}") from None
    s.lock_user(user)
    before = None
    for running in s.running_timers(user):
        before = _end(s, desk, running, None, discard=False)
    timer = s.add_timer(NewTimer(client, ticket, kind, note, desk.now, user))
    return Started(timer, before)


def stop_timer(s: Store, desk: Desk, note: str | None, discard: bool) -> Stopped:
    """Log the user's running timer as an entry from its real start, or drop it."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(desk.user)
    s.lock_user(user)
    found = s.running_timers(user)
    if not found:
        raise NotFound(f"{user} has no timer running; `sla start TICKET` starts one")
    return _end(s, desk, found[-1], note, discard)


def _end(s: Store, desk: Desk, timer: TimerRecord, note: str | None, discard: bool) -> Stopped:
    parts: list[Logged] = []
    if not discard and desk.now < timer.started_at:  # a clock set back, or SLA_NOW
        zone = ZoneInfo(desk.zone)
        raise InputError(
            f"the timer on {timer.ticket} started at "
            f"{timer.started_at.astimezone(zone):%Y-%m-%d %H:%M}, after now "
            f"({desk.now.astimezone(zone):%Y-%m-%d %H:%M}): it can be stopped once that time "
            "has passed, or dropped with `sla stop --discard`"
        )
    if not discard:
        try:
            increment = desk.policy.increment_minutes
            for work in plan_stop(timer, desk.now, ZoneInfo(desk.zone), note, increment):
                parts.append(log_work(s, desk.policy, desk.zone, work, timer.by, desk.now))
        except ClosedPeriod as e:
            raise ClosedPeriod(
                f"the timer on {timer.ticket} started in a closed month: {e.message}; log the "
                "hours by hand, then `sla stop --discard`"
            ) from None
    logged = parts[0] if parts else None
    try:
        s.end_timer(timer.id, None if logged is None else logged.entry.id, timer.by)
    except AlreadyEnded:
        raise InputError(f"the timer on {timer.ticket} was stopped by another command") from None
    later = parts[1] if len(parts) > 1 else None
    return Stopped(timer, logged, elapsed_minutes(timer, desk.now), later)


class TimerStatus(NamedTuple):
    """A running timer, its ticket's open incident, and the client's hours left."""

    timer: TimerRecord
    incident: IncidentRecord | None
    contract: ContractRecord | None
    hours_left: int | None  # minutes: a package's balance, a month's included hours left


def status(s: Store, desk: Desk, everyone: bool) -> list[TimerStatus]:
    out = []
    today = desk.now.astimezone(ZoneInfo(desk.zone)).date()
    for timer in s.running_timers(None if everyone else desk.user):
        client = ticket_client(s, timer.ticket, timer.client_key)
        incident = s.latest_incident(client.id, timer.ticket, open_only=True)
        try:
            contract: ContractRecord | None = contract_on(s, client, today)
        except NotFound:
            contract = None
        out.append(TimerStatus(timer, incident, contract, _left(s, contract, today)))
    return out


def timer_forecasts(
    s: Store, found: list[TimerStatus], today: date, working: Callable[[date], bool]
) -> list[ContractLine]:
    """The forecast of each running timer's contract (once each), as `contract show` gives it:
    for `sla status`."""
    from sla_cli.ops.contracts import ContractLine, contract_forecast

    out, seen = [], set()
    for t in found:
        c = t.contract
        if c is None or c.id in seen:
            continue
        seen.add(c.id)
        balance = t.hours_left if c.billing == Billing.PACKAGE else None
        forecast = contract_forecast(s, c, balance, today, working)
        if forecast is not None:
            out.append(ContractLine(c, balance, forecast))
    return out


def _left(s: Store, contract: ContractRecord | None, today: date) -> int | None:
    """A package's balance now, or the month's included minutes not used yet (None: none)."""
    if contract is None:
        return None
    month = Month.of(today)
    if contract.billing == Billing.PACKAGE:
        return s.package_balance(contract).current(month)
    if contract.included_minutes is None:
        return None
    used = s.month_usage([contract], month)[contract.id].used_minutes
    return contract.included_minutes - used
