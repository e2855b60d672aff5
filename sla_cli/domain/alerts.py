"""Alerts: which notices are due, from the SLA clocks and the month's hours, as pure decisions.

An SLA level is relative to a clock's target: a share of it used (``at_percent``), business
minutes left (``before_minutes``), or business minutes past it (``after_breach_minutes``: 0 is
the breach, 120 an escalation two hours on). Only a running clock sends anything: one stopped,
cancelled or waiting for the client sends nothing further, and a warning level is not sent for
a clock already breached. Hours levels: a variant 1 month's included hours used at each share of
``used_percent``, a variant 3 package's balance under ``package_below_minutes`` (and overdrawn),
and development nearing (``dev_cap_warn_minutes`` before) and passing a monthly cap.

Each notice has a key, its subject and level, so that the ledger records it once per route.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the config builds these terms: reading it loads no clock code
    from sla_cli.domain.clock import Clock

__all__ = [
    "HoursFigures",
    "HoursTerms",
    "Level",
    "Notice",
    "NotifyTerms",
    "Route",
    "clock_notices",
    "hours_notices",
]

WARNING, BREACH, HOURS = "warning", "breach", "hours"
BREACHED, CANCELLED = "breached", "cancelled"  # a clock's status (``ClockStatus``'s values)


class Route(NamedTuple):
    """Where notices go: an Apprise URL (a secret: never printed whole), written in the config,
    or read when sending from an environment variable or a file only its owner can read."""

    name: str
    url: str = ""
    url_env: str = ""
    url_file: str = ""
    always: bool = False  # SLA notices outside business hours too


class Level(NamedTuple):
    name: str
    at_percent: int | None = None
    before_minutes: int | None = None
    after_breach_minutes: int | None = None
    clocks: frozenset[str] = frozenset({"reaction", "start", "resolve"})
    to: tuple[str, ...] = ()  # route names; none: every route

    @property
    def kind(self) -> str:
        return BREACH if self.after_breach_minutes is not None else WARNING

    def reached(self, c: Clock) -> bool:
        """Whether the running clock ``c`` has reached this level."""
        breached = c.status == BREACHED
        if self.after_breach_minutes is not None:
            return breached and c.overdue_minutes >= max(self.after_breach_minutes, 1)
        if breached:
            return False  # a warning is no news once the clock is breached
        if self.at_percent is not None:
            return c.used_minutes * 100 >= self.at_percent * c.target_minutes
        return self.before_minutes is not None and c.remaining_minutes <= self.before_minutes


class HoursTerms(NamedTuple):
    used_percent: tuple[int, ...] = (80, 100)
    package_below_minutes: int = 300
    dev_cap_warn_minutes: int = 300
    to: tuple[str, ...] = ()


class NotifyTerms(NamedTuple):
    lang: str = "ru"
    routes: tuple[Route, ...] = ()
    levels: tuple[Level, ...] = ()
    hours: HoursTerms = HoursTerms()
    retry_seconds: int = 120  # a failed delivery is tried again after this, then twice as long
    abandoned_seconds: int = 600  # a delivery begun by a run that died is tried again after this

    def routes_for(self, to: Sequence[str]) -> tuple[Route, ...]:
        return tuple(r for r in self.routes if not to or r.name in to)


class Notice(NamedTuple):
    """A notice due: what it is about and says, and where it goes."""

    key: str
    event: str  # warning | breach | hours
    level: str
    client: str
    routes: tuple[str, ...]
    ticket: str | None = None
    title: str | None = None
    clock: str | None = None
    due: datetime | None = None
    minutes_left: int | None = None  # business minutes to the due time; negative: overdue
    figure: str | None = None  # hours: used | balance | dev
    minutes: int | None = None  # the figure's value
    limit_minutes: int | None = None  # what it is measured against
    zone: str | None = None  # the contract's time zone, when it has one: its times are in it


def clock_notices(
    incident_id: int, client: str, ticket: str, title: str | None, clocks: Iterable[Clock],
    waiting: bool, terms: NotifyTerms, zone: str | None = None,
) -> list[Notice]:  # fmt: skip
    """The levels an open incident's running clocks have reached (none while it waits)."""
    if waiting:
        return []
    out = []
    for c in clocks:
        if c.stopped is not None or c.status == CANCELLED:
            continue
        for level in terms.levels:
            if c.name in level.clocks and level.reached(c):
                out.append(
                    Notice(
                        f"clock:{incident_id}:{c.name}:{level.name}",
                        level.kind,
                        level.name,
                        client,
                        tuple(r.name for r in terms.routes_for(level.to)),
                        ticket,
                        title,
                        c.name,
                        c.due,
                        c.remaining_minutes,
                        zone=zone,
                    )
                )
    return out


class HoursFigures(NamedTuple):
    """A contract's hours in the month so far."""

    contract_id: int
    client: str
    month: str
    included_minutes: int | None  # a variant 1 month's; None: not a tier with hours that burn
    used_minutes: int
    balance_minutes: int | None  # a package's; None: not a package
    dev_minutes: int
    dev_cap_minutes: int | None


def hours_notices(f: HoursFigures, terms: NotifyTerms) -> list[Notice]:
    """The hours levels a contract's month has reached, the most pressing first."""
    h = terms.hours
    routes = tuple(r.name for r in terms.routes_for(h.to))
    found: list[tuple[str, str, int, int | None]] = []  # level, figure, value, limit
    if f.included_minutes:
        for p in sorted(h.used_percent, reverse=True):
            if f.used_minutes * 100 >= p * f.included_minutes:
                found.append((f"used_{p}", "used", f.used_minutes, f.included_minutes))
    if f.balance_minutes is not None:
        if f.balance_minutes < 0:
            found.append(("overdrawn", "balance", f.balance_minutes, 0))
        elif f.balance_minutes < h.package_below_minutes:
            found.append(("package_low", "balance", f.balance_minutes, h.package_below_minutes))
    if f.dev_cap_minutes:
        if f.dev_minutes > f.dev_cap_minutes:
            found.append(("dev_over_cap", "dev", f.dev_minutes, f.dev_cap_minutes))
        elif f.dev_minutes >= f.dev_cap_minutes - h.dev_cap_warn_minutes:
            found.append(("dev_near_cap", "dev", f.dev_minutes, f.dev_cap_minutes))
    return [
        Notice(
            f"hours:{f.contract_id}:{f.month}:{level}",
            HOURS,
            level,
            f.client,
            routes,
            figure=figure,
            minutes=value,
            limit_minutes=limit,
        )
        for level, figure, value, limit in found
    ]


_TEXT = {
    "ru": {
        "reaction": "реакция", "start": "начало работ", "resolve": "решение",
        "warning": "{client} {ticket}: срок «{clock}» истекает {due}, осталось {left} "
                   "рабочего времени",
        "breach": "{client} {ticket}: срок «{clock}» нарушен ({due}), просрочка {late} "
                  "рабочего времени",
        "used": "{client}: использовано {value} из {limit} часов месяца",
        "balance": "{client}: остаток пакета {value} (порог {limit})",
        "overdrawn": "{client}: пакет израсходован, перерасход {value}",
        "dev": "{client}: заказная разработка {value} из {limit} в месяц",
    },
    "en": {
        "reaction": "reaction", "start": "start of work", "resolve": "resolution",
        "warning": "{client} {ticket}: the {clock} deadline is {due}, {left} business time left",
        "breach": "{client} {ticket}: the {clock} deadline ({due}) is breached, {late} "
                  "business time overdue",
        "used": "{client}: {value} of the month's {limit} hours used",
        "balance": "{client}: the package balance is {value} (alert below {limit})",
        "overdrawn": "{client}: the package is overdrawn by {value}",
        "dev": "{client}: custom development {value} of the monthly {limit}",
    },
}  # fmt: skip


def notice_text(n: Notice, lang: str, zone: str) -> tuple[str, str]:
    """The notice's subject and body, in ``lang``, times in ``zone``."""
    from zoneinfo import ZoneInfo

    from sla_cli.domain.durations import hours_text

    t = _TEXT[lang]
    zone = n.zone or zone
    if n.event in (WARNING, BREACH):
        assert n.due is not None and n.minutes_left is not None and n.clock is not None
        due = n.due.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M %z")
        left = hours_text(max(n.minutes_left, 0))
        late = hours_text(max(-n.minutes_left, 0))
        subject = t[n.event].format(client=n.client, ticket=n.ticket, clock=t[n.clock], due=due,
                                    left=left, late=late)  # fmt: skip
        return subject, subject + (f"\n{n.title}" if n.title else "")
    key = "overdrawn" if n.level == "overdrawn" else str(n.figure)
    value = hours_text(abs(n.minutes or 0))
    subject = t[key].format(client=n.client, value=value, limit=hours_text(n.limit_minutes or 0))
    return subject, subject


def notice_payload(n: Notice, zone: str) -> dict[str, object]:
    """The notice as a JSON webhook carries it (a documented, stable shape)."""
    from zoneinfo import ZoneInfo

    zone = n.zone or zone
    return {
        "event": n.event,
        "level": n.level,
        "client": n.client,
        "ticket": n.ticket,
        "title": n.title,
        "clock": n.clock,
        "due": None if n.due is None else n.due.astimezone(ZoneInfo(zone)).isoformat(),
        "minutes_left": n.minutes_left,
        "figure": n.figure,
        "figure_minutes": n.minutes,
        "limit_minutes": n.limit_minutes,
        "key": n.key,
    }
