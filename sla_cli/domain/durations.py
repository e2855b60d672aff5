"""Durations as people type them (``2h``, ``1,5h``, ``0:45``, ``1ч30м``), as whole minutes."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from sla_cli.errors import InputError

MAX_ENTRY_MINUTES = 24 * 60

_HOURS = r"(?:h|hr|hrs|hour|hours|ч|час|часа|часов)"
_MINUTES = r"(?:m|min|mins|minute|minutes|м|мин|минута|минуты|минут)"
_NUMBER = r"\d+(?:[.,]\d+)?"
_UNITS = re.compile(
    rf"^(?:(?P<h>{_NUMBER})\s*{_HOURS})?\s*(?:(?P<m>{_NUMBER})\s*{_MINUTES})?$", re.IGNORECASE
)
_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>[0-5]\d)$")

EXAMPLES = "2h, 1h30m, 90m, 1.5h, 0:45, 2ч, 1ч30м, 45мин"


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise InputError(f"not a number: {text!r}") from None


def parse_duration(text: str) -> int:
    """Whole minutes in ``text``; fractions of a minute round up. Refuses zero and over 24 h."""
    raw = text.strip()
    if not raw:
        raise InputError(f"a duration is needed, such as {EXAMPLES}")
    if raw.startswith("-"):
        raise InputError(f"a duration must be positive, not {text!r}")
    minutes: Decimal | None = None
    clock = _CLOCK.match(raw)
    if clock:
        minutes = Decimal(int(clock["h"]) * 60 + int(clock["m"]))
    else:
        units = _UNITS.match(raw)
        if units and (units["h"] or units["m"]):
            extra = _number(units["m"] or "0")
            if units["h"] and extra >= 60:  # 1h70m: a slip of the hand, not 2h10m
                raise InputError(
                    f"{text!r} has {units['m']} minutes past the hours; minutes beside hours "
                    f"are under 60 (write it like {EXAMPLES})"
                )
            minutes = _number(units["h"] or "0") * 60 + extra
    if minutes is None:
        raise InputError(f"cannot read the duration {text!r}; write it like {EXAMPLES}")
    whole = math.ceil(minutes)
    if whole <= 0:
        raise InputError(f"a duration must be more than zero, not {text!r}")
    if whole > MAX_ENTRY_MINUTES:
        raise InputError(f"{text!r} is more than 24 hours; log long work as several entries")
    return whole


def format_duration(minutes: int) -> str:
    """``90`` → ``1h30m``; negative amounts keep their sign."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    if h and m:
        return f"{sign}{h}h{m:02d}m"
    if h:
        return f"{sign}{h}h"
    return f"{sign}{m}m"


def hours_text(minutes: int | None) -> str:
    """``90`` → ``1:30``, the way a statement shows hours; None is unlimited."""
    if minutes is None:
        return "∞"
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}:{m:02d}"


def round_up(minutes: int, increment: int) -> int:
    """Round an entry up to the billing increment."""
    if increment <= 1:
        return minutes
    return -(-minutes // increment) * increment
