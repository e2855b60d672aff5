"""The hours as hledger timeclock entries: one account per client and ticket.

Pure. Each entry worked (and not voided) becomes a clock-in and a clock-out, laid end to end
from midnight of its date so that no two overlap (timeclock files may not have two sessions at
once); a busy day may run past midnight. `hledger -f FILE balance` then gives each client's and
ticket's hours, as the statements count them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta, tzinfo

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
    """Clock-in and clock-out lines for ``entries`` (oldest first), never overlapping."""
    cursor: datetime | None = None
    for e in entries:
        midnight = datetime.combine(e.on, time(0), tzinfo=zone)
        start = midnight if cursor is None else max(cursor, midnight)
        end = start + timedelta(minutes=e.minutes)
        what = f"{e.by}: {e.note}" if e.note else e.by
        yield f"i {_stamp(start)} {account(e)}  {what}"
        yield f"o {_stamp(end)}"
        cursor = end
