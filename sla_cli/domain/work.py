"""Work entries: what `sla log` may write, rounded how, and what it warns of."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from sla_cli.domain.billing import PackageBalance
from sla_cli.domain.durations import MAX_ENTRY_MINUTES, format_duration, hours_text, round_up
from sla_cli.domain.kinds import Billing, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.text import MAX_NOTE, MAX_TICKET, MAX_USER, check_length
from sla_cli.errors import InputError

__all__ = [
    "DevOverCap",
    "Overdraft",
    "Standing",
    "WorkLog",
    "WorkPlan",
    "WorkPolicy",
    "check_work",
    "plan_work",
]


class WorkLog(NamedTuple):
    """What `sla log` asks for."""

    ticket: str
    minutes: int  # as typed, before rounding
    on: date
    start: time | None = None  # when the work began (`--from`)
    kind: WorkKind = WorkKind.SUPPORT
    note: str | None = None
    client_key: str | None = None


class WorkPolicy(NamedTuple):
    """The config's billing rules for logged hours."""

    increment_minutes: int = 1
    refuse_overdraft: bool = False
    used_percent: tuple[int, ...] = ()  # the month's hours levels an engineer is told of


def levels_passed(
    levels: tuple[int, ...], included: int | None, before: int, after: int
) -> list[int]:
    """The shares of a month's ``included`` minutes (in percent) that an entry taking the
    month's use from ``before`` to ``after`` minutes passes."""
    if not included:
        return []
    return [p for p in sorted(levels) if before * 100 < p * included <= after * 100]


class Standing(NamedTuple):
    """What the ledger holds before the entry, as far as the entry's rules need it."""

    package: PackageBalance | None = None  # package contracts
    month_dev_minutes: int = 0  # custom development already logged in the entry's month
    day_minutes: int = 0  # what the entry's author has logged on its date (that counts)


class Overdraft(NamedTuple):
    """A warning, as data: after the entry, the closes of its month and later will bill
    ``short_minutes`` of overdraft."""

    client: str
    short_minutes: int


class DevOverCap(NamedTuple):
    """A warning, as data: the month's custom development is past the tariff's cap."""

    client: str
    month: Month
    cap_minutes: int
    dev_minutes: int  # the month's development with this entry

    @property
    def over_minutes(self) -> int:
        return self.dev_minutes - self.cap_minutes


class WorkPlan(NamedTuple):
    """The entry to write: rounded minutes, when the work began, the balance after it."""

    minutes: int
    started_at: datetime  # `--from`, else when the entry is recorded
    balance_after: int | None  # package contracts only
    overdraft: Overdraft | None
    dev_over_cap: DevOverCap | None = None


def check_work(work: WorkLog, ticket: str, user: str, today: date) -> None:
    """The checks that need no ledger: sizes and a date not in the future."""
    if not ticket:
        raise InputError("a ticket is needed, such as ACME-12")
    check_length(ticket, MAX_TICKET, "the ticket")
    check_length(work.note, MAX_NOTE, "--note")
    check_length(user, MAX_USER, "the user name")
    if work.on > today:
        raise InputError(f"--on {work.on.isoformat()} is in the future")
    if work.minutes > MAX_ENTRY_MINUTES:
        raise InputError(
            f"{format_duration(work.minutes)} is more than one entry may hold (24h); log long "
            "work as several entries, on the days it was done"
        )


def plan_work(
    work: WorkLog,
    contract: ContractRecord,
    standing: Standing,
    policy: WorkPolicy,
    zone: tzinfo,
    now: datetime,
) -> WorkPlan:
    """Round the entry up to the billing increment and check it against the tariff.

    Custom development past a monthly cap warns. On a package, development needs prepaid
    hours that cover it; support past the balance warns of the overdraft, or is refused when
    the config says so. Earlier open months count as their closes will leave them.
    """
    started_at = now  # without `--from`, the work is taken to have begun when it is recorded
    if work.start is not None:
        started_at = datetime.combine(work.on, work.start, tzinfo=zone)
        if started_at > now:
            raise InputError("--from is in the future")
        ended = started_at + timedelta(minutes=work.minutes)
        midnight = datetime.combine(work.on + timedelta(days=1), time(0), tzinfo=zone)
        if ended > midnight:
            raise InputError(
                f"--from {work.start:%H:%M} and {format_duration(work.minutes)} of work end after "
                f"midnight: log the part after it on {midnight.date().isoformat()}"
            )
        if ended - now > timedelta(minutes=1):  # a minute rounded up may end just after now
            raise InputError(
                f"--from {work.start:%H:%M} and {format_duration(work.minutes)} of work end at "
                f"{ended:%Y-%m-%d %H:%M}, after now ({now.astimezone(zone):%H:%M}): "
                "log work once it is done"
            )
    minutes = round_up(work.minutes, policy.increment_minutes)
    day = standing.day_minutes + minutes
    if day > MAX_ENTRY_MINUTES:
        raise InputError(
            f"{work.on.isoformat()} would hold {hours_text(day)} h of this engineer's work with "
            f"this entry ({hours_text(standing.day_minutes)} h logged already); one person's "
            "day holds at most 24 h: check the date, or void a wrong entry"
        )
    dev_over_cap = _dev_over_cap(work, contract, standing, minutes)
    if contract.billing != Billing.PACKAGE or standing.package is None:
        return WorkPlan(minutes, started_at, None, None, dev_over_cap)
    month = Month.of(work.on)
    before = standing.package
    left = before.available(month)
    if minutes > left:
        _check_overdraw(work, contract, policy, month, left, minutes)
    after = before.with_change(month, -minutes)
    short = after.overdraft_from(month)
    overdraft = Overdraft(contract.client.key, short) if short > 0 else None
    balance = after.current(max(month, Month.of(now.astimezone(zone).date())))
    return WorkPlan(minutes, started_at, balance, overdraft, dev_over_cap)


def _dev_over_cap(
    work: WorkLog, contract: ContractRecord, standing: Standing, minutes: int
) -> DevOverCap | None:
    cap = contract.dev_cap_minutes
    if work.kind != WorkKind.DEV or cap is None:
        return None
    dev = standing.month_dev_minutes + minutes
    if dev <= cap:
        return None
    return DevOverCap(contract.client.key, Month.of(work.on), cap, dev)


def _check_overdraw(
    work: WorkLog,
    contract: ContractRecord,
    policy: WorkPolicy,
    month: Month,
    left: int,
    minutes: int,
) -> None:
    """Refuse an entry that would overdraw a package, when the tariff or the config says so."""
    key = contract.client.key
    has = f"{key} has {format_duration(left)} of prepaid hours left for {month}"
    topup = f"`sla contract topup {key}` buys a package"
    if work.kind == WorkKind.DEV:
        raise InputError(
            f"{has}; custom development of {format_duration(minutes)} needs prepaid hours "
            f"that cover it: {topup}"
        )
    if policy.refuse_overdraft:
        raise InputError(
            f"{has}; this entry would overdraw it by {format_duration(minutes - left)} "
            f"(billing.refuse_overdraft is on): {topup}"
        )
