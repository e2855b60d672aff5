"""Reading hours to import: a CSV file of our own header, or Watson's JSON export.

Every field is read as `sla log` reads it (durations in every form it takes, dates as it takes
them); a problem names the line (or frame) and the field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sla_cli.domain.durations import parse_duration
from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.work import WorkLog
from sla_cli.errors import InputError, SlaError
from sla_cli.timeparse import parse_clock, parse_date, parse_moment

__all__ = ["CSV_FIELDS", "MAX_IMPORT_BYTES", "ImportRow", "decode", "read_csv", "read_watson"]

CSV_FIELDS = ("date", "duration", "ticket", "client", "kind", "by", "from", "note")
REQUIRED = ("date", "duration", "ticket")
MAX_IMPORT_BYTES = 64 * 2**20  # a file larger than this is refused before it is read
T = TypeVar("T")


@dataclass(frozen=True)
class ImportRow:
    line: int  # the CSV line, or the Watson frame's position (1-based)
    work: WorkLog
    by: str | None  # None: the user importing
    identity: str | None = None  # what the source calls the row (a Watson frame's id)


def decode(raw: bytes) -> tuple[str, list[str]]:
    """The text of an import file, and what was noticed on the way: UTF-8 (a byte order mark
    allowed), else Windows-1251, as Russian Excel saves it; a file with NUL bytes is no text."""
    if b"\x00" in raw:
        raise InputError("not a text file (it holds NUL bytes); save it as UTF-8 CSV")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError:
        raise InputError("neither UTF-8 nor Windows-1251 text; save it as UTF-8 CSV") from None
    return text, ["read as Windows-1251 text, not UTF-8"]


def _field(line: int, name: str, read: Any, text: str) -> Any:
    try:
        return read(text)
    except SlaError as e:
        raise InputError(f"line {line}, {name}: {e.message}") from None


def _dialect(text: str) -> tuple[str, list[str]]:
    """``,`` between columns, or ``;`` when the header is written so (Excel in a locale that
    writes decimal commas)."""
    header = text.split("\n", 1)[0]
    if ";" in header and "," not in header:
        return ";", ["columns separated by ;"]
    return ",", []


def read_csv(text: str, today: date) -> tuple[list[ImportRow], list[str]]:
    """Rows of a CSV file with a header naming some of ``CSV_FIELDS`` (date, duration and
    ticket at least), in any order, and what was noticed reading it. A malformed file (a column
    named twice, a row longer than the header, an unterminated quote, a field past the csv
    module's limit) is refused naming the line."""
    delimiter, notes = _dialect(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    begins = 1  # the line the row being read begins on
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        _check_header(header)
        rows = []
        begins = reader.line_num + 1
        readers = _Readers(_once(lambda t: parse_date(t, today)), _once(parse_duration),
                           _once(parse_clock))  # fmt: skip
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append(_csv_row(begins, header, cells, readers))
            begins = reader.line_num + 1
    except csv.Error as e:
        raise InputError(f"line {begins}: {_csv_problem(e)}") from None
    return rows, notes


def _csv_problem(e: csv.Error) -> str:
    text = str(e)
    if "field larger than field limit" in text:
        return "a field longer than 131,072 characters"
    if "unexpected end of data" in text or "EOF" in text:
        return "a quote opened here is never closed"
    return f"not CSV: {text}"


class _Readers(NamedTuple):
    """The parsers of a file's dates, durations and start times."""

    date: Callable[[str], date]
    duration: Callable[[str], int]
    clock: Callable[[str], tuple[int, int]]


def _once(read: Callable[[str], T]) -> Callable[[str], T]:
    """``read``, each distinct text read once: a year's history repeats a few hundred dates,
    durations and start times over its rows. A text refused is refused again on each row."""
    seen: dict[str, T] = {}

    def once(text: str) -> T:
        found = seen.get(text)
        if found is None:
            found = seen[text] = read(text)
        return found

    return once


def _csv_row(line: int, header: list[str], cells: list[str], read: _Readers) -> ImportRow:
    if len(cells) > len(header):
        raise InputError(
            f"line {line}: {len(cells)} fields, but the header names {len(header)}; "
            "quote a value that holds the separator"
        )
    cell = {k: v.strip() for k, v in zip(header, cells, strict=False)}
    for name in REQUIRED:
        if not cell.get(name):
            raise InputError(f"line {line}, {name}: empty")
    kind = cell.get("kind") or WorkKind.SUPPORT.value
    start = cell.get("from")
    work = WorkLog(
        ticket=cell["ticket"],
        minutes=_field(line, "duration", read.duration, cell["duration"]),
        on=_field(line, "date", read.date, cell["date"]),
        start=None if not start else time(*_field(line, "from", read.clock, start)),
        kind=_field(line, "kind", _kind, kind),
        note=cell.get("note") or None,
        client_key=cell.get("client") or None,
    )
    return ImportRow(line, work, cell.get("by") or None)


def _check_header(header: list[str]) -> None:
    unknown = [h for h in header if h not in CSV_FIELDS]
    missing = [h for h in REQUIRED if h not in header]
    twice = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise InputError(
            f"line 1: {problem}; the header names {', '.join(CSV_FIELDS)} "
            "(date, duration and ticket are needed)"
        )
    if twice:
        raise InputError(f"line 1: the column {twice[0]!r} is named twice")


def _kind(text: str) -> WorkKind:
    try:
        return WorkKind(text.lower())
    except ValueError:
        raise InputError(f"{text!r} is not one of support, dev") from None


def read_watson(text: str, zone: str, ticket_from: str) -> list[ImportRow]:
    """Frames of `watson log --json`: each becomes an entry from its start, its project (or
    first tag, with ``ticket_from="tag"``) the ticket."""
    try:
        frames = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"not Watson's JSON export: {e.msg} at line {e.lineno}") from None
    except RecursionError:
        raise InputError("not Watson's JSON export: nested too deep") from None
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
        ident = frame.get("id")
        rows.append(ImportRow(n, work, None, ident if isinstance(ident, str) and ident else None))
    return rows


def _moment(n: int, key: str, value: Any, zone: str) -> datetime:
    """A frame's time as `--at` reads one (years 2000–2100, offsets −12:00 to +14:00), which
    Watson always writes with its offset."""
    if not isinstance(value, str) or not re.search(r"(?:[+-]\d\d:?\d\d|Z)$", value.strip()):
        raise InputError(f"frame {n}, {key}: {value!r} is not a time with an offset")
    try:
        moment = parse_moment(value, zone)
    except InputError as e:
        raise InputError(f"frame {n}, {key}: {e.message}") from None
    return moment.astimezone(ZoneInfo(zone)).replace(second=0, microsecond=0)
