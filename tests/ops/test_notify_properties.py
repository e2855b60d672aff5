"""`sla notify`'s decisions over a random incident history, against the levels the clocks reach.

An incident opens on Monday 23 November 2026 at 10:00 (Moscow); random events follow
(acknowledgements, starts, waits and resumes, priority changes, undos, resolutions and
reopenings, each where the rules allow it), and a run of `notify` every ten minutes until
17:00 decides the notices. At every run the reference is the clocks themselves, evaluated then:
every level a running clock of an incident not waiting has reached is decided at the first run
that sees it, and only then; none is decided twice, while waiting, or for a stopped clock.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_cli.config import parse_settings
from sla_cli.domain.alerts import Route, clock_notices
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.contracts import NewContract
from sla_cli.domain.kinds import Event
from sla_cli.errors import SlaError
from sla_cli.ops.alerts import decide
from sla_cli.ops.contracts import add_contract
from sla_cli.ops.incidents import (
    Clocks,
    iter_incidents,
    open_incident,
    record_event,
    reopen_incident,
    set_priority,
    undo_event,
    wait_or_resume,
)
from sla_cli.store.engine import open_ledger
from tests.conftest import sqlite_url

ZONE = "Europe/Moscow"
OPENED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
SETTINGS = parse_settings(
    {
        "variants": {
            "1": {
                "priorities": [
                    {"key": "normal", "reaction_hours": 2, "start_hours": 4, "resolve_hours": 6},
                    {"key": "urgent", "reaction_hours": 0.5, "start_hours": 1, "resolve_hours": 3},
                ]
            }
        }
    }
)
TERMS = SETTINGS.notify._replace(routes=(Route("r", "json://127.0.0.1:9/"),))
CAL = BusinessCalendar(SETTINGS.schedule)
KINDS = ("ack", "start", "wait", "resume", "undo", "resolve", "reopen", "urgent", "normal")
history = st.lists(st.tuples(st.integers(1, 419), st.sampled_from(KINDS)), max_size=8)


def apply(s: object, kind: str, at: datetime) -> None:
    """One event, as the command would record it (refused ones are left out)."""
    try:
        if kind in ("ack", "start", "resolve"):
            record_event(s, "ACME-1", Event(kind), at, at, ZONE, user="e")  # type: ignore[arg-type]
        elif kind in ("wait", "resume"):
            wait_or_resume(s, "ACME-1", kind == "wait", at, None, ZONE, "e", at)  # type: ignore[arg-type]
        elif kind == "undo":
            undo_event(s, "ACME-1", None, ZONE, "e", at)  # type: ignore[arg-type]
        elif kind == "reopen":
            reopen_incident(s, "ACME-1", at, None, ZONE, "e", at)  # type: ignore[arg-type]
        else:
            set_priority(s, "ACME-1", kind, at, ZONE, "e", at)  # type: ignore[arg-type]
    except SlaError:
        pass


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history)
def test_every_level_is_decided_once_at_the_first_run_that_sees_it(
    tmp_path: Path, empty_ledger: Path, events: list[tuple[int, str]]
) -> None:
    path = tmp_path / f"l{abs(hash(tuple(events)))}.db"
    shutil.copy(empty_ledger, path)
    ledger = open_ledger(sqlite_url(path))
    with ledger.store() as s:
        new = NewContract("Acme", "ACME", 1, "basic", OPENED.date().replace(day=1), 12)
        add_contract(s, SETTINGS.catalog, new, "sales", OPENED)
        open_incident(s, "ACME-1", OPENED, None, None, ZONE, "desk", OPENED)
    pending = sorted(events)
    decided: dict[str, int] = {}
    for run in range(1, 43):  # 10:10 to 17:00
        now = OPENED + timedelta(minutes=10 * run)
        with ledger.store() as s:
            while pending and OPENED + timedelta(minutes=pending[0][0]) <= now:
                offset, kind = pending.pop(0)
                apply(s, kind, OPENED + timedelta(minutes=offset))
        clocks = Clocks(CAL, now, SETTINGS.at_risk_percent, SETTINGS.pausing_clocks)
        with ledger.store() as s:
            got = decide(s, TERMS, clocks, ZONE, "cron")
            (incident,) = iter_incidents(s, ZONE, "ACME", with_cancelled=True)
        reached = (
            {
                n.key
                for n in clock_notices(
                    incident.id,
                    "ACME",
                    "ACME-1",
                    None,
                    clocks.every(incident),
                    incident.waiting,
                    TERMS,
                )
            }
            if incident.is_open
            else set()
        )
        for d in got:
            assert d.notice.key not in decided, f"{d.notice.key} decided twice"
            assert d.notice.key in reached, f"{d.notice.key} decided, not reached at run {run}"
            decided[d.notice.key] = run
        for key in reached:
            assert key in decided, f"{key} reached at run {run}, not decided"
    ledger.engine.dispose()
