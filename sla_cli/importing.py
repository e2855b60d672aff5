"""Reading hours to import: a CSV file of our own header, or Watson's JSON export.

Every field is read as `sla log` reads it (durations in every form it takes, dates as it takes
them); a problem names the line (or frame) and the field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from sla_cli.domain.durations import parse_duration
from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.work import WorkLog
from sla_cli.errors import InputError, SlaError
from sla_cli.timeparse import parse_clock, parse_date

__all__ = ["CSV_FIELDS", "ImportRow", "read_csv", "read_watson"]

CSV_FIELDS = ("date", "duration", "ticket", "client", "kind", "by", "from", "note")
REQUIRED = ("date", "duration", "ticket")
MAX_IMPORT_BYTES = 64 * 2**20  # a file larger than this is refused before it is read


@dataclass(frozen=True)
class ImportRow:
    line: int  # the CSV line, or the Watson frame's position (1-based)
    work: WorkLog
    by: str | None  # None: the user importing


def _field(line: int, name: str, read: Any, text: str) -> Any:
    try:
        return read(text)
    except SlaError as e:
        raise InputError(f"line {line}, {name}: {e.message}") from None


def read_csv(text: str, today: date) -> list[ImportRow]:
    """Rows of a CSV file with a header naming some of ``CSV_FIELDS`` (date, duration and
    ticket at least), in any order."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in CSV_FIELDS]
    missing = [h for h in REQUIRED if h not in header]
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise InputError(
            f"line 1: {problem}; the header names {', '.join(CSV_FIELDS)} "
            "(date, duration and ticket are needed)"
        )
    reader.fieldnames = header
    rows = []
    for raw in reader:
        line = reader.line_num
        cell = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        for name in REQUIRED:
            if not cell.get(name):
                raise InputError(f"line {line}, {name}: empty")
        kind = cell.get("kind") or WorkKind.SUPPORT.value
        start = cell.get("from")
        work = WorkLog(
            ticket=cell["ticket"],
            minutes=_field(line, "duration", parse_duration, cell["duration"]),
            on=_field(line, "date", lambda t: parse_date(t, today), cell["date"]),
            start=None if not start else time(*_field(line, "from", parse_clock, start)),
            kind=_field(line, "kind", _kind, kind),
            note=cell.get("note") or None,
            client_key=cell.get("client") or None,
        )
        rows.append(ImportRow(line, work, cell.get("by") or None))
    return rows


def _kind(text: str) -> WorkKind:
    try:
        return WorkKind(text.lower())
    except ValueError:
        raise InputError(f"{text!r} is not one of support, dev") from None


def read_watson(text: str, zone: tzinfo, ticket_from: str) -> list[ImportRow]:
    """Frames of `watson log --json`: each becomes an entry from its start, its project (or
    first tag, with ``ticket_from="tag"``) the ticket."""
    try:
        frames = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"not Watson's JSON export: {e.msg} at line {e.lineno}") from None
    if not isinstance(frames, list):
        raise InputError("not Watson's JSON export: expected a list of frames")
    rows = []
    for n, frame in enumerate(frames, start=1):
        if not isinstance(frame, dict):
            raise InputError(f"frame {n}: expected an object")
        start, stop = (_moment(n, k, frame.get(k), zone) for k in ("start", "stop"))
        tags = frame.get("tags") or []
        ticket = frame.get("project") if ticket_from == "project" else (tags[0] if tags else None)
        if not isinstance(ticket, str) or not ticket.strip():
            raise InputError(f"frame {n}, {ticket_from}: no ticket in it")
        minutes = int((stop - start).total_seconds() // 60)
        if minutes < 1:
            raise InputError(f"frame {n}: under a minute, from {start:%H:%M} to {stop:%H:%M}")
        rest = [t for t in tags if t != ticket]
        note = frame.get("note") or (", ".join(rest) if rest else None)
        work = WorkLog(ticket, minutes, start.date(), start.time().replace(tzinfo=None),
                       note=note)  # fmt: skip
        rows.append(ImportRow(n, work, None))
    return rows


def _moment(n: int, key: str, value: Any, zone: tzinfo) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"frame {n}, {key}: cannot read {value!r} as a time") from None
    if moment.tzinfo is None:
        raise InputError(f"frame {n}, {key}: {value!r} has no offset")
    return moment.astimezone(zone).replace(second=0, microsecond=0)
