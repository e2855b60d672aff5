"""`sla notify`: decide which notices are due and record them (each once per route, in the
transaction that decides it), then deliver those not delivered yet, each attempt recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from sla_cli.domain.alerts import (
    HOURS,
    HoursFigures,
    Notice,
    NotifyTerms,
    clock_notices,
    hours_notices,
    notice_payload,
    notice_text,
)
from sla_cli.domain.kinds import Billing
from sla_cli.domain.month import Month
from sla_cli.domain.text import check_author
from sla_cli.ops.incidents import Clocks

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sla_cli.store.notices import NoticeRow
    from sla_cli.store.store import Store

    Opener = Callable[[], AbstractContextManager[Store]]

MAX_BACKOFF = timedelta(hours=1)


class Decided(NamedTuple):
    notice: Notice
    route: str
    subject: str


class Delivery(NamedTuple):
    key: str
    route: str
    event: str
    level: str
    subject: str
    attempt: int
    error: str | None  # None: delivered


def due(s: Store, terms: NotifyTerms, clocks: Clocks, zone: str) -> list[Notice]:
    """Every level reached now: the open incidents' running clocks, the month's hours."""
    from sla_cli.store.incidents import IncidentQuery

    out: list[Notice] = []
    for i in s.iter_incidents(IncidentQuery(ZoneInfo(zone), open_only=True)):
        out += clock_notices(i.id, i.client.key, i.ticket, i.title, clocks.every(i), i.waiting,
                             terms, i.contract.timezone)  # fmt: skip
    month = Month.of(clocks.now.astimezone(ZoneInfo(zone)).date())
    active = s.active_contracts(month)
    usage = s.month_usage(active, month)
    for c in active:
        u = usage[c.id]
        package = c.billing == Billing.PACKAGE
        balance = s.package_balance(c).current(month) if package else None
        figures = HoursFigures(
            c.id, c.client.key, str(month), c.included_minutes if c.burns else None,
            u.used_minutes, balance, u.dev_minutes, c.dev_cap_minutes,
        )  # fmt: skip
        out += hours_notices(figures, terms)
    return out


def decide(s: Store, terms: NotifyTerms, clocks: Clocks, zone: str, user: str) -> list[Decided]:
    """Record the notices due and not decided before, each for its routes: SLA notices only in
    business hours (unless a route says always), hours notices at most one a day a contract."""
    user = check_author(user)
    s.lock_notices()
    found = due(s, terms, clocks, zone)
    known = s.known_notices(sorted({n.key for n in found}))
    business = clocks.calendar.is_business_moment(clocks.now)
    always = {r.name for r in terms.routes if r.always}
    told_today = s.contracts_told_lately()
    out = []
    for n in found:
        if n.event == HOURS:
            contract = int(n.key.split(":")[1])
            if contract in told_today:
                continue
        subject, body = notice_text(n, terms.lang, zone)
        payload = json.dumps({**notice_payload(n, zone), "subject": subject, "body": body},
                             ensure_ascii=False)  # fmt: skip
        added = False
        for route in n.routes:
            if (n.key, route) in known or (n.event != HOURS and not business
                                           and route not in always):  # fmt: skip
                continue
            s.add_notice(n.key, route, payload, user)
            out.append(Decided(n, route, subject))
            added = True
        if added and n.event == HOURS:
            told_today.add(int(n.key.split(":")[1]))
    return out


class _Taken(Exception):
    """Another run began this attempt first."""


def deliver(
    opener: Opener, terms: NotifyTerms, now: datetime, user: str,
    send: Callable[[str, dict[str, object]], str | None],
) -> list[Delivery]:  # fmt: skip
    """Deliver every notice not delivered yet whose route is in the config: a failed one again
    after a backoff (``retry_seconds``, then twice as long each time, at most an hour), one
    begun by a run that never ended it after ``abandoned_seconds``. ``send(route, payload)``
    returns None or the error."""
    user = check_author(user)
    with opener() as s:
        pending = s.undelivered()
    routes = {r.name for r in terms.routes}
    out = []
    for row in pending:
        if row.route not in routes or not _ready(row, now, terms):
            continue
        payload = json.loads(row.payload)
        attempt = row.attempts + 1
        try:
            with opener() as s:
                begun = s.begin_attempt(row.id, attempt, user, _Taken())
        except _Taken:
            continue  # another run is delivering it
        error = send(row.route, payload)
        with opener() as s:
            s.end_attempt(begun, row.id, attempt, error, user)
        out.append(Delivery(row.key, row.route, str(payload.get("event")),
                            str(payload.get("level")), str(payload.get("subject", "")),
                            attempt, error))  # fmt: skip
    return out


def _ready(row: NoticeRow, now: datetime, terms: NotifyTerms) -> bool:
    if row.last_begun is None:
        return True
    if not row.last_ended:  # another run is sending it, or died doing so
        return now - row.last_begun >= timedelta(seconds=terms.abandoned_seconds)
    wait = timedelta(seconds=terms.retry_seconds * 2 ** (row.attempts - 1))
    return now - row.last_begun >= min(wait, MAX_BACKOFF)
