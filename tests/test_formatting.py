"""The one way sla writes money, percentages, hours and moments."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sla_cli.formatting import (
    format_duration,
    hours_h,
    hours_text,
    last_day,
    local_iso,
    money_short,
    money_str,
    money_text,
    percent_text,
    short_time,
    utc_offset,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "plain", "short", "json"),
    [
        ("0", "0.00", "0", "0.00"),
        ("0.5", "0.50", "0.50", "0.50"),
        ("999.99", "999.99", "999.99", "999.99"),
        ("1000", f"1{NBSP}000.00", f"1{NBSP}000", "1000.00"),
        ("28500", f"28{NBSP}500.00", f"28{NBSP}500", "28500.00"),
        ("28500.10", f"28{NBSP}500.10", f"28{NBSP}500.10", "28500.10"),
        ("1234567.891", f"1{NBSP}234{NBSP}567.89", f"1{NBSP}234{NBSP}567.89", "1234567.89"),
        ("-1500", f"-1{NBSP}500.00", f"-1{NBSP}500", "-1500.00"),
        ("-0.01", "-0.01", "-0.01", "-0.01"),
        (
            "123456789012.00",
            f"123{NBSP}456{NBSP}789{NBSP}012.00",
            f"123{NBSP}456{NBSP}789{NBSP}012",
            "123456789012.00",
        ),
    ],
)
def test_money_in_its_three_forms(amount: str, plain: str, short: str, json: str) -> None:
    value = Decimal(amount)
    assert money_text(value) == plain
    assert money_short(value) == short
    assert money_str(value) == json


def test_money_rounds_half_up_for_json_and_no_money_is_a_dash() -> None:
    assert money_str(Decimal("0.005")) == "0.01"
    assert money_str(Decimal("-0.005")) == "-0.01"
    assert money_text(None) == "—"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("5", "5 %"),
        ("5.00", "5 %"),
        ("7.5", "7.5 %"),
        ("10", "10 %"),
        ("100", "100 %"),
        ("0", "—"),
        ("0.00", "—"),
    ],
)
def test_percent(value: str, text: str) -> None:
    assert percent_text(Decimal(value)) == text


def test_percent_zero_can_read_as_a_number() -> None:
    assert percent_text(Decimal(0), zero="0 %") == "0 %"


@pytest.mark.parametrize(
    ("minutes", "statement", "sentence", "typed"),
    [
        (0, "0:00", "0:00 h", "0m"),
        (5, "0:05", "0:05 h", "5m"),
        (60, "1:00", "1:00 h", "1h"),
        (90, "1:30", "1:30 h", "1h30m"),
        (-90, "-1:30", "-1:30 h", "-1h30m"),
        (-5, "-0:05", "-0:05 h", "-5m"),
        (24 * 60, "24:00", "24:00 h", "24h"),
        (1000 * 60 + 1, "1000:01", "1000:01 h", "1000h01m"),
    ],
)
def test_hours(minutes: int, statement: str, sentence: str, typed: str) -> None:
    assert hours_text(minutes) == statement
    assert hours_h(minutes) == sentence
    assert format_duration(minutes) == typed


def test_unlimited_hours() -> None:
    assert hours_text(None) == "∞"
    assert hours_h(None) == "∞ h"


WINTER = datetime(2026, 1, 12, 7, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 12, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "tz", "short"),
    [
        (WINTER, "Europe/Moscow", "2026-01-12 10:30+03:00"),
        (WINTER, "UTC", "2026-01-12 07:30+00:00"),
        (WINTER, "Asia/Kolkata", "2026-01-12 13:00+05:30"),
        (WINTER, "Asia/Kathmandu", "2026-01-12 13:15+05:45"),
        (WINTER, "America/New_York", "2026-01-12 02:30-05:00"),
        (SUMMER, "America/New_York", "2026-07-12 03:30-04:00"),
        (WINTER, "America/St_Johns", "2026-01-12 04:00-03:30"),
        (WINTER, "Pacific/Kiritimati", "2026-01-12 21:30+14:00"),
        (WINTER, "Pacific/Pago_Pago", "2026-01-11 20:30-11:00"),
    ],
)
def test_moments_carry_their_offset(moment: datetime, tz: str, short: str) -> None:
    from zoneinfo import ZoneInfo

    day_time, offset = short[:-6], short[-6:]
    assert utc_offset(moment.astimezone(ZoneInfo(tz))) == offset
    assert short_time(moment, tz) == short
    assert local_iso(moment, tz) == day_time.replace(" ", "T") + ":00" + offset


@pytest.mark.parametrize(
    ("delta", "offset"),
    [
        (timedelta(0), "+00:00"),
        (timedelta(hours=-9, minutes=-30), "-09:30"),
        (timedelta(hours=12, minutes=45), "+12:45"),
        (timedelta(minutes=-30), "-00:30"),
    ],
)
def test_offset_of_fixed_zones(delta: timedelta, offset: str) -> None:
    assert utc_offset(datetime(2026, 1, 1, tzinfo=timezone(delta))) == offset


def test_a_naive_moment_reads_as_utc_offset_zero() -> None:
    assert utc_offset(datetime(2026, 1, 1)) == "+00:00"


def test_no_moment() -> None:
    assert short_time(None, "Europe/Moscow") == "—"
    assert local_iso(None, "Europe/Moscow") is None


@pytest.mark.parametrize(
    ("end", "last"),
    [
        (date(2026, 4, 1), "2026-03-31"),
        (date(2026, 1, 1), "2025-12-31"),
        (date(2024, 3, 1), "2024-02-29"),
        (None, None),
    ],
)
def test_last_day_of_an_exclusive_end(end: date | None, last: str | None) -> None:
    assert last_day(end) == last


def test_import_is_standard_library_only() -> None:
    code = (
        "import sys, sla_cli.formatting; "
        "print(sorted(m for m in ('babel', 'rich', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
