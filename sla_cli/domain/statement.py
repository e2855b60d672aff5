"""A client's monthly statement: the figures of the month close plus its incidents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sla_cli.domain.billing import ContractTerms, MonthClose, MonthUsage, close_month
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import Clock
from sla_cli.domain.compliance import Compliance, compliance
from sla_cli.domain.incidents import IncidentRecord, known
from sla_cli.domain.kinds import Billing
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.domain.sla_clocks import PAUSING, clocks, resolution_clock, waiting_minutes
from sla_cli.domain.tariffs import DEFAULT_PRIORITY
from sla_cli.domain.work_report import TicketWork, work_report

__all__ = [
    "IncidentLine",
    "Letterhead",
    "MonthFacts",
    "MonthReport",
    "PackageBought",
    "Statement",
    "assemble",
    "package_bought",
    "package_note",
]

_PACKAGE = "package "


@dataclass(frozen=True)
class PackageBought:
    """A package bought in the month, as the ledger recorded it when it was bought."""

    on: date
    tier_name: str  # as named when bought
    minutes: int
    price: Decimal


def package_note(tier_name: str) -> str:
    """The note a package's entry carries: it names the package as it was when bought."""
    return f"{_PACKAGE}{tier_name}"


def package_bought(entry: EntryRecord) -> PackageBought:
    """The package a top-up entry bought."""
    note = entry.note or ""
    name = note[len(_PACKAGE) :] if note.startswith(_PACKAGE) else note
    return PackageBought(entry.on, name.strip(), entry.minutes, entry.amount or Decimal(0))


@dataclass(frozen=True)
class IncidentLine:
    ticket: str
    title: str
    opened_at: datetime
    resolved_at: datetime | None
    reaction: Clock
    start: Clock
    waiting_minutes: int = 0  # business minutes it waited for the client
    priority: str = DEFAULT_PRIORITY
    resolve: Clock | None = None  # when the priority sets a resolution target
    # when someone reacted and when work started, or None: a resolution stops the clocks (their
    # status says how they ended) but is neither
    reacted_at: datetime | None = None
    started_at: datetime | None = None
    channel: str | None = None  # "mail": opened from the client's mail; None: by hand

    @property
    def clocks(self) -> tuple[Clock, ...]:
        return (self.reaction, self.start) + (() if self.resolve is None else (self.resolve,))

    def done(self, clock: str) -> datetime | None:
        """When what ``clock`` waits for happened: the reaction, the start of work, the
        resolution; None while it has not."""
        return {"reaction": self.reacted_at, "start": self.started_at}.get(clock, self.resolved_at)


@dataclass(frozen=True)
class Statement:
    client: str  # the client's key, e.g. ACME
    client_name: str
    contract_id: int
    variant: int
    variant_name: str  # Russian, as in the offer
    variant_name_en: str
    tier_name_en: str
    terms: ContractTerms
    figures: MonthClose
    daily_minutes: tuple[tuple[date, int], ...]  # hours logged per day (for the chart)
    incidents: tuple[IncidentLine, ...]
    packages: tuple[PackageBought, ...] = ()  # packages bought in the month (variant 3)
    prepaid_offset: Decimal = Decimal(0)  # the fee paid in advance, offset against what is due
    timezone: str | None = None  # the client's, when its contract has one: its times are in it
    work: tuple[TicketWork, ...] = ()  # the work report: the month's tickets, most hours first
    compliance: Compliance | None = None  # SLA clocks met and breached, the month and the year

    @property
    def left_to_pay(self) -> Decimal:
        """What the client still owes for the month: what it accrued, less what was prepaid."""
        return self.figures.amount_due - self.prepaid_offset

    @property
    def breaches(self) -> int:
        """How many clocks of the month's incidents were breached."""
        return sum(c.status == "breached" for i in self.incidents for c in i.clocks)


@dataclass(frozen=True)
class MonthReport:
    year: int
    month: int
    closed: bool  # False: the month is still open and the statement is a preview
    company: str
    currency: str
    timezone: str
    generated_at: datetime
    statements: tuple[Statement, ...]
    # a closed month's seal as people keep it (`domain.chain.fingerprint`); None: open
    fingerprint: str | None = None

    @property
    def label(self) -> str:
        return str(Month(self.year, self.month))

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the month, for charts."""
        return Month(self.year, self.month).days


@dataclass(frozen=True)
class MonthFacts:
    """What the ledger holds for one month: everything a statement is assembled from."""

    month: Month
    closed: bool
    contracts: Sequence[ContractRecord]
    usage: Mapping[int, MonthUsage]  # by contract id
    daily: Mapping[int, Sequence[tuple[date, int]]]  # hours logged per day, by contract id
    incidents: Sequence[IncidentRecord]  # opened in the month
    topups: Mapping[int, Sequence[EntryRecord]] = field(default_factory=dict)
    # packages bought in the month and not voided, by contract id
    work: Mapping[int, Sequence[EntryRecord]] = field(default_factory=dict)
    # the month's work entries that count, oldest first, by contract id
    titles: Mapping[int, Mapping[str, str | None]] = field(default_factory=dict)
    # the titles of the incidents of the tickets worked on, by client id and ticket
    history: Mapping[int, Mapping[Month, Sequence[Sequence[Clock]]]] = field(default_factory=dict)
    # the clocks of each client's incidents opened in the eleven months before, by client id
    # and month (each month's computed with the terms its close sealed), for the trend


@dataclass(frozen=True)
class Letterhead:
    company: str
    currency: str
    timezone: str
    at_risk_percent: int
    pausing_clocks: frozenset[str] = PAUSING  # the clocks a wait for the client stops


def incident_line(
    incident: IncidentRecord,
    calendar: BusinessCalendar,
    now: datetime,
    at_risk_percent: int,
    pausing: frozenset[str] = PAUSING,
) -> IncidentLine:
    reaction, start = clocks(incident, calendar, now, at_risk_percent, pausing)
    resolved = known(incident.resolved_at, now)
    return IncidentLine(
        incident.ticket,
        incident.title or "",
        incident.opened_at,
        resolved,
        reaction,
        start,
        waiting_minutes(incident, calendar, now),
        incident.priority,
        resolution_clock(incident, calendar, now, at_risk_percent, pausing),
        known(incident.reacted_at, now),
        incident.work_started(now),
        incident.channel,
    )


def _compliance(
    facts: MonthFacts, lines: Mapping[int, Sequence[IncidentLine]]
) -> Callable[[ContractRecord], Compliance]:
    """Each statement's SLA compliance: the month's from its own incidents, the year's and the
    trend's from the client's under any of its contracts of the month (``lines``, by contract
    id) and before it (``facts.history``)."""
    by_client: dict[int, dict[Month, list[Sequence[Clock]]]] = {}
    for client_id, months in facts.history.items():
        by_client[client_id] = {month: list(each) for month, each in months.items()}
    for c in facts.contracts:
        this = by_client.setdefault(c.client.id, {}).setdefault(facts.month, [])
        this.extend(line.clocks for line in lines.get(c.id, ()))
    return lambda c: compliance(facts.month, lines.get(c.id, ()), by_client[c.client.id])


def assemble(
    facts: MonthFacts, head: Letterhead, calendar: BusinessCalendar, now: datetime
) -> MonthReport:
    """Statements for every contract of the month (a preview while it is open).

    Money and hours are final once a month closes; an incident's clocks show its latest
    outcome (one still running at the close is reported as it ended). Names come from the
    contract's snapshot, never the current config.
    """
    lines: dict[int, list[IncidentLine]] = {}
    for incident in facts.incidents:
        line = incident_line(incident, calendar, now, head.at_risk_percent, head.pausing_clocks)
        lines.setdefault(incident.contract.id, []).append(line)
    statements = []
    compliance_of = _compliance(facts, lines)
    for c in facts.contracts:
        terms = c.terms(facts.month)
        figures = close_month(terms, facts.usage[c.id])
        monthly = c.billing == Billing.MONTHLY and c.prepaid(facts.month)
        statements.append(
            Statement(
                client=c.client.key,
                client_name=c.client.name,
                contract_id=c.id,
                variant=c.variant,
                variant_name=c.variant_name,
                variant_name_en=c.variant_name_en,
                tier_name_en=c.tier_name_en,
                terms=terms,
                figures=figures,
                daily_minutes=tuple(facts.daily.get(c.id, ())),
                incidents=tuple(lines.get(c.id, ())),
                packages=tuple(package_bought(e) for e in facts.topups.get(c.id, ())),
                prepaid_offset=figures.fee if monthly else Decimal(0),
                timezone=c.timezone if c.timezone and c.timezone != head.timezone else None,
                work=work_report(facts.work.get(c.id, ()), facts.titles.get(c.client.id, {})),
                compliance=compliance_of(c),
            )
        )
    return MonthReport(
        year=facts.month.year,
        month=facts.month.month,
        closed=facts.closed,
        company=head.company,
        currency=head.currency,
        timezone=head.timezone,
        generated_at=now,
        statements=tuple(statements),
    )
