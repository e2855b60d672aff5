"""Reading dates, months and moments from the command line, in the company zone.

A moment with an offset names one instant, which the standard library reads; pendulum reads a
wall time without one (it resolves a time in a daylight-saving gap or overlap). Either way the
result leaves this module as a standard ``datetime`` in the company zone (``zoneinfo``), the
same type ``SLA_NOW`` and the system clock give.
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
        try:
            return parse_moment(pinned, tz, datetime.now(ZoneInfo(tz)))  # `18:30` is today
        except InputError as e:
            raise InputError(f"SLA_NOW: {e.message}") from None
    return datetime.now(ZoneInfo(tz)).replace(microsecond=0)


# A date, then optionally a time of day, then optionally an offset: nothing else (no zone
# names or abbreviations such as EST, which mean different things in different places).
_MOMENT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:(?:[Tt]|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?P<second>:\d{2}(?:[.,]\d{1,6})?)?"
    r"\s*(?P<offset>[Zz]|(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2}))?)?)?"
)
# The offsets in use on Earth run from -12:00 to +14:00.
MIN_OFFSET, MAX_OFFSET = -12 * 60, 14 * 60


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(.*)$", re.S)


def parse_moment(text: str, tz: str, now: datetime | None = None) -> datetime:
    """``2025-12-30 18:30``, ``2025-12-30T18:30+03:00``, ``…Z``, ``18:30`` (today), or ``now``.

    A time carries an offset (``+03:00``, ``Z``) or none, when it is in ``tz``; anything else
    (``EST``, ``+25:00``) is refused. The result is a standard ``datetime`` in ``tz`` (the
    same instant when an offset is given).
    """
    zone = ZoneInfo(tz)
    raw = text.strip()
    if raw.lower() == "now" and now is not None:
        return _standard(now, zone)
    if re.fullmatch(r"\d{1,2}:\d{2}", raw) and now is not None:
        raw = f"{now.astimezone(zone).date().isoformat()} {raw}"
    dotted = _DOTTED.match(raw)
    if dotted:  # 05.11.2026 10:00, as Russians write dates
        day, month, year, rest = dotted.groups()
        raw = f"{year}-{int(month):02d}-{int(day):02d}{rest}"
    m = _MOMENT.fullmatch(raw)
    if m is None:
        raise InputError(
            f"cannot read the time {text!r}; "
            "write it like 2026-03-02 10:15 or 2026-03-02T10:15+03:00"
        )
    iso = m["date"]
    if m["hour"] is not None:
        iso += f"T{int(m['hour']):02d}:{m['minute']}{(m['second'] or '').replace(',', '.')}"
    if m["sign"]:
        hours, minutes = int(m["oh"]), int(m["om"] or 0)
        offset = (hours * 60 + minutes) * (-1 if m["sign"] == "-" else 1)
        if minutes > 59 or not MIN_OFFSET <= offset <= MAX_OFFSET:
            raise InputError(
                f"the offset in {text!r} is out of range: offsets run from -12:00 to +14:00"
            )
        iso += f"{m['sign']}{hours:02d}:{minutes:02d}"
    elif m["offset"]:
        iso += "+00:00"
    return _standard(_read(iso, text, tz, exact=bool(m["offset"])), zone)


def _read(iso: str, text: str, tz: str, *, exact: bool) -> datetime:
    """An ISO 8601 moment checked by `parse_moment`. With an offset (``exact``) it is one
    instant and the standard library reads it; a wall time is read by pendulum, which resolves
    it in a zone's daylight-saving gap or overlap. No library warning reaches the terminal."""
    parsed = _read_exact(iso) if exact else _read_wall(iso, tz)
    if parsed is None:
        raise InputError(
            f"cannot read the time {text!r}; "
            "write it like 2026-03-02 10:15 or 2026-03-02T10:15+03:00"
        )
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InputError(f"{text!r} is out of range: years {MIN_YEAR}–{MAX_YEAR}")
    return parsed


def _read_exact(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _read_wall(iso: str, tz: str) -> datetime | None:
    import warnings

    import pendulum

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pendulum.parse(iso, tz=tz, strict=True)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            return None
    return parsed if isinstance(parsed, datetime) else None


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
    """Whether ``name`` is an IANA time zone this machine knows, written as a region and a city
    (``Europe/Moscow``) or ``UTC``: abbreviations such as ``EST`` mean different things in
    different places, and ``localtime`` or ``Factory`` depend on the machine."""
    if name != "UTC" and ("/" not in name or name.startswith(("posix/", "right/", "Etc/"))):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
