"""A schedule is checked as it is built: contradictions name the field at fault."""

from __future__ import annotations

from datetime import date, time

import pytest

from sla_cli.domain.schedule import Schedule, ScheduleError


def test_the_default_is_the_offers_10_5() -> None:
    s = Schedule()
    assert (s.day_start, s.day_end, s.weekdays) == (time(9), time(19), frozenset(range(5)))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"day_end": time(9)}, "day_end", "must end after it starts"),
        ({"day_start": time(9), "day_end": time(10), "shorten_preholiday": True},
         "shorten_preholiday", "longer than one hour"),
        ({"weekdays": frozenset({7})}, "weekdays", "0 (Monday) to 6"),
        ({"extra_holidays": frozenset({date(2026, 12, 1)}),
          "extra_workdays": frozenset({date(2026, 12, 1)})},
         "extra_workdays", "2026-12-01 is also in extra_holidays"),
    ],
)  # fmt: skip
def test_contradictions(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ScheduleError) as e:
        Schedule(**changes)  # type: ignore[arg-type]
    assert e.value.field == field and words in e.value.message


def test_a_changed_schedule_is_checked_and_normalised_like_a_new_one() -> None:
    with pytest.raises(ScheduleError) as e:
        Schedule()._replace(weekdays=[7])
    assert e.value.field == "weekdays"
    assert Schedule()._replace(weekdays=[5, 6]).weekdays == frozenset({5, 6})
