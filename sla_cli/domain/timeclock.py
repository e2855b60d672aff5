"""The hours as hledger timeclock entries: one account per client and ticket.

Pure. Each entry worked (and not voided) becomes a clock-in followed by its clock-out, on its
own date: at its real start when it has one on that date, else one engineer's entries of a
date laid end to end from its midnight; never past the date's end (an entry that would cross
midnight ends there instead). Entries of different engineers, or at their real starts, may
overlap in time: each session is closed before the next one opens, which is all the format
asks. So `hledger -f FILE balance` (and `balance -M`, by month) gives each client's and
ticket's hours as the statements count them, at any number of engineers and hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, tzinfo

from sla_cli.domain.records import EntryRecord

__all__ = ["account", "timeclock_lines"]


def account(e: EntryRecord) -> str:
    """``CLIENT:TICKET``; a colon (hledger's separator) or a run of blanks in a ticket would
    change the account's shape, so they become ``_`` and one space."""
    ticket = re.sub(r"\s+", " ", (e.ticket or "(none)").replace(":", "_")).strip()
    return f"{e.client_key}:{ticket}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def timeclock_lines(entries: Iterable[EntryRecord], zone: tzinfo) -> Iterator[str]:
    """Clock-in and clock-out lines for ``entries`` (oldest first), each within its date."""
    cursor: dict[tuple[str, date], datetime] = {}  # an engineer's day: where the next begins
    for e in entries:
        midnight = datetime.combine(e.on, time(0), tzinfo=zone)
        day_end = datetime.combine(e.on + timedelta(days=1), time(0), tzinfo=zone)
        length = timedelta(minutes=e.minutes)
        real = None if e.started_at is None else e.started_at.astimezone(zone)
        if real is not None and real.date() == e.on:
            start = real
        else:
            start = cursor.get((e.by, e.on), midnight)
            cursor[e.by, e.on] = start + length
        start = max(midnight, min(start, day_end - length))
        what = f"{e.by}: {e.note}" if e.note else e.by
        yield f"i {_stamp(start)} {account(e)}  {what}"
        yield f"o {_stamp(start + length)}"
