"""What people type becomes a standard datetime in the company zone, pinned or not."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla_cli.timeparse import now_from_env, parse_moment

MSK = ZoneInfo("Europe/Moscow")


def standard_in_moscow(moment: datetime) -> None:
    assert type(moment) is datetime
    assert isinstance(moment.tzinfo, ZoneInfo)
    assert moment.tzinfo == MSK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-30 18:30", datetime(2025, 12, 30, 18, 30, tzinfo=MSK)),
        ("2025-12-30T18:30+05:00", datetime(2025, 12, 30, 16, 30, tzinfo=MSK)),
        ("2025-12-30T15:30:00.250Z", datetime(2025, 12, 30, 18, 30, 0, 250000, tzinfo=MSK)),
        ("18:30", datetime(2026, 1, 12, 18, 30, tzinfo=MSK)),
        ("now", datetime(2026, 1, 12, 11, 0, tzinfo=MSK)),
    ],
)
def test_parse_moment_returns_a_standard_datetime(text: str, expected: datetime) -> None:
    moment = parse_moment(text, "Europe/Moscow", now=datetime(2026, 1, 12, 11, 0, tzinfo=MSK))
    standard_in_moscow(moment)
    assert moment == expected
    assert moment.utcoffset() == expected.utcoffset()


def test_now_pinned_and_unpinned_are_the_same_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLA_NOW", raising=False)
    live = now_from_env("Europe/Moscow")
    standard_in_moscow(live)
    assert live.microsecond == 0
    monkeypatch.setenv("SLA_NOW", "2026-01-12T08:00:00Z")
    pinned = now_from_env("Europe/Moscow")
    standard_in_moscow(pinned)
    assert pinned == datetime(2026, 1, 12, 11, 0, tzinfo=MSK)
    monkeypatch.setenv("SLA_NOW", "2026-01-12 11:00")
    assert now_from_env("Europe/Moscow") == pinned
