"""SQLModel tables. Money is stored as whole kopecks, percentages as basis points (1/100 %),
durations as whole minutes, moments in UTC."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from sla_cli.domain.kinds import EntryType
from sla_cli.store.checks import (
    CHANGE_CHECKS,
    CHANGE_MONTHS_CHECK,
    CONTRACT_CHECKS,
    ENTRY_CHECKS,
    EVENT_CHECKS,
    EVENT_VALUE_CHECK,
    checks,
)
from sla_cli.store.columns import kopecks, utc_column
from sla_cli.store.mail_models import MailDecision, MailMessage
from sla_cli.store.team_models import Person

__all__ = [
    "Client", "ClientDetails", "ClosedMonth", "Closing", "Contract", "ContractChange", "Document",
    "Entry", "Incident", "IncidentEvent", "MailDecision", "MailMessage", "MonthSeal", "Payment",
    "Person", "SQLModel", "Timer", "TimerEnd",
]  # fmt: skip

ENTRY_TYPES = tuple(t.value for t in EntryType)


class Client(SQLModel, table=True):
    __tablename__ = "clients"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    created_at: datetime = utc_column()
    created_by: str = Field(max_length=100)


class Contract(SQLModel, table=True):
    """A signed contract with a snapshot of its terms (and of the names statements print)."""

    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_client_start", "client_id", "start"),
        *checks(CONTRACT_CHECKS),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id")
    variant: int
    variant_name: str = Field(max_length=200)
    variant_name_en: str = Field(max_length=200)
    billing: str = Field(max_length=16)
    burns: bool
    tier_key: str = Field(max_length=32)
    tier_name: str = Field(max_length=100)
    tier_name_en: str = Field(max_length=100)
    included_minutes: int | None = None
    price_kopecks: int = kopecks()
    prepay_discount_bp: int
    hour_rate_kopecks: int = kopecks()
    hour_discount_bp: int
    dev_cap_minutes: int | None = None
    reaction_minutes: int
    start_minutes: int
    start: date
    end: date | None = None  # exclusive; None: open-ended (packages)
    months: int | None = None
    prepaid_months: int
    timezone: str | None = Field(default=None, max_length=64)
    created_at: datetime = utc_column()
    created_by: str = Field(max_length=100)
    # the incident priorities signed with, as JSON: [{"key", "reaction_minutes",
    # "start_minutes", "resolve_minutes"}, …]; None: the targets above as the one `normal`
    priorities: str | None = Field(default=None, max_length=4000)


class Entry(SQLModel, table=True):
    """One line of the append-only ledger."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_on", "on"),
        Index("ix_entries_contract_on", "contract_id", "on"),
        Index("ix_entries_client_on", "client_id", "on"),
        Index("ix_entries_ticket", "ticket"),
        # an incident's first work, from the index alone whatever the planner's statistics say
        Index(
            "ix_entries_client_ticket", "client_id", "ticket", "type", "created_at", "started_at"
        ),
        Index("ix_entries_by_id", "by", "id"),
        Index("ix_entries_by_on", "by", "on"),
        Index("ix_entries_source", "source"),
        Index("uq_entries_import_key", "import_key", unique=True),
        *checks(ENTRY_CHECKS),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contracts.id")
    client_id: int = Field(foreign_key="clients.id")
    ticket: str | None = Field(default=None, max_length=64)
    on: date
    minutes: int
    type: str = Field(max_length=16)
    category: str = Field(max_length=16)  # what it counts toward: the reversed type for reversals
    kind: str | None = Field(default=None, max_length=16)
    amount_kopecks: int | None = kopecks(nullable=True)  # a package's price, an overage's amount
    started_at: datetime | None = utc_column(nullable=True)
    by: str = Field(max_length=100)
    note: str | None = Field(default=None, max_length=1000)
    reverses: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("entries.id"), unique=True)
    )
    created_at: datetime = utc_column()
    # an imported entry: the SHA-256 of the file it came from, and its line there
    source: str | None = Field(default=None, max_length=64)
    source_line: int | None = None
    # an imported row's identity (`ops.imports`): each is imported once, whatever its file
    import_key: str | None = Field(default=None, max_length=64)


class ClosedMonth(SQLModel, table=True):
    __tablename__ = "closed_months"

    month: str = Field(primary_key=True, max_length=7)  # YYYY-MM
    closed_at: datetime = utc_column()
    closed_by: str = Field(max_length=100)
    # SHA-256 of the month's entries and terms (`domain.seal`); None: closed before revision 0004
    digest: str | None = Field(default=None, max_length=64)
    # what the month's SLA clocks were computed with (`domain.clock_terms`, JSON); None:
    # closed before revision 0005
    clock_terms: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class MonthSeal(SQLModel, table=True):
    """A closed month's link in the chain (`domain.chain`): over its close, its figures, its
    incidents and events, and the link before it."""

    __tablename__ = "month_seals"

    month: str = Field(primary_key=True, max_length=7, foreign_key="closed_months.month")
    previous: str | None = Field(default=None, max_length=64)  # None: the first link
    chain: str = Field(max_length=64, unique=True)
    clocks_digest: str = Field(max_length=64)
    # the month in UTC (the company's zone at the close), and the newest incident event then:
    # which incidents and events the link covers
    starts_at: datetime = utc_column()
    ends_at: datetime = utc_column()
    last_event_id: int
    late: bool = False  # sealed by revision 0008, after the month had closed
    sealed_at: datetime = utc_column()
    sealed_by: str = Field(max_length=100)


class Closing(SQLModel, table=True):
    """One contract's figures for a closed month."""

    __tablename__ = "closings"
    __table_args__ = (
        UniqueConstraint("month", "contract_id", name="uq_closings_month_contract"),
        Index("ix_closings_contract_month", "contract_id", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, foreign_key="closed_months.month")
    contract_id: int = Field(foreign_key="contracts.id")
    burned_minutes: int
    overage_minutes: int
    overage_kopecks: int = kopecks()
    carried_minutes: int
    closing_balance_minutes: int | None = None
    amount_due_kopecks: int = kopecks()
    # the contract's own seal (revision 0010; None for closes before it): `domain.seal`
    entries_digest: str | None = Field(default=None, max_length=64)


class Incident(SQLModel, table=True):
    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_ticket", "ticket"),
        Index("ix_incidents_client_opened", "client_id", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contracts.id")
    client_id: int = Field(foreign_key="clients.id")
    ticket: str = Field(max_length=64)
    title: str | None = Field(default=None, max_length=500)
    opened_at: datetime = utc_column(index=True)
    # The events of ledgers written before revision 0003, copied into `incident_events` by it
    # (and back by its downgrade); nothing reads or writes them since.
    reacted_at: datetime | None = utc_column(nullable=True)
    started_at: datetime | None = utc_column(nullable=True)
    resolved_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()
    created_by: str = Field(max_length=100)
    priority: str | None = Field(default=None, max_length=32)  # as opened; None: the default


class IncidentEvent(SQLModel, table=True):
    """One row of an incident's append-only event log."""

    __tablename__ = "incident_events"
    __table_args__ = (
        Index("ix_incident_events_incident_kind", "incident_id", "kind"),
        Index("ix_incident_events_at", "at"),
        *checks(EVENT_CHECKS),
        *checks(EVENT_VALUE_CHECK),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incidents.id")
    kind: str = Field(max_length=16)
    at: datetime = utc_column()
    undoes: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("incident_events.id"), unique=True)
    )
    note: str | None = Field(default=None, max_length=1000)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()
    value: str | None = Field(default=None, max_length=32)  # a priority change: the new one


class ContractChange(SQLModel, table=True):
    """One row of a contract's append-only change log: its end moved, or it was cancelled."""

    __tablename__ = "contract_changes"
    __table_args__ = (
        Index("ix_contract_changes_contract_kind", "contract_id", "kind"),
        *checks(CHANGE_CHECKS),
        *checks(CHANGE_MONTHS_CHECK),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contracts.id")
    kind: str = Field(max_length=16)
    end: date | None = None  # an end change: the new exclusive end
    months: int | None = None  # a payment in advance: how many months it pays
    pays_from: date | None = None  # and the first, when unpaid months lie before it (0013)
    note: str | None = Field(default=None, max_length=1000)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


# Migration 0004 creates this one with the same name and condition.
TIMER_END_CHECKS = {
    "ck_timer_ends_outcome": (
        "(outcome = 'logged' AND entry_id IS NOT NULL)"
        " OR (outcome = 'discarded' AND entry_id IS NULL)"
    ),
}


class Timer(SQLModel, table=True):
    """A timer an engineer started: running until a row of ``timer_ends`` ends it."""

    __tablename__ = "timers"
    __table_args__ = (
        Index("ix_timers_by", "by"),
        Index("ix_timers_client_ticket", "client_id", "ticket"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id")
    ticket: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=1000)
    started_at: datetime = utc_column()
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class TimerEnd(SQLModel, table=True):
    """How a timer ended: logged as an entry, or discarded; once (the unique ``timer_id``)."""

    __tablename__ = "timer_ends"
    __table_args__ = (*checks(TIMER_END_CHECKS),)

    id: int | None = Field(default=None, primary_key=True)
    timer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("timers.id"), unique=True, nullable=False)
    )
    outcome: str = Field(max_length=16)  # logged | discarded
    entry_id: int | None = Field(default=None, foreign_key="entries.id")
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


DOCUMENT_CHECKS = {"ck_documents_kind": "kind IN ('invoice', 'act')",
                   "ck_documents_number": "number >= 1"}  # fmt: skip


class ClientDetails(SQLModel, table=True):
    """A client's legal details for its closing documents; the latest row is the one in force."""

    __tablename__ = "client_details"
    __table_args__ = (Index("ix_client_details_client", "client_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="clients.id")
    full_name: str | None = Field(default=None, max_length=500)
    inn: str | None = Field(default=None, max_length=12)
    kpp: str | None = Field(default=None, max_length=9)
    address: str | None = Field(default=None, max_length=1000)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class Document(SQLModel, table=True):
    """An invoice or an act of a client's closed month as issued: numbered once per kind and
    year, what it printed (``content``), sealed with its month and the one before (``digest``)."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("kind", "year", "number", name="uq_documents_number"),
        UniqueConstraint("kind", "client_id", "month", name="uq_documents_month"),
        *checks(DOCUMENT_CHECKS),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    year: int
    number: int
    client_id: int = Field(foreign_key="clients.id")
    month: str = Field(max_length=7, foreign_key="closed_months.month")
    on: date  # the document's date: the month's last day
    amount_kopecks: int = kopecks()  # the total, VAT included
    vat_kopecks: int = kopecks()
    content: str = Field(sa_column=Column(Text, nullable=False))
    digest: str = Field(max_length=64)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class Payment(SQLModel, table=True):
    """A payment of an invoice, or the undoing of one (``undoes``)."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_document", "document_id"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id")
    on: date
    amount_kopecks: int = kopecks()
    undoes: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("payments.id"), unique=True)
    )
    note: str | None = Field(default=None, max_length=1000)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class Notice(SQLModel, table=True):
    """A notice the alerts decided to send: one per subject, level and route (``key``)."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("key", "route", name="uq_notices_key_route"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)  # clock:INCIDENT:CLOCK:LEVEL or hours:CONTRACT:MONTH:LEVEL
    route: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # what it says, JSON
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class NoticeAttempt(SQLModel, table=True):
    """A delivery of a notice begun (once per attempt number), and how it ended, if it did."""

    __tablename__ = "notice_attempts"
    __table_args__ = (UniqueConstraint("notice_id", "attempt", name="uq_notice_attempts"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notices.id")
    attempt: int
    ended: int | None = Field(  # the attempt this row ends; None: it begins one
        default=None, sa_column=Column(Integer, ForeignKey("notice_attempts.id"), unique=True)
    )
    ok: bool | None = None
    error: str | None = Field(default=None, max_length=500)
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()
