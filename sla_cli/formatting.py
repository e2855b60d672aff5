"""How sla writes money, percentages, hours and moments: one place for tables, messages, documents.

Plain forms only, standard library only. A statement's localised money and month names (Babel)
are the documents' own, built on the offsets and hours written here.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from sla_cli.domain.durations import format_duration, hours_text
from sla_cli.domain.money import money_str, percent_number

__all__ = [
    "NBSP",
    "format_duration",
    "hours_h",
    "hours_text",
    "last_day",
    "local_iso",
    "money_short",
    "money_str",
    "money_text",
    "percent_number",
    "percent_text",
    "short_time",
    "utc_offset",
]

NBSP = "\u00a0"

# --------------------------------------------------------------------------- money


def money_text(amount: Decimal | None) -> str:
    """``28500`` → ``28 500.00`` (a no-break space between thousands); None is a dash."""
    if amount is None:
        return "—"
    return f"{amount:,.2f}".replace(",", NBSP)


def money_short(amount: Decimal) -> str:
    """``250000.00`` → ``250 000``: whole roubles without kopecks, for narrow tables."""
    return money_text(amount).removesuffix(".00")


def percent_text(value: Decimal, zero: str = "—") -> str:
    """``5.00`` → ``5 %``, ``7.5`` → ``7.5 %``; no percent at all reads ``zero``."""
    return f"{value.normalize():f} %" if value else zero


# --------------------------------------------------------------------------- hours


def hours_h(minutes: int | None) -> str:
    """``90`` → ``1:30 h``: hours in a sentence, the way tables and statements write them."""
    return f"{hours_text(minutes)} h"


# --------------------------------------------------------------------------- moments


def utc_offset(moment: datetime) -> str:
    """``+03:00``, ``-04:00``, ``+05:30``: the UTC offset of an aware datetime, to the minute."""
    delta = moment.utcoffset()
    seconds = 0 if delta is None else int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    h, m = divmod(abs(seconds) // 60, 60)
    return f"{sign}{h:02d}:{m:02d}"


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo  # on first use: `--help` needs no time zones

    return ZoneInfo(name)


def local_iso(moment: datetime | None, tz: str) -> str | None:
    """ISO 8601 with the offset of ``tz``; None stays None (JSON's null)."""
    if moment is None:
        return None
    return moment.astimezone(_zone(tz)).isoformat()


def short_time(moment: datetime | None, tz: str) -> str:
    """``2026-01-12 10:30+03:00``: a time a person reads, with its offset; None is a dash."""
    if moment is None:
        return "—"
    local = moment.astimezone(_zone(tz))
    return f"{local:%Y-%m-%d %H:%M}{utc_offset(local)}"


def last_day(end: date | None) -> str | None:
    """A contract's exclusive ``end`` as the last day it covers, the way people read a term."""
    return None if end is None else date.fromordinal(end.toordinal() - 1).isoformat()


def author(by: str, entered_by: str | None) -> str:
    """Who a row is by, and who entered it when someone else did (a manager's ``--by`` on a
    team's ledger): ``alice, entered by bob``."""
    return by if entered_by is None or entered_by == by else f"{by}, entered by {entered_by}"
