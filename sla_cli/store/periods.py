"""Month close and monthly statements: the ledger's totals for a month, aggregated in SQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, text
from sqlmodel import Session, col, select

from sla_cli.domain.billing import MonthClose, MonthUsage, close_month
from sla_cli.errors import InputError
from sla_cli.store.ledger import (
    MONTH_CLOSE_LOCK,
    balance,
    client_by_key,
    from_kopecks,
    is_closed,
    month_bounds,
    month_of,
    pk,
    terms_of,
    to_kopecks,
)
from sla_cli.store.models import Client, ClosedMonth, Closing, Contract, Entry

if TYPE_CHECKING:
    from sla_cli.config import Settings
    from sla_cli.domain.statement import MonthReport
    from sla_cli.store.engine import Ledger


def next_month(month: str) -> str:
    return month_of(month_bounds(month)[1])


def previous_month(month: str) -> str:
    return month_of(month_bounds(month)[0] - timedelta(days=1))


def active_contracts(
    s: Session, month: str, client_key: str | None = None
) -> list[tuple[Contract, Client]]:
    first, nxt = month_bounds(month)
    stmt = (
        select(Contract, Client)
        .join(Client, col(Client.id) == col(Contract.client_id))
        .where(col(Contract.start) < nxt)
        .where(or_(col(Contract.end).is_(None), col(Contract.end) > first))
    )
    if client_key:
        stmt = stmt.where(Contract.client_id == pk(client_by_key(s, client_key)))
    return [(c, cl) for c, cl in s.exec(stmt.order_by(col(Client.key), col(Contract.start)))]


def month_usage(s: Session, contracts: list[Contract], month: str) -> dict[int, MonthUsage]:
    """Each contract's totals for the month, in one grouped query (plus balances for packages)."""
    first, nxt = month_bounds(month)
    ids = [pk(c) for c in contracts]
    sums: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"support": 0, "dev": 0, "topup": 0, "topup_kopecks": 0}
    )
    if ids:
        rows = s.exec(
            select(  # type: ignore[call-overload]
                Entry.contract_id,
                Entry.category,
                Entry.kind,
                func.sum(Entry.minutes),
                func.sum(Entry.amount_kopecks),
            )
            .where(col(Entry.contract_id).in_(ids), col(Entry.on) >= first, col(Entry.on) < nxt)
            .where(col(Entry.category).in_(("work", "topup")))
            .group_by(col(Entry.contract_id), col(Entry.category), col(Entry.kind))
        )
        for contract_id, category, kind, minutes, kopecks in rows:
            bucket = sums[contract_id]
            if category == "work":
                bucket["dev" if kind == "dev" else "support"] += int(minutes or 0)
            else:
                bucket["topup"] += int(minutes or 0)
                bucket["topup_kopecks"] += int(kopecks or 0)
    out = {}
    for c in contracts:
        b = sums[pk(c)]
        out[pk(c)] = MonthUsage(
            support_minutes=b["support"],
            dev_minutes=b["dev"],
            topup_minutes=b["topup"],
            topup_amount=from_kopecks(b["topup_kopecks"]),
            opening_balance=balance(s, c, first) if c.billing == "package" else 0,
        )
    return out


def daily_minutes(
    s: Session, contracts: list[Contract], month: str
) -> dict[int, list[tuple[date, int]]]:
    first, nxt = month_bounds(month)
    out: dict[int, list[tuple[date, int]]] = defaultdict(list)
    ids = [pk(c) for c in contracts]
    if not ids:
        return out
    rows = s.exec(
        select(Entry.contract_id, Entry.on, func.sum(Entry.minutes))  # type: ignore[call-overload]
        .where(col(Entry.contract_id).in_(ids), col(Entry.on) >= first, col(Entry.on) < nxt)
        .where(Entry.category == "work")
        .group_by(col(Entry.contract_id), col(Entry.on))
        .order_by(col(Entry.on))
    )
    for contract_id, on, minutes in rows:
        out[contract_id].append((on, int(minutes or 0)))
    return out


# --- rollover ---------------------------------------------------------------------------------


@dataclass
class Rollover:
    target: str = ""  # the last month asked to close
    closed: list[dict[str, Any]] = field(default_factory=list)
    already_closed: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        return {"closed": self.closed, "already_closed": self.already_closed}


def last_ended_month(today: date) -> str:
    return month_of(today.replace(day=1) - timedelta(days=1))


def rollover(
    ledger: Ledger,
    settings: Settings,
    upto: str | None,
    today: date,
    user: str,
    now: datetime,
    dry_run: bool = False,
) -> Rollover:
    """Close every ended month that is still open, oldest first, up to ``upto``.

    Each month closes in its own transaction, serialised against other writers (SQLite's
    BEGIN IMMEDIATE, a PostgreSQL advisory lock), and is re-checked inside it, so two runs at
    once close each month exactly once. A dry run computes the same and writes nothing.
    """
    target = upto or last_ended_month(today)
    if month_bounds(target)[1] > today:
        raise InputError(f"{target} has not ended yet; months close once they are over")
    result = Rollover(target=target)
    with ledger.session() as s:
        earliest = s.exec(select(func.min(Contract.start))).one()
    months = []
    month = month_of(earliest) if earliest is not None else None
    while month is not None and month <= target:
        months.append(month)
        month = next_month(month)
    if dry_run:  # close them all in one transaction, then roll it back
        with ledger.session() as s:
            _lock(s)
            for m in months:
                _close_or_skip(s, settings, m, user, now, result)
            s.rollback()
        return result
    for m in months:
        with ledger.session() as s:
            _lock(s)
            _close_or_skip(s, settings, m, user, now, result)
    return result


def _close_or_skip(
    s: Session, settings: Settings, month: str, user: str, now: datetime, result: Rollover
) -> None:
    if is_closed(s, month):
        result.already_closed.append(month)
    else:
        result.closed.extend(_close(s, settings, month, user, now))


def _lock(s: Session) -> None:
    """Serialise month close: SQLite already holds BEGIN IMMEDIATE; PostgreSQL takes a lock."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(text("SELECT pg_advisory_xact_lock(:k)").bindparams(k=MONTH_CLOSE_LOCK))  # type: ignore[call-overload]
    else:
        s.exec(select(func.count()).select_from(ClosedMonth)).one()  # starts BEGIN IMMEDIATE


def _close(
    s: Session, settings: Settings, month: str, user: str, now: datetime
) -> list[dict[str, Any]]:
    contracts = active_contracts(s, month)
    usage = month_usage(s, [c for c, _ in contracts], month)
    last_day = month_bounds(month)[1] - timedelta(days=1)
    s.add(ClosedMonth(month=month, closed_at=now, closed_by=user))
    s.flush()
    rows = []
    for contract, client in contracts:
        figures = close_month(terms_of(contract, month), usage[pk(contract)])
        _post_close_entries(s, contract, client, last_day, month, figures, user, now)
        s.add(
            Closing(
                month=month,
                contract_id=pk(contract),
                burned_minutes=figures.burned_minutes,
                overage_minutes=figures.overage_minutes,
                overage_kopecks=to_kopecks(figures.overage_amount),
                carried_minutes=figures.carried_minutes,
                closing_balance_minutes=figures.closing_balance_minutes,
                amount_due_kopecks=to_kopecks(figures.amount_due),
            )
        )
        rows.append(
            {
                "month": month,
                "client": client.key,
                "burned_minutes": figures.burned_minutes,
                "overage_minutes": figures.overage_minutes,
                "carried_minutes": figures.carried_minutes,
            }
        )
    s.flush()
    return rows


def _post_close_entries(
    s: Session,
    contract: Contract,
    client: Client,
    on: date,
    month: str,
    figures: MonthClose,
    user: str,
    now: datetime,
) -> None:
    posts: list[tuple[str, int, Decimal | None, str]] = []
    if figures.burned_minutes:
        posts.append(("burn", figures.burned_minutes, None, f"{month}: unused hours burn"))
    if figures.overage_minutes:
        what = {
            "package": "overdraft billed, balance back to 0",
            "monthly": "custom development billed"
            if contract.included_minutes is None
            else "hours beyond the tier billed",
        }[contract.billing]
        posts.append(
            ("overage", figures.overage_minutes, figures.overage_amount, f"{month}: {what}")
        )
    if figures.carried_minutes:
        posts.append(("carry", figures.carried_minutes, None, f"{month}: balance carried on"))
    for kind, minutes, amount, note in posts:
        s.add(
            Entry(
                contract_id=pk(contract),
                client_id=pk(client),
                on=on,
                minutes=minutes,
                type=kind,
                category=kind,
                amount_kopecks=None if amount is None else to_kopecks(amount),
                by=user,
                note=note,
                created_at=now,
            )
        )


# --- statements -------------------------------------------------------------------------------


def month_report(
    s: Session,
    settings: Settings,
    month: str,
    client_key: str | None,
    now: datetime,
) -> MonthReport:
    """Statements for every contract active in ``month`` (a preview while it is open)."""
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.statement import IncidentLine, MonthReport, Statement
    from sla_cli.store.incidents import clocks, incidents, known

    contracts = active_contracts(s, month, client_key)
    only = [c for c, _ in contracts]
    usage = month_usage(s, only, month)
    daily = daily_minutes(s, only, month)
    first, nxt = month_bounds(month)
    cal = BusinessCalendar(settings.schedule)
    closed = s.get(ClosedMonth, month)
    # Money and hours are final once a month closes; an incident's clocks show its latest outcome
    # (one still running at the close is reported as it ended). Nothing can be dated into a
    # closed month, so no incident or event is added to it later.
    by_contract: dict[int, list[IncidentLine]] = defaultdict(list)
    for row in incidents(
        s, client_key=client_key, opened_from=first, opened_before=nxt, tz=settings.timezone
    ):
        reaction, start = clocks(row, cal, now, settings.at_risk_percent)
        i = row.incident
        resolved = known(i.resolved_at, now)
        by_contract[pk(row.contract)].append(
            IncidentLine(i.ticket, i.title or "", i.opened_at, resolved, reaction, start)
        )
    variants = {v.number: v for v in settings.catalog.variants}
    statements = []
    for contract, client in contracts:
        v = variants.get(contract.variant)
        tier_en = next(
            (t.name_en for t in (v.tiers if v else ()) if t.key == contract.tier_key),
            contract.tier_name,
        )
        statements.append(
            Statement(
                client=client.key,
                client_name=client.name,
                contract_id=pk(contract),
                variant=contract.variant,
                variant_name=v.name if v else f"Вариант {contract.variant}",
                variant_name_en=v.name_en if v else f"Variant {contract.variant}",
                tier_name_en=tier_en,
                terms=terms_of(contract, month),
                figures=close_month(terms_of(contract, month), usage[pk(contract)]),
                daily_minutes=tuple(daily.get(pk(contract), [])),
                incidents=tuple(by_contract.get(pk(contract), [])),
            )
        )
    year, mon = int(month[:4]), int(month[5:7])
    return MonthReport(
        year=year,
        month=mon,
        closed=closed is not None,
        company=settings.company_name,
        currency=settings.catalog.currency,
        timezone=settings.timezone,
        generated_at=now,
        statements=tuple(statements),
    )
