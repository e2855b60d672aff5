"""A client's monthly statement: the figures of the month close plus its incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sla_cli.domain.billing import ContractTerms, MonthClose
from sla_cli.domain.clock import Clock


@dataclass(frozen=True)
class IncidentLine:
    ticket: str
    title: str
    opened_at: datetime
    resolved_at: datetime | None
    reaction: Clock
    start: Clock


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

    @property
    def breaches(self) -> int:
        """How many clocks of the month's incidents were breached."""
        return sum(c.status == "breached" for i in self.incidents for c in (i.reaction, i.start))


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

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def days(self) -> tuple[date, ...]:
        """Every day of the month, for charts."""
        first = date(self.year, self.month, 1)
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return tuple(date.fromordinal(d) for d in range(first.toordinal(), nxt.toordinal()))
