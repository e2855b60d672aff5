"""Which notices are due: SLA levels on running clocks, hours levels, levels an entry passes."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.alerts import (
    HoursFigures,
    Level,
    NotifyTerms,
    Route,
    clock_notices,
    hours_notices,
)
from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.work import levels_passed

AT = datetime(2026, 11, 23, 7, tzinfo=UTC)
LEVELS = (
    Level("at_risk", at_percent=75),
    Level("soon", before_minutes=15, clocks=frozenset({"reaction"})),
    Level("breached", after_breach_minutes=0),
    Level("escalation", after_breach_minutes=120, to=("boss",)),
)
TERMS = NotifyTerms(routes=(Route("duty", "json://x"), Route("boss", "json://y")), levels=LEVELS)


def clock(used: int, status: ClockStatus = ClockStatus.RUNNING, stopped: bool = False,
          name: str = "reaction") -> Clock:  # fmt: skip
    overdue = max(0, used - 120)
    return Clock(name, AT, AT, AT if stopped else None, status, 120, used, 120 - used, overdue)


def fired(*clocks: Clock, waiting: bool = False) -> list[tuple[str, str, tuple[str, ...]]]:
    found = clock_notices(7, "ACME", "ACME-1", None, clocks, waiting, TERMS)
    return [(n.clock or "", n.level, n.routes) for n in found]


def test_levels_of_a_running_clock() -> None:
    assert fired(clock(80)) == []
    assert fired(clock(90)) == [("reaction", "at_risk", ("duty", "boss"))]
    assert fired(clock(106)) == [("reaction", "at_risk", ("duty", "boss")),
                                 ("reaction", "soon", ("duty", "boss"))]  # fmt: skip
    assert fired(clock(106, name="start")) == [("start", "at_risk", ("duty", "boss"))]


def test_a_breached_clock_sends_breaches_only_and_a_stopped_or_waiting_one_nothing() -> None:
    late = ClockStatus.BREACHED
    assert fired(clock(121, late)) == [("reaction", "breached", ("duty", "boss"))]
    assert fired(clock(240, late)) == [("reaction", "breached", ("duty", "boss")),
                                       ("reaction", "escalation", ("boss",))]  # fmt: skip
    assert fired(clock(240, late, stopped=True)) == []
    assert fired(clock(240, late), waiting=True) == []
    assert fired(clock(100, ClockStatus.CANCELLED)) == []


def figures(**change: object) -> HoursFigures:
    base = HoursFigures(3, "ACME", "2026-11", 900, 0, None, 0, None)
    return base._replace(**change)


def test_hours_levels() -> None:
    def levels(f: HoursFigures) -> list[str]:
        return [n.level for n in hours_notices(f, TERMS)]

    assert levels(figures(used_minutes=719)) == []
    assert levels(figures(used_minutes=720)) == ["used_80"]
    assert levels(figures(used_minutes=900)) == ["used_100", "used_80"]  # the pressing first
    assert levels(figures(included_minutes=None, balance_minutes=299)) == ["package_low"]
    assert levels(figures(included_minutes=None, balance_minutes=-30)) == ["overdrawn"]
    assert levels(figures(dev_cap_minutes=2400, dev_minutes=2100)) == ["dev_near_cap"]
    assert levels(figures(dev_cap_minutes=2400, dev_minutes=2401)) == ["dev_over_cap"]


@given(st.lists(st.integers(1, 600), min_size=1, max_size=30), st.integers(60, 3000))
def test_every_level_is_passed_by_exactly_one_entry_once_reached(
    entries: list[int], included: int
) -> None:
    used, passed = 0, []
    for minutes in entries:
        passed += levels_passed((80, 100), included, used, used + minutes)
        used += minutes
    assert passed == [p for p in (80, 100) if used * 100 >= p * included]
