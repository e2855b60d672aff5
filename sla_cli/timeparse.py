"""Reading dates, months and moments from the command line, in the company zone.

pendulum reads what people type; what it returns leaves this module as a standard ``datetime``
in the company zone (``zoneinfo``), the same type ``SLA_NOW`` and the system clock give.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sla_cli.domain.limits import MAX_YEAR, MIN_YEAR
from sla_cli.errors import InputError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "now_from_env",
    "parse_clock",
    "parse_date",
    "parse_moment",
    "zone_exists",
]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def now_from_env(tz: str) -> datetime:
    """Now in ``tz``; ``SLA_NOW`` pins it (ISO 8601; without an offset it is in ``tz``)."""
    pinned = os.environ.get("SLA_NOW")
    if pinned:
        return parse_moment(pinned, tz)
    return datetime.now(ZoneInfo(tz)).replace(microsecond=0)


def parse_moment(text: str, tz: str, now: datetime | None = None) -> datetime:
    """``2025-12-30 18:30``, ``2025-12-30T18:30+03:00``, ``18:30`` (today), or ``now``.

    The result is a standard ``datetime`` in ``tz`` (the same instant when an offset is given).
    """
    import pendulum

    zone = ZoneInfo(tz)
    raw = text.strip()
    if raw.lower() == "now" and now is not None:
        return _standard(now, zone)
    if re.fullmatch(r"\d{1,2}:\d{2}", raw) and now is not None:
        raw = f"{now.astimezone(zone).date().isoformat()} {raw}"
    try:
        parsed = pendulum.parse(raw, tz=tz, strict=False)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        parsed = None
    if isinstance(parsed, datetime) and not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InputError(f"{text!r} is out of range: years {MIN_YEAR}–{MAX_YEAR}")
    if not isinstance(parsed, datetime) or not re.match(r"^\d{4}-\d{2}-\d{2}", raw):
        raise InputError(
            f"cannot read the time {text!r}; "
            "write it like 2026-03-02 10:15 or 2026-03-02T10:15+03:00"
        )
    return _standard(parsed, zone)


def _standard(moment: datetime, zone: ZoneInfo) -> datetime:
    """The instant ``moment`` as a plain ``datetime`` in ``zone``, whatever its class."""
    offset = moment.utcoffset()
    if offset is None:
        raise InputError(f"{moment.isoformat()} has no time zone")
    m = moment
    plain = datetime(m.year, m.month, m.day, m.hour, m.minute, m.second, m.microsecond)
    return plain.replace(tzinfo=timezone(offset)).astimezone(zone)


def parse_date(text: str, today: date) -> date:
    """``2026-10-05``, ``05.10.2026`` (as Russians write it), ``today`` or ``yesterday``."""
    raw = text.strip().lower()
    if raw in ("today", "сегодня"):
        return today
    if raw in ("yesterday", "вчера"):
        return date.fromordinal(today.toordinal() - 1)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw)
    if dotted:
        raw = f"{dotted[3]}-{int(dotted[2]):02d}-{int(dotted[1]):02d}"
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InputError(
            f"cannot read the date {text!r}; write it like 2026-10-05 or 05.10.2026"
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(f"{text!r} is out of range: years {MIN_YEAR}–{MAX_YEAR}")
    return day


def parse_clock(text: str) -> tuple[int, int]:
    """``09:30`` → ``(9, 30)``."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InputError(f"cannot read the time of day {text!r}; write it like 09:30")
    return int(m[1]), int(m[2])


def zone_exists(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
