"""Closed months and the lock that keeps writes out of a month being closed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from sla_cli.domain.billing import MonthClose
from sla_cli.domain.month import Month
from sla_cli.domain.seal import ClosedFigures, Figures
from sla_cli.store.convert import from_kopecks, to_kopecks
from sla_cli.store.models import Client, ClosedMonth, Closing, Contract
from sla_cli.store.rows import wall_clock

# Month close holds this PostgreSQL advisory lock exclusively; every write dated in a month takes
# it shared first, so no entry can slip into a month between its check and the close.
# (SQLite needs none: every writing transaction there is BEGIN IMMEDIATE.)
MONTH_CLOSE_LOCK = 0x5_1A_C105E


def is_closed(s: Session, month: Month) -> bool:
    return s.get(ClosedMonth, str(month)) is not None


def latest_closed(s: Session) -> Month | None:
    label = s.exec(select(func.max(ClosedMonth.month))).one()
    return None if label is None else Month.parse(label)


def closed_months(s: Session) -> list[tuple[Month, str | None]]:
    """Every closed month, oldest first, with the digest its close recorded."""
    rows = s.exec(select(ClosedMonth.month, ClosedMonth.digest).order_by(col(ClosedMonth.month)))
    return [(Month.parse(m), digest) for m, digest in rows]


def digest_of(s: Session, month: Month) -> str | None:
    row = s.get(ClosedMonth, str(month))
    return None if row is None else row.digest


def lock_for_write(s: Session) -> None:
    """Before a write dated in a month: wait for any month close under way (PostgreSQL)."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(text("SELECT pg_advisory_xact_lock_shared(:k)").bindparams(k=MONTH_CLOSE_LOCK))  # type: ignore[call-overload]


def lock_for_close(s: Session) -> None:
    """Serialise month close: SQLite already holds BEGIN IMMEDIATE; PostgreSQL takes a lock."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(text("SELECT pg_advisory_xact_lock(:k)").bindparams(k=MONTH_CLOSE_LOCK))  # type: ignore[call-overload]
    else:
        s.exec(select(func.count()).select_from(ClosedMonth)).one()  # starts BEGIN IMMEDIATE


def clock_terms_of(s: Session, month: Month) -> str | None:
    """What the close of ``month`` sealed its SLA clocks with (JSON); None: closed before
    they were sealed, or not closed."""
    row = s.get(ClosedMonth, str(month))
    return None if row is None else row.clock_terms


def sealed_clock_terms(s: Session) -> dict[Month, str]:
    """Every closed month's sealed clock terms (JSON), for those that have them."""
    rows = s.exec(
        select(ClosedMonth.month, ClosedMonth.clock_terms).where(
            col(ClosedMonth.clock_terms).is_not(None)
        )
    )
    return {Month.parse(m): terms for m, terms in rows if terms is not None}


def mark_closed(
    s: Session, month: Month, user: str, digest: str, clock_terms: str | None = None
) -> None:
    """Record the close, the last write of its transaction, stamped when it commits: the real
    clock now (PostgreSQL's ``clock_timestamp()``, not the transaction's start, which may have
    waited for the lock)."""
    if s.get_bind().dialect.name == "postgresql":
        stamp: datetime = s.exec(select(func.clock_timestamp())).one()
        closed_at = stamp.astimezone(UTC).replace(microsecond=0)
    else:
        closed_at = wall_clock(s)
    s.add(
        ClosedMonth(
            month=str(month),
            closed_at=closed_at,
            closed_by=user,
            digest=digest,
            clock_terms=clock_terms,
        )
    )
    s.flush()


def save_closing(s: Session, month: Month, contract_id: int, figures: MonthClose) -> None:
    s.add(
        Closing(
            month=str(month),
            contract_id=contract_id,
            burned_minutes=figures.burned_minutes,
            overage_minutes=figures.overage_minutes,
            overage_kopecks=to_kopecks(figures.overage_amount),
            carried_minutes=figures.carried_minutes,
            closing_balance_minutes=figures.closing_balance_minutes,
            amount_due_kopecks=to_kopecks(figures.amount_due),
        )
    )


def closings(s: Session, month: Month) -> Figures:
    """The figures the month's close stored, by contract id, with the client's key."""
    rows = s.exec(
        select(Closing, Client.key)
        .join(Contract, col(Contract.id) == col(Closing.contract_id))
        .join(Client, col(Client.id) == col(Contract.client_id))
        .where(Closing.month == str(month))
    )
    return {
        c.contract_id: (
            key,
            ClosedFigures(
                burned_minutes=c.burned_minutes,
                overage_minutes=c.overage_minutes,
                overage_amount=from_kopecks(c.overage_kopecks),
                carried_minutes=c.carried_minutes,
                closing_balance_minutes=c.closing_balance_minutes,
                amount_due=from_kopecks(c.amount_due_kopecks),
            ),
        )
        for c, key in rows
    }
