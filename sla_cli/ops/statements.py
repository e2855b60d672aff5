"""The month's statements (`sla report`): figures, incidents and clocks, a preview while open.

Apart from the month close (`sla_cli.ops.periods`), so that a report loads neither the close's
rules nor the timers; a closed month's seal is checked, and loaded, only for a closed month.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.clock import ClockStatus
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.month import Month
from sla_cli.domain.statement import Letterhead, MonthFacts, MonthReport, assemble
from sla_cli.ops.incidents import Clocks, clock_book, month_incidents
from sla_cli.ops.lookup import client_by_key, client_id
from sla_cli.store.incidents import IncidentQuery

if TYPE_CHECKING:
    from sla_cli.domain.clock import Clock
    from sla_cli.domain.incidents import IncidentRecord
    from sla_cli.store.store import Store


def last_ended_month(today: date) -> Month:
    return Month.of(today).previous()


def month_report(
    s: Store,
    head: Letterhead,
    calendar: BusinessCalendar,
    month: Month,
    client_key: str | None,
    now: datetime,
    trend_where_incidents: bool = False,
) -> MonthReport:
    """Statements for every contract active in ``month`` (a preview while it is open); a
    closed month's clocks are computed with the clock terms its close sealed. With
    ``trend_where_incidents``, the twelve months' compliance is computed only for the clients
    with incidents in the month (all that a terminal summary shows of it)."""
    client = None if client_key is None else client_by_key(s, client_key)
    active = s.active_contracts(month, None if client is None else client.id)
    closed = s.is_closed(month)
    current = Clocks(calendar, now, head.at_risk_percent, head.pausing_clocks)
    if closed:
        from sla_cli.ops.seals import ensure_unchanged

        ensure_unchanged(s, month, None if client is None else (client.key, active))
        sealed = s.clock_terms_of(month)
        if sealed is not None:
            terms = ClockTerms.from_json(sealed)
            head = replace(
                head,
                timezone=terms.timezone,
                at_risk_percent=terms.at_risk_percent,
                pausing_clocks=terms.pausing,
            )
            calendar = BusinessCalendar(terms.schedule)
    incidents = month_incidents(s, head.timezone, month, client_key, also_unresolved=False)
    only = {i.client.id for i in incidents} if trend_where_incidents else None
    work = s.month_work(active, month)
    tickets = sorted({e.ticket for entries in work.values() for e in entries if e.ticket})
    facts = MonthFacts(
        month=month,
        closed=closed,
        contracts=active,
        usage=s.month_usage(active, month),
        daily=s.daily_minutes(active, month),
        incidents=incidents,
        topups=s.packages_bought(active, month),
        work=work,
        titles=s.ticket_titles(
            sorted({c.client.id for c in active}),
            tickets,
            datetime.combine(month.plus(1).first_day, time.min, tzinfo=ZoneInfo(head.timezone)),
        ),
        history=_trend_clocks(s, current, head.timezone, month, client_key, only),
    )
    report = assemble(facts, head, calendar, now)
    link = s.link_of(month) if closed else None
    if link is None:
        return report

    return replace(report, fingerprint=link.fingerprint)


def _trend_clocks(
    s: Store, current: Clocks, zone: str, month: Month, client_key: str | None,
    only: set[int] | None = None,
) -> dict[int, dict[Month, list[list[Clock]]]]:  # fmt: skip
    """The clocks of the incidents opened in the eleven months before ``month`` on contracts in
    force, by client id and month, each month's computed as its close sealed them (``current``
    for an open month).

    Only whether each clock was met counts here, so the hours logged on a ticket are looked up
    only for the incidents whose start of work was not met by their events: logged work can
    only stop that clock earlier, and a clock met stays met."""
    book = clock_book(s, current, zone)
    tz = ZoneInfo(zone)
    query = IncidentQuery(
        tz,
        client_id(s, client_key),
        opened_from=month.plus(-11).first_day,
        opened_before=month.first_day,
        in_force=True,
        first_work=False,
        client_ids=None if only is None else tuple(sorted(only)),
    )
    found: dict[int, tuple[IncidentRecord, list[Clock]]] = {}
    unsure: list[int] = []
    for i in s.iter_incidents(query):
        clocks = book(i).every(i)
        found[i.id] = (i, clocks)
        if any(c.name == "start" and c.status != ClockStatus.MET for c in clocks):
            unsure.append(i.id)
    for at in range(0, len(unsure), 500):
        ids = tuple(unsure[at : at + 500])
        for i in s.iter_incidents(query._replace(first_work=True, incident_ids=ids)):
            found[i.id] = (i, book(i).every(i))
    out: dict[int, dict[Month, list[list[Clock]]]] = {}
    for i, clocks in found.values():
        opened = Month.of(i.opened_at.astimezone(tz).date())
        out.setdefault(i.client.id, {}).setdefault(opened, []).append(clocks)
    return out
