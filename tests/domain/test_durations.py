from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.durations import format_duration, hours_text, parse_duration, round_up
from sla_cli.errors import InputError


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("90m", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("0:45", 45),
        ("2:05", 125),
        ("2ч", 120),
        ("1ч30м", 90),
        ("45мин", 45),
        ("2 часа", 120),
        ("30 min", 30),
        ("1H", 60),
        ("0.1h", 6),
        ("1.33h", 80),  # 79.8 minutes round up to a whole minute
        ("24h", 1440),
        ("  15m ", 15),
        ("1h59m", 119),
        ("75m", 75),  # minutes alone may run past the hour
    ],
)
def test_accepted_forms(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2x", "cannot read"),
        ("", "a duration is needed"),
        ("h", "cannot read"),
        ("90", "cannot read"),  # a bare number is ambiguous
        ("0h", "more than zero"),
        ("0:00", "more than zero"),
        ("-1h", "positive"),
        ("25h", "more than 24 hours"),
        ("24h1m", "more than 24 hours"),
        ("1:75", "cannot read"),
        ("1h30", "cannot read"),
        ("1h70m", "minutes beside hours are under 60"),
        ("2ч60м", "minutes beside hours are under 60"),
        ("two hours", "cannot read"),
    ],
)
def test_refused_forms(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=1440))
def test_format_then_parse_round_trips(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


@given(st.integers(min_value=1, max_value=1440))
def test_clock_form_round_trips(minutes: int) -> None:
    assert parse_duration(hours_text(minutes)) == minutes


@given(st.integers(min_value=1, max_value=2000), st.sampled_from([1, 5, 6, 10, 15, 30, 60]))
def test_rounding_up_to_the_increment(minutes: int, increment: int) -> None:
    rounded = round_up(minutes, increment)
    assert rounded % increment == 0
    assert minutes <= rounded < minutes + increment
