"""Signing, ending and listing contracts; buying packages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sla_cli.domain.contracts import (
    Cancelling,
    Ending,
    NewContract,
    Signing,
    plan_cancel,
    plan_end,
    plan_prepay,
    sign,
)
from sla_cli.domain.kinds import Billing, ChangeKind, EntryType
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractRecord, EntryRecord
from sla_cli.domain.tariffs import Tier
from sla_cli.domain.text import MAX_NAME, MAX_NOTE, check_author, check_text
from sla_cli.errors import InputError, NotFound
from sla_cli.ops.lookup import client_by_key, contract_on, ensure_open
from sla_cli.store.base import NewEntry
from sla_cli.timeparse import zone_exists

if TYPE_CHECKING:
    from collections.abc import Callable

    from sla_cli.domain.forecast import Forecast
    from sla_cli.domain.tariffs import Catalog
    from sla_cli.store.store import Store


@dataclass(frozen=True)
class Bought:
    """A package bought: its entry and the balance after it."""

    entry: EntryRecord
    balance: int


def add_contract(
    s: Store, catalog: Catalog, new: NewContract, user: str, now: datetime
) -> ContractRecord:
    """Sign a contract on the catalog's terms; a package contract buys its first package."""
    check_text(new.client_name, MAX_NAME, "the client's name")
    user = check_author(user)
    if new.timezone and not zone_exists(new.timezone):
        raise InputError(f"unknown time zone {new.timezone!r}; use a name like Europe/Moscow")
    s.lock_client(new.key)  # the contracts it must not overlap, read once at a time
    s.lock_for_write()  # and no month closes meanwhile
    existing = s.find_client(new.key.strip().upper())
    facts = Signing(
        client_name=None if existing is None else existing.name,
        latest_closed=s.latest_closed(),
        others=() if existing is None else s.client_contracts(existing.id),
        now=now,
        user=user,
        names=() if existing is not None else s.client_names(),
    )
    draft = sign(catalog, new, facts)
    contract = s.save_contract(draft, user)
    if draft.first_package:
        _buy(s, contract, draft.tier, new.start, user)
    return contract


def _buy(s: Store, contract: ContractRecord, tier: Tier, on: date, user: str) -> EntryRecord:
    from sla_cli.domain.statement import package_note  # the statements' rules: only to buy

    new = NewEntry(
        contract=contract,
        on=on,
        minutes=tier.minutes or 0,
        type=EntryType.TOPUP,
        by=user,
        note=package_note(tier.name),
        amount=tier.price,
    )
    return s.add_entry(new)


def topup(
    s: Store,
    catalog: Catalog,
    key: str,
    tier: str | None,
    on: date,
    user: str,
    now: datetime,
    today: date | None = None,
) -> Bought:
    """Buy another package for a variant 3 contract; ``today`` (default: ``on``) dates the
    balance shown after it."""
    user = check_author(user)
    if today is not None and on > today:
        raise InputError(
            f"--on {on.isoformat()} is in the future: a package is recorded once it is bought"
        )
    client = client_by_key(s, key)
    s.lock_client(client.key)
    contract = contract_on(s, client, on)
    if contract.billing != Billing.PACKAGE:
        raise InputError(
            f"{client.key} is on variant {contract.variant}: only packages are topped up"
        )
    ensure_open(s, on)
    package = catalog.variant(contract.variant).tier(tier or contract.tier_key)
    entry = _buy(s, contract, package, on, user)
    return Bought(entry, s.package_balance(contract).current(Month.of(today or on)))


def end_contract(
    s: Store,
    catalog: Catalog,
    key: str,
    last: date,
    note: str | None,
    user: str,
    now: datetime,
) -> ContractRecord:
    """Move the end of the client's contract that started last by ``last`` to after ``last``,
    its new last day: earlier or later, recorded as a change with who, when and why."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(user)
    client = client_by_key(s, key)
    s.lock_client(client.key)
    contract = s.latest_started(client.id, last)
    if contract is None:
        raise NotFound(f"{client.key} has no contract started by {last.isoformat()}")
    s.lock_for_write()
    end = date.fromordinal(last.toordinal() + 1)
    facts = Ending(
        min_months=catalog.variant(contract.variant).min_months,
        latest_closed=s.latest_closed(),
        later_entries=s.count_from(contract.id, end),
        others=tuple(c for c in s.client_contracts(client.id) if c.id != contract.id),
    )
    end = plan_end(contract, last, facts, note)
    return s.add_change(contract.id, ChangeKind.END, end, note, user)


@dataclass(frozen=True)
class Cancelled:
    contract: ContractRecord
    reversal: EntryRecord | None  # the entry that reversed its first package


def cancel_contract(s: Store, key: str, note: str, user: str, now: datetime) -> Cancelled:
    """Cancel the client's contract signed last (by mistake), reversing its first package."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(user)
    client = client_by_key(s, key)
    s.lock_client(client.key)  # no log or incident slips in between the checks and the cancel
    live = s.client_contracts(client.id)
    if not live:
        raise NotFound(f"{client.key} has no contract to cancel")
    contract = max(live, key=lambda c: c.id)
    s.lock_for_write()
    facts = Cancelling(
        latest_closed=s.latest_closed(),
        first_entry=s.first_entry(contract.id),
        unreversed=tuple(s.unreversed(contract.id)),
        incidents=tuple(s.contract_incidents(contract.id)),
    )
    package = plan_cancel(contract, note, facts)
    note = note.strip()
    reversal = None
    if package is not None:
        text = f"contract {contract.id} cancelled: {note}"[:MAX_NOTE]
        reversal = s.add_reversal(package, user, text)
    changed = s.add_change(contract.id, ChangeKind.CANCEL, None, note, user)
    return Cancelled(changed, reversal)


def the_contract(s: Store, client: ClientRecord, today: date) -> ContractRecord:
    """The contract `contract show` means: the one active today, else the one signed last
    (cancelled ones only when the client has no other)."""
    active = s.contract_on(client.id, today)
    if active is not None:
        return active
    every = s.client_contracts(client.id, with_cancelled=True)
    if not every:
        raise NotFound(f"{client.key} has no contract")
    live = [c for c in every if c.cancelled is None]
    return max(live or every, key=lambda c: c.id)


def show_contract(
    s: Store, key: str, today: date, working: Callable[[date], bool] | None = None
) -> ContractLine:
    """A contract's terms, its history of changes and its balance; with the production
    calendar's ``working`` days, its forecast."""
    contract = the_contract(s, client_by_key(s, key), today)
    balance = _balance(s, contract, today)
    forecast = None if working is None else contract_forecast(s, contract, balance, today, working)
    return ContractLine(contract, balance, forecast)


def forecast_window(today: date) -> tuple[date, date]:
    """The days a forecast on ``today`` reads: the last 30 and the same month last year."""
    from sla_cli.domain.forecast import WINDOW_DAYS

    then = Month.of(today).plus(-12)
    return min(today - timedelta(days=WINDOW_DAYS), then.first_day), today


def forecast_spans(today: date) -> list[tuple[date, date]]:
    """Only the days a forecast on ``today`` counts: the last 30, and the same month last
    year (first and last days)."""
    from sla_cli.domain.forecast import WINDOW_DAYS

    then = Month.of(today).plus(-12)
    return [(today - timedelta(days=WINDOW_DAYS), today), (then.first_day, then.last_day)]


def contract_forecast(
    s: Store, c: ContractRecord, balance: int | None, today: date, working: Callable[[date], bool],
    daily: list[tuple[date, int]] | None = None, used: int | None = None,
) -> ContractForecast | None:  # fmt: skip
    """When a package's hours run out, or a variant 1 month's are used up, at the pace of the
    last 30 days and of the same month last year (`domain.forecast`); None for a contract
    without either, or not in force today. ``daily`` (the client's minutes each day of
    ``forecast_window``) and ``used`` (the month's minutes so far) when read already."""
    from sla_cli.domain import forecast as f

    month = Month.of(today)
    monthly = c.variant == 1 and c.included_minutes is not None
    if not c.covers(today) or not (monthly or balance is not None):
        return None
    if daily is None:
        daily = s.client_daily(c.client.id, *forecast_window(today))
    paces = [f.recent_pace(daily, today, c.start, working), f.last_year_pace(daily, month, working)]
    if monthly:
        assert c.included_minutes is not None
        if used is None:
            used = s.month_usage([c], month)[c.id].used_minutes
        found = [f.month_forecast(c.included_minutes, used, p, today, working) if p else None
                 for p in paces]  # fmt: skip
        status = f.month_status(c.included_minutes, used, today, working)
        return ContractForecast("month", found[0], found[1], status, used)
    assert balance is not None
    found = [f.package_forecast(balance, p, today, working) if p else None for p in paces]
    return ContractForecast("package", found[0], found[1], None, None)


def _balance(s: Store, c: ContractRecord, today: date) -> int | None:
    if c.billing != Billing.PACKAGE:
        return None
    return s.package_balance(c).current(Month.of(today))


class ContractForecast(NamedTuple):
    """A contract's forecast: at the recent pace, and at last year's in the same month (None:
    fewer than 5 working days of data, or nothing worked then)."""

    kind: str  # "package": when its balance runs out; "month": when the month's hours do
    recent: Forecast | None
    last_year: Forecast | None
    status: str | None  # a month: "on pace", "ahead" or "behind"
    used_minutes: int | None  # a month: used so far


@dataclass(frozen=True)
class ContractLine:
    contract: ContractRecord
    balance: int | None  # package contracts: the balance now
    forecast: ContractForecast | None = None  # `contract show` only


def list_contracts(s: Store, today: date, with_cancelled: bool = False) -> list[ContractLine]:
    """Every contract (cancelled ones too, when asked); a package's balance as it stands
    ``today``, earlier open months closed as their closes will close them."""
    return [ContractLine(c, _balance(s, c, today)) for c in s.all_contracts(with_cancelled)]


def prepay(
    s: Store, key: str, months_paid: int, note: str | None, user: str
) -> tuple[ContractRecord, Month, Month]:
    """Record a payment in advance on the client's contract in force (or signed last): the
    fees of the months after those paid already, offset on their statements."""
    check_text(note, MAX_NOTE, "--note")
    user = check_author(user)
    client = client_by_key(s, key)
    s.lock_client(client.key)
    s.lock_for_write()
    live = [c for c in s.client_contracts(client.id) if c.cancelled is None]
    if not live:
        raise NotFound(f"{client.key} has no contract to pay in advance")
    contract = max(live, key=lambda c: (c.start, c.id))
    first, last = plan_prepay(contract, months_paid, s.latest_closed())
    skips = None if first == contract.paid_until else first.first_day  # unpaid months between
    saved = s.add_change(contract.id, ChangeKind.PREPAY, None, note, user, months_paid, skips)
    return saved, first, last
