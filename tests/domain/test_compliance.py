"""SLA compliance: clocks met and breached by month and over twelve months, medians."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sla_cli.domain.clock import Clock, ClockStatus
from sla_cli.domain.compliance import ClockTally, combined, compliance, tally
from sla_cli.domain.month import Month

AT = datetime(2026, 10, 1, 9, tzinfo=UTC)


def clock(name: str, status: ClockStatus, used: int, stopped: bool = True) -> Clock:
    return Clock(name, AT, AT, AT if stopped else None, status, 120, used, 120 - used, 0)


MET, LATE, RUN = ClockStatus.MET, ClockStatus.BREACHED, ClockStatus.RUNNING


class Shown(NamedTuple):
    """An incident on a statement: its clocks, and which of what they wait for happened."""

    clocks: tuple[Clock, ...]
    happened: frozenset[str] = frozenset({"reaction", "start", "resolve"})

    def done(self, clock: str) -> datetime | None:
        return AT if clock in self.happened else None


def shown(clocks: Sequence[Sequence[Clock]]) -> list[Shown]:
    return [Shown(tuple(c)) for c in clocks]


def test_a_tally_counts_each_clock_and_leaves_cancelled_out() -> None:
    found = tally(
        [
            (clock("reaction", MET, 30), clock("start", LATE, 300)),
            (clock("reaction", LATE, 150), clock("start", RUN, 10, stopped=False)),
            (clock("reaction", ClockStatus.CANCELLED, 0), clock("start", ClockStatus.CANCELLED, 0)),
        ]
    )
    assert found == (ClockTally("reaction", 1, 1, 0), ClockTally("start", 0, 1, 1))
    assert [(t.total, t.percent_met) for t in found] == [(2, 50.0), (2, 0.0)]
    assert ClockTally("resolve", 0, 0, 3).percent_met is None  # nothing decided yet


def test_the_month_the_year_the_trend_and_the_medians() -> None:
    october, march = Month(2026, 10), Month(2026, 3)
    by_month = {
        october: [
            (clock("reaction", MET, 30), clock("start", MET, 100)),
            (clock("reaction", MET, 50), clock("start", LATE, 300)),
            (clock("reaction", LATE, 130), clock("start", RUN, 20, stopped=False)),
        ],
        march: [(clock("reaction", LATE, 200), clock("start", LATE, 400))],
        Month(2025, 10): [(clock("reaction", LATE, 500),)],  # thirteen months back: not counted
    }
    found = compliance(october, shown(by_month[october]), by_month)
    assert found.month == (ClockTally("reaction", 2, 1, 0), ClockTally("start", 1, 1, 1))
    assert found.year == (ClockTally("reaction", 2, 2, 0), ClockTally("start", 1, 2, 1))
    assert [t.month for t in found.trend] == [Month(2025, 11).plus(n) for n in range(12)]
    assert found.trend[4] == (
        march,
        (ClockTally("reaction", 0, 1, 0), ClockTally("start", 0, 1, 0)),
    )
    assert found.trend[0].clocks == ()
    assert (found.median_reaction_minutes, found.median_start_minutes) == (50, 200)


def test_the_month_is_the_statements_own_incidents_and_the_trend_the_clients() -> None:
    october = Month(2026, 10)
    mine = [(clock("reaction", MET, 30), clock("start", MET, 60))]
    other_contract = [(clock("reaction", LATE, 400), clock("start", LATE, 500))]
    found = compliance(october, shown(mine), {october: mine + other_contract})
    assert found.month == (ClockTally("reaction", 1, 0, 0), ClockTally("start", 1, 0, 0))
    assert found.trend[-1].clocks == (ClockTally("reaction", 1, 1, 0), ClockTally("start", 1, 1, 0))
    assert found.year == found.trend[-1].clocks
    assert (found.median_reaction_minutes, found.median_start_minutes) == (30, 60)


def test_a_clock_stopped_by_a_resolution_is_no_time_to_react_or_to_start() -> None:
    october = Month(2026, 10)
    acked = Shown((clock("reaction", MET, 40), clock("start", MET, 90)))
    # resolved at once, without an acknowledgement or any work logged: its clocks stopped
    resolved_only = Shown(
        (clock("reaction", MET, 5), clock("start", MET, 5)), frozenset({"resolve"})
    )
    reacted_only = Shown(
        (clock("reaction", MET, 20), clock("start", MET, 7)), frozenset({"reaction"})
    )
    found = compliance(october, [acked, resolved_only, reacted_only], {})
    assert found.month == (ClockTally("reaction", 3, 0, 0), ClockTally("start", 3, 0, 0))
    assert (found.median_reaction_minutes, found.median_start_minutes) == (30, 90)


def test_clocks_combined_count_every_deadline_once() -> None:
    both = combined([ClockTally("reaction", 2, 1, 0), ClockTally("start", 1, 0, 2)])
    assert both == ClockTally("all", 3, 1, 2)
    assert both.percent_met == 75
    assert combined([]).percent_met is None
