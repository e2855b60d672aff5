from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.month import Month
from sla_cli.errors import InputError


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [("2026-10", 2026, 10), ("2026-1", 2026, 1), (" 2000-12 ", 2000, 12)],
)
def test_parse(text: str, year: int, month: int) -> None:
    assert Month.parse(text) == Month(year, month)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026/10", "1999-12", ""])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(InputError):
        Month.parse(text)


def test_there_is_no_thirteenth_month_however_it_is_made() -> None:
    for make in (lambda: Month(2026, 13), lambda: Month(2026, 10)._replace(month=0)):
        with pytest.raises(InputError, match="there is no month"):
            make()
    assert Month(2026, 10)._replace(month=12) == Month(2026, 12)


@pytest.mark.parametrize(
    ("month", "first", "last", "nxt", "prev"),
    [
        (Month(2026, 12), date(2026, 12, 1), date(2026, 12, 31), "2027-01", "2026-11"),
        (Month(2026, 1), date(2026, 1, 1), date(2026, 1, 31), "2026-02", "2025-12"),
        (Month(2024, 2), date(2024, 2, 1), date(2024, 2, 29), "2024-03", "2024-01"),
    ],
)
def test_days_and_neighbours(month: Month, first: date, last: date, nxt: str, prev: str) -> None:
    assert month.first_day == first
    assert month.last_day == last
    assert month.bounds == (first, month.next().first_day)
    assert str(month.next()) == nxt
    assert str(month.previous()) == prev
    assert len(month.days) == last.day
    assert first in month and last in month and month.next().first_day not in month


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(-50, 50))
def test_arithmetic(day: date, n: int) -> None:
    m = Month.of(day)
    assert day in m
    assert Month.parse(str(m)) == m
    assert m.plus(n).months_since(m) == n
    assert m.next().previous() == m
    assert (m.plus(n) > m) == (n > 0)
