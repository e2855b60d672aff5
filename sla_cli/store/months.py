"""Closed months and the lock that keeps writes out of a month being closed."""

from __future__ import annotations

from sqlalchemy import func, text
from sqlmodel import Session, select

from sla_cli.domain.billing import MonthClose
from sla_cli.domain.month import Month
from sla_cli.store.models import ClosedMonth, Closing
from sla_cli.store.rows import to_kopecks, wall_clock

# Month close holds this PostgreSQL advisory lock exclusively; every write dated in a month takes
# it shared first, so no entry can slip into a month between its check and the close.
# (SQLite needs none: every transaction there is BEGIN IMMEDIATE.)
MONTH_CLOSE_LOCK = 0x5_1A_C105E


def is_closed(s: Session, month: Month) -> bool:
    return s.get(ClosedMonth, str(month)) is not None


def latest_closed(s: Session) -> Month | None:
    label = s.exec(select(func.max(ClosedMonth.month))).one()
    return None if label is None else Month.parse(label)


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


def mark_closed(s: Session, month: Month, user: str) -> None:
    """Record the close, stamped by the real clock."""
    s.add(ClosedMonth(month=str(month), closed_at=wall_clock(s), closed_by=user))
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
