"""Tests for the business calendar (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_cli.domain.calendar import BusinessCalendar, PeriodSummary, Schedule, ScheduleError
from sla_cli.errors import ConfigError, InputError

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")

RU = BusinessCalendar()
DE = BusinessCalendar(Schedule(timezone="Europe/Berlin", country="DE"))


def msk(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Moscow wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=MSK)


def ber(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Berlin wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


@dataclass(frozen=True)
class AddCase:
    """opened + minutes of business time -> expected due."""

    name: str
    calendar: BusinessCalendar
    opened: datetime
    minutes: int
    due: datetime


ADD_CASES = [
    AddCase("friday 18:30 + 2h -> monday 10:30", RU, msk(2025, 3, 14, 18, 30), 120,
            msk(2025, 3, 17, 10, 30)),
    AddCase("opened on Russia Day -> after the moved day off", RU, msk(2025, 6, 12, 11, 0), 60,
            msk(2025, 6, 16, 10, 0)),
    AddCase("friday before working saturday", RU, msk(2025, 10, 31, 18, 0), 120,
            msk(2025, 11, 1, 10, 0)),
    AddCase("new year break, 2h", RU, msk(2025, 12, 30, 18, 30), 120,
            msk(2026, 1, 12, 10, 30)),
    AddCase("new year break, 4h", RU, msk(2025, 12, 30, 18, 30), 240,
            msk(2026, 1, 12, 12, 30)),
    AddCase("opened exactly at 19:00", RU, msk(2025, 3, 12, 19, 0), 60,
            msk(2025, 3, 13, 10, 0)),
    AddCase("opened before opening time", RU, msk(2025, 3, 12, 7, 45), 30,
            msk(2025, 3, 12, 9, 30)),
    AddCase("deadline lands on 19:00, not next morning", RU, msk(2025, 3, 12, 17, 0), 120,
            msk(2025, 3, 12, 19, 0)),
    AddCase("a full day from 9:00 ends at 19:00", RU, msk(2025, 3, 12, 9, 0), 600,
            msk(2025, 3, 12, 19, 0)),
    AddCase("Berlin: across the spring DST change", DE, ber(2025, 3, 28, 18, 0), 120,
            ber(2025, 3, 31, 10, 0)),
    AddCase("Berlin: across the autumn DST change", DE, ber(2025, 10, 24, 18, 0), 120,
            ber(2025, 10, 27, 10, 0)),
]  # fmt: skip


@pytest.mark.parametrize("case", ADD_CASES, ids=lambda c: c.name)
def test_add(case: AddCase) -> None:
    due = case.calendar.add(case.opened, case.minutes)
    assert due == case.due
    assert due.utcoffset() == case.due.utcoffset()
    assert due.tzinfo == case.calendar.tz
    assert case.calendar.between(case.opened, due) == case.minutes


def test_new_year_acceptance_values_print_with_offset() -> None:
    opened = msk(2025, 12, 30, 18, 30)
    assert RU.add(opened, 120).isoformat() == "2026-01-12T10:30:00+03:00"
    assert RU.add(opened, 240).isoformat() == "2026-01-12T12:30:00+03:00"


def test_berlin_offsets_change_with_dst() -> None:
    assert DE.add(ber(2025, 3, 28, 18, 0), 120).utcoffset() == timedelta(hours=2)
    assert DE.add(ber(2025, 10, 24, 18, 0), 120).utcoffset() == timedelta(hours=1)
    assert DE.between(ber(2025, 10, 24, 18, 0), ber(2025, 10, 27, 10, 0)) == 120


def test_dst_hour_counts_as_real_elapsed_time() -> None:
    night = BusinessCalendar(
        Schedule(
            timezone="Europe/Berlin",
            country="DE",
            day_start=time(1, 0),
            day_end=time(5, 0),
            weekdays=frozenset(range(7)),
        )
    )
    spring, autumn = date(2025, 3, 30), date(2025, 10, 26)
    assert night.between(*_interval(night, spring)) == 3 * 60  # 02:00-03:00 never happens
    assert night.between(*_interval(night, autumn)) == 5 * 60  # 02:00-03:00 happens twice
    assert night.add(ber(2025, 3, 30, 1, 0), 120) == ber(2025, 3, 30, 4, 0)
    assert night.add(ber(2025, 10, 26, 1, 0), 240).isoformat() == "2025-10-26T04:00:00+01:00"


def _interval(cal: BusinessCalendar, d: date) -> tuple[datetime, datetime]:
    interval = cal.day_interval(d)
    assert interval is not None
    return interval


# -- working days and moments ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 3, 12), True),  # plain Wednesday
        (date(2025, 3, 15), False),  # plain Saturday
        (date(2025, 6, 12), False),  # Russia Day
        (date(2025, 6, 13), False),  # moved day off
        (date(2025, 11, 1), True),  # working Saturday
        (date(2025, 12, 31), False),  # moved day off
        (date(2026, 1, 9), False),  # moved day off
        (date(2026, 1, 12), True),  # first working day of 2026
    ],
    ids=str,
)
def test_is_working_day(day: date, working: bool) -> None:
    assert RU.is_working_day(day) is working
    assert (RU.day_interval(day) is not None) is working


def test_day_interval_is_local_wall_clock() -> None:
    assert RU.day_interval(date(2025, 3, 12)) == (msk(2025, 3, 12, 9), msk(2025, 3, 12, 19))
    assert RU.day_interval(date(2025, 3, 15)) is None


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (msk(2025, 3, 12, 8, 59, 59), False),
        (msk(2025, 3, 12, 9, 0), True),
        (msk(2025, 3, 12, 18, 59, 59), True),
        (msk(2025, 3, 12, 19, 0), False),
        (msk(2025, 3, 15, 12, 0), False),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
)
def test_is_business_moment(moment: datetime, inside: bool) -> None:
    assert RU.is_business_moment(moment) is inside


def test_adding_nothing_is_the_moment_itself_or_the_next_opening() -> None:
    assert RU.add(msk(2025, 3, 12, 10, 15), 0) == msk(2025, 3, 12, 10, 15)
    assert RU.add(msk(2025, 3, 12, 19, 0), 0) == msk(2025, 3, 13, 9, 0)
    assert RU.add(msk(2025, 12, 30, 19, 0), 0) == msk(2026, 1, 12, 9, 0)
    assert RU.add(msk(2025, 3, 15, 12, 0), 0) == msk(2025, 3, 17, 9, 0)


def test_between() -> None:
    assert RU.between(msk(2025, 3, 14, 18, 30), msk(2025, 3, 17, 10, 30)) == 120
    assert RU.between(msk(2025, 3, 17, 10, 30), msk(2025, 3, 14, 18, 30)) == -120
    assert RU.between(msk(2025, 3, 15, 0, 0), msk(2025, 3, 16, 23, 0)) == 0
    assert RU.between(msk(2025, 3, 12, 9, 0), msk(2025, 3, 12, 9, 0, 59)) == 0
    assert RU.between(msk(2025, 3, 12, 9, 0, 59), msk(2025, 3, 12, 9, 0)) == 0
    assert RU.between(msk(2025, 1, 1), msk(2026, 1, 1)) == 148200


def test_accepts_other_offsets_and_returns_the_calendar_zone() -> None:
    opened = datetime(2025, 3, 14, 15, 30, tzinfo=UTC)  # 18:30 Moscow
    due = RU.add(opened, 120)
    assert type(due) is datetime and due.tzinfo == MSK
    assert due == msk(2025, 3, 17, 10, 30)
    fixed = datetime(2025, 3, 14, 16, 30, tzinfo=timezone(timedelta(hours=1)))
    assert RU.add(fixed, 120) == due
    assert RU.between(opened, due.astimezone(BERLIN)) == 120


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 3, 12, 10, 0)
    with pytest.raises(InputError, match="time zone"):
        RU.add(naive, 10)
    with pytest.raises(InputError):
        RU.between(naive, msk(2025, 3, 12, 11))
    with pytest.raises(InputError):
        RU.is_business_moment(naive)
    with pytest.raises(InputError):
        RU.add(msk(2025, 3, 12, 10), -1)


def test_arithmetic_far_outside_the_cached_years() -> None:
    cal = BusinessCalendar()
    due = cal.add(
        msk(2025, 3, 12, 9), 600 * 247
    )  # not 2026-03-12: 2026 has fewer early working days
    assert due == msk(2026, 3, 16, 19)
    assert _reference_between(cal, msk(2025, 3, 12, 9), due) == 600 * 247
    assert cal.between(msk(2024, 1, 1), msk(2027, 1, 1)) == (248 + 247 + 247) * 600
    assert cal.add(msk(2024, 1, 9, 9), 600 * 248 * 3) > msk(2026, 6, 1)


# -- config overrides ------------------------------------------------------------------


def test_extra_holidays_from_config() -> None:
    cal = BusinessCalendar(Schedule(extra_holidays=frozenset({date(2025, 3, 14)})))
    assert not cal.is_working_day(date(2025, 3, 14))
    assert cal.add(msk(2025, 3, 13, 18, 30), 60) == msk(2025, 3, 17, 9, 30)
    assert cal.summary(2025).working_days == 246
    assert date(2025, 3, 14) in cal.summary(2025, 3).holidays


def test_extra_workdays_from_config() -> None:
    saturday, russia_day = date(2025, 3, 15), date(2025, 6, 12)
    cal = BusinessCalendar(Schedule(extra_workdays=frozenset({saturday, russia_day})))
    assert cal.is_working_day(saturday) and cal.is_working_day(russia_day)
    assert cal.add(msk(2025, 3, 14, 18, 30), 120) == msk(2025, 3, 15, 10, 30)
    summary = cal.summary(2025)
    assert summary.working_days == 249
    assert saturday in summary.working_weekend_days
    assert russia_day not in summary.holidays


def test_schedule_validation() -> None:
    both = frozenset({date(2025, 3, 14)})
    with pytest.raises(ScheduleError, match="2025-03-14 is also in extra_holidays") as e:
        Schedule(extra_holidays=both, extra_workdays=both)
    assert e.value.field == "extra_workdays"
    with pytest.raises(ScheduleError) as e:
        Schedule(day_start=time(19), day_end=time(9))
    assert e.value.field == "day_end"
    with pytest.raises(ScheduleError, match="longer than one hour") as e:
        Schedule(day_start=time(9), day_end=time(10), shorten_preholiday=True)
    assert e.value.field == "shorten_preholiday"
    with pytest.raises(ScheduleError):
        Schedule(weekdays=frozenset({7}))
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        BusinessCalendar(Schedule(timezone="Mars/Olympus"))
    assert Schedule(day_start=time(9), day_end=time(10, 1), shorten_preholiday=True)


def test_custom_hours() -> None:
    cal = BusinessCalendar(Schedule(day_start=time(10), day_end=time(18, 30)))
    assert cal.add(msk(2025, 3, 14, 18, 0), 60) == msk(2025, 3, 17, 10, 30)
    assert cal.summary(2025).working_minutes == 247 * 510


# -- shortened pre-holiday days --------------------------------------------------------

SHORT = BusinessCalendar(Schedule(shorten_preholiday=True))


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (date(2025, 3, 7), time(18)),  # before Women's Day (a Saturday)
        (date(2025, 4, 30), time(18)),  # before 1 May
        (date(2025, 5, 7), time(19)),  # before a day off moved there: not a holiday
        (date(2025, 12, 30), time(19)),  # before 31 December, a day off moved by decree
        (date(2026, 12, 30), time(19)),  # the same in 2026
        (date(2025, 11, 1), time(18)),  # a Saturday worked for 3 November, before 4 November
        (date(2024, 11, 2), time(18)),  # a Saturday worked for 30 April, before 1 May
        (date(2024, 12, 28), time(19)),  # a Saturday worked for 30 December: not before one
        (date(2026, 2, 20), time(19)),  # a Friday before a weekend and 23 February: not
        (date(2025, 3, 14), time(19)),  # before a plain weekend: not shortened
        (date(2025, 3, 12), time(19)),  # ordinary day
    ],
    ids=str,
)
def test_shorten_preholiday(day: date, end: time) -> None:
    assert _interval(SHORT, day)[1].timetz().replace(tzinfo=None) == end


def test_shorten_preholiday_moves_deadlines() -> None:
    assert SHORT.add(msk(2025, 3, 7, 17, 0), 120) == msk(2025, 3, 10, 10, 0)
    assert RU.add(msk(2025, 3, 7, 17, 0), 120) == msk(2025, 3, 7, 19, 0)
    shortened = [date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11), date(2025, 11, 1)]
    assert SHORT.summary(2025).working_minutes == 148200 - 60 * len(shortened)


@pytest.mark.parametrize(
    ("year", "shortened"),
    [
        (2023, ["22.02", "07.03", "03.11"]),
        (2024, ["22.02", "07.03", "08.05", "11.06", "02.11"]),
        (2025, ["07.03", "30.04", "11.06", "01.11"]),
        (2026, ["30.04", "08.05", "11.06", "03.11"]),
    ],
)
def test_the_shortened_days_are_the_official_ones(year: int, shortened: list[str]) -> None:
    """The production calendar's pre-holiday days (1973, 1979, 1972 and 1972 hours of a
    40-hour week): before a public holiday, never before a day off moved by decree."""
    found = [
        d.strftime("%d.%m")
        for d in (date(year, 1, 1) + timedelta(days=n) for n in range(366))
        if d.year == year and SHORT.is_working_day(d) and _interval(SHORT, d)[1].hour == 18
    ]
    assert found == shortened
    days = RU.summary(year).working_days
    assert SHORT.summary(year).working_minutes == days * 600 - 60 * len(shortened)


def test_december_2026_is_22_full_days() -> None:
    dec = SHORT.summary(2026, 12)
    assert (dec.working_days, dec.working_minutes) == (22, 13_200)
    assert SHORT.summary(2026).working_minutes == 147_960


# -- official counts and summaries -----------------------------------------------------


@pytest.mark.parametrize(("year", "days"), [(2024, 248), (2025, 247), (2026, 247)])
def test_official_working_day_counts(year: int, days: int) -> None:
    summary = RU.summary(year)
    assert summary.label == str(year)
    assert summary.working_days == days
    assert summary.working_minutes == days * 600


def test_summary_2025() -> None:
    summary = RU.summary(2025)
    assert summary.working_minutes == 148200
    assert summary.working_weekend_days == (date(2025, 11, 1),)
    assert date(2025, 2, 23) in summary.holidays  # a holiday on a Sunday is still listed
    assert list(summary.holidays) == sorted(summary.holidays)


def test_month_summary_january_2026() -> None:
    expected_days = sum(
        1
        for n in range(1, 32)
        if date(2026, 1, n).weekday() < 5 and date(2026, 1, n) not in RU.production_holidays(2026)
    )
    assert expected_days == 15
    assert RU.summary(2026, 1) == PeriodSummary(
        label="2026-01",
        working_days=15,
        working_minutes=15 * 600,
        holidays=tuple(date(2026, 1, n) for n in range(1, 10)),
        working_weekend_days=(),
    )


def test_month_summary_december_and_bad_month() -> None:
    assert RU.summary(2024, 12).working_weekend_days == (date(2024, 12, 28),)
    with pytest.raises(InputError):
        RU.summary(2025, 13)


# -- properties ------------------------------------------------------------------------

_LO = datetime(2024, 1, 1, tzinfo=UTC)
_SPAN_S = 3 * 366 * 86400

instants = st.integers(0, _SPAN_S * 1000).map(lambda ms: _LO + timedelta(milliseconds=ms))
business_moments = instants.map(lambda t: RU.add(t, 0))  # the moment, or the next opening
minutes = st.integers(0, 6000)
FAST = settings(max_examples=150, deadline=None)


def _reference_between(cal: BusinessCalendar, a: datetime, b: datetime) -> int:
    """Slow day-by-day reference for a <= b."""
    total = timedelta()
    d = cal.to_local(a).date() - timedelta(days=1)
    while d <= cal.to_local(b).date():
        interval = cal.day_interval(d)
        if interval is not None:
            lo, hi = max(a, interval[0]), min(b, interval[1])
            if hi > lo:
                total += hi - lo
        d += timedelta(days=1)
    return int(total.total_seconds() // 60)


@FAST
@given(business_moments, minutes)
def test_between_inverts_add(a: datetime, m: int) -> None:
    assert RU.between(a, RU.add(a, m)) == m


@FAST
@given(instants, minutes)
def test_between_inverts_add_from_any_instant(a: datetime, m: int) -> None:
    assert RU.between(a, RU.add(a, m)) == m


@FAST
@given(instants, minutes, minutes)
def test_add_is_monotone_in_minutes(a: datetime, m1: int, m2: int) -> None:
    lo, hi = sorted((m1, m2))
    assert RU.add(a, lo) <= RU.add(a, hi)


@FAST
@given(instants, instants, minutes)
def test_add_is_monotone_in_start(a1: datetime, a2: datetime, m: int) -> None:
    lo, hi = sorted((a1, a2))
    assert RU.add(lo, m) <= RU.add(hi, m)


@FAST
@given(instants, st.integers(1, 6000))
def test_due_is_inside_business_hours_or_on_closing_edge(a: datetime, m: int) -> None:
    due = RU.add(a, m)
    interval = RU.day_interval(due.date())
    assert interval is not None
    assert interval[0] < due <= interval[1]
    assert RU.is_business_moment(due) or due == interval[1]


@settings(max_examples=60, deadline=None)
@given(instants, instants)
def test_between_matches_day_by_day_reference(a: datetime, b: datetime) -> None:
    lo, hi = sorted((a, b))
    assert RU.between(lo, hi) == _reference_between(RU, lo, hi)
    assert RU.between(hi, lo) == -RU.between(lo, hi)


@settings(max_examples=60, deadline=None)
@given(instants, st.integers(0, 3000))
def test_berlin_between_inverts_add(a: datetime, m: int) -> None:
    assert DE.between(a, DE.add(a, m)) == m
    assert DE.between(a, DE.add(a, m)) == _reference_between(DE, a, DE.add(a, m))
