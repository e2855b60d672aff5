"""Forecasts computed by hand on a Monday-to-Friday week (the production calendar is the CLI's
business: tests/cli/test_forecast.py)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.forecast import (
    month_forecast,
    month_status,
    package_forecast,
    recent_pace,
)


def weekdays(d: date) -> bool:
    return d.weekday() < 5


def every_weekday(first: date, last: date, minutes: int) -> list[tuple[date, int]]:
    out, d = [], first
    while d <= last:
        if weekdays(d):
            out.append((d, minutes))
        d += timedelta(days=1)
    return out


NOVEMBER = every_weekday(date(2026, 11, 1), date(2026, 11, 30), 120)  # 21 weekdays, 2 h each


def test_the_pace_is_the_last_30_days_over_their_working_days() -> None:
    pace = recent_pace(NOVEMBER, date(2026, 11, 30), date(2026, 1, 1), weekdays)
    assert pace is not None
    assert (pace.first, pace.last, pace.minutes, pace.working_days) == (
        date(2026, 11, 1), date(2026, 11, 30), 21 * 120, 21,
    )  # fmt: skip
    assert pace.per_day == 120


def test_a_package_runs_out_on_the_working_day_its_hours_are_spent() -> None:
    pace = recent_pace(NOVEMBER, date(2026, 11, 30), date(2026, 1, 1), weekdays)
    assert pace is not None
    found = package_forecast(600, pace, date(2026, 11, 30), weekdays)
    # 10 h at 2 h a working day: Tue 1, Wed 2, Thu 3, Fri 4 December, then Monday the 7th
    assert found.runs_out_on == date(2026, 12, 7)
    assert package_forecast(0, pace, date(2026, 11, 30), weekdays).runs_out_on == date(
        2026, 11, 30
    )  # overdrawn or empty: already


def test_fewer_than_five_working_days_give_no_forecast() -> None:
    # signed on Thursday the 26th: Thu, Fri, Mon are three working days
    assert recent_pace(NOVEMBER, date(2026, 11, 30), date(2026, 11, 26), weekdays) is None
    # from Tuesday the 24th: five
    assert recent_pace(NOVEMBER, date(2026, 11, 30), date(2026, 11, 24), weekdays) is not None


def test_a_month_is_ahead_on_pace_or_behind_its_working_days() -> None:
    monday = date(2026, 11, 16)  # 11 of November's 21 weekdays gone: 52.4 %
    assert month_status(900, 600, monday, weekdays) == "ahead"  # 66.7 %
    assert month_status(900, 480, monday, weekdays) == "on pace"  # 53.3 %
    assert month_status(900, 300, monday, weekdays) == "behind"  # 33.3 %


def test_a_months_hours_are_used_up_by_its_end_or_not() -> None:
    monday = date(2026, 11, 16)
    pace = recent_pace(every_weekday(date(2026, 11, 2), monday, 60), monday, date(2026, 11, 1),
                       weekdays)  # fmt: skip
    assert pace is not None and pace.per_day == 60
    # 5 h left at 1 h a working day: 17, 18, 19, 20, then Monday the 23rd
    assert month_forecast(900, 600, pace, monday, weekdays).runs_out_on == date(2026, 11, 23)
    # 10 h left: the ten working days to the 30th spend them; 11 h: not by the month's end
    assert month_forecast(900, 300, pace, monday, weekdays).runs_out_on == date(2026, 11, 30)
    found = month_forecast(900, 240, pace, monday, weekdays)
    assert found.runs_out_on is None and found.until == date(2026, 11, 30)


@given(
    left=st.integers(min_value=1, max_value=20_000),
    per_day=st.integers(min_value=1, max_value=600),
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
)
def test_the_day_a_package_runs_out_is_the_first_that_spends_it(
    left: int, per_day: int, start: date
) -> None:
    daily = every_weekday(start - timedelta(days=29), start, per_day)
    pace = recent_pace(daily, start, date(2000, 1, 1), weekdays)
    assert pace is not None
    found = package_forecast(left, pace, start, weekdays)
    if found.runs_out_on is None:
        return
    spent = pace.per_day * sum(
        1 for n in range(1, (found.runs_out_on - start).days + 1)
        if weekdays(start + timedelta(days=n))
    )  # fmt: skip
    assert spent >= left and spent - pace.per_day < left and weekdays(found.runs_out_on)


def test_the_same_month_last_year_gives_a_second_pace() -> None:
    from sla_cli.domain.forecast import last_year_pace
    from sla_cli.domain.month import Month

    then = every_weekday(date(2025, 11, 1), date(2025, 11, 30), 30)  # 20 weekdays, 0:30 each
    pace = last_year_pace(then, Month(2026, 11), weekdays)
    assert pace is not None and (pace.basis, pace.working_days, pace.minutes) == (
        "2025-11", 20, 600,
    )  # fmt: skip
    assert last_year_pace([], Month(2026, 11), weekdays) is None  # nothing worked then
