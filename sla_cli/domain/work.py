"""Work entries: what `sla log` may write, rounded how, and what it warns of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sla_cli.domain.durations import format_duration, round_up
from sla_cli.domain.kinds import Billing, WorkKind
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.text import MAX_NOTE, MAX_TICKET, MAX_USER, check_length
from sla_cli.errors import InputError

__all__ = ["Overdraft", "WorkLog", "WorkPlan", "WorkPolicy", "check_work", "plan_work"]


@dataclass(frozen=True)
class WorkLog:
    """What `sla log` asks for."""

    ticket: str
    minutes: int  # as typed, before rounding
    on: date
    start: time | None = None  # when the work began (`--from`)
    kind: WorkKind = WorkKind.SUPPORT
    note: str | None = None
    client_key: str | None = None


@dataclass(frozen=True)
class WorkPolicy:
    """The config's billing rules for logged hours."""

    increment_minutes: int = 1
    refuse_overdraft: bool = False


@dataclass(frozen=True)
class Overdraft:
    """A warning, as data: the entry took a package balance below zero by ``short_minutes``."""

    client: str
    short_minutes: int


@dataclass(frozen=True)
class WorkPlan:
    """The entry to write: rounded minutes, when the work began, the balance after it."""

    minutes: int
    started_at: datetime  # `--from`, else when the entry is recorded
    balance_after: int | None  # package contracts only
    overdraft: Overdraft | None


def check_work(work: WorkLog, ticket: str, user: str, today: date) -> None:
    """The checks that need no ledger: sizes and a date not in the future."""
    if not ticket:
        raise InputError("a ticket is needed, such as ACME-12")
    check_length(ticket, MAX_TICKET, "the ticket")
    check_length(work.note, MAX_NOTE, "--note")
    check_length(user, MAX_USER, "the user name")
    if work.on > today:
        raise InputError(f"--on {work.on.isoformat()} is in the future")


def plan_work(
    work: WorkLog,
    contract: ContractRecord,
    balance: int | None,
    policy: WorkPolicy,
    zone: tzinfo,
    now: datetime,
) -> WorkPlan:
    """Round the entry up to the billing increment and check a package's balance.

    ``balance`` is the package balance before the entry (None for monthly contracts). Going
    below zero warns, or is refused when the config says so.
    """
    started_at = now  # without `--from`, the work is taken to have begun when it is recorded
    if work.start is not None:
        started_at = datetime.combine(work.on, work.start, tzinfo=zone)
        if started_at > now:
            raise InputError("--from is in the future")
        ended = started_at + timedelta(minutes=work.minutes)
        if ended > now:
            raise InputError(
                f"--from {work.start:%H:%M} and {format_duration(work.minutes)} of work end at "
                f"{ended:%Y-%m-%d %H:%M}, after now ({now.astimezone(zone):%H:%M}): "
                "log work once it is done"
            )
    minutes = round_up(work.minutes, policy.increment_minutes)
    if contract.billing != Billing.PACKAGE or balance is None:
        return WorkPlan(minutes, started_at, None, None)
    after = balance - minutes
    overdraft = None
    if after < 0:
        overdraft = Overdraft(contract.client.key, -after)
        if policy.refuse_overdraft:
            raise InputError(
                f"{contract.client.key} has {format_duration(balance)} left; this entry would "
                f"overdraw it by {format_duration(-after)} (billing.refuse_overdraft is on)"
            )
    return WorkPlan(minutes, started_at, after, overdraft)
