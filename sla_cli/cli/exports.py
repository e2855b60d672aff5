"""The team's data in and out: `sla import` (CSV, Watson), `sla export` (hledger timeclock, CSV,
JSON) and `sla timesheet`."""

from __future__ import annotations

import contextlib
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import state

if TYPE_CHECKING:
    from datetime import date, tzinfo
    from pathlib import Path

    from sla_cli.domain.records import EntryRecord
    from sla_cli.importing import ImportRow

EXPORT_FIELDS = ("entry", "on", "client", "ticket", "kind", "by", "minutes", "started_at", "note")


class ExportFormat(StrEnum):
    timeclock = "timeclock"
    csv = "csv"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("timesheet")(timesheet)
    app.command("import")(import_)


class ImportFormat(StrEnum):
    csv = "csv"
    watson = "watson"


class TicketFrom(StrEnum):
    project = "project"
    tag = "tag"


def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A CSV file, or Watson's JSON.")],
    format: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv or watson (default: watson for .json, else csv).",
            show_default=False,
        ),
    ] = None,
    ticket_from: Annotated[
        TicketFrom,
        typer.Option(
            "--ticket-from", help="Watson: the ticket is the frame's project, or its first tag."
        ),
    ] = TicketFrom.project,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing.")
    ] = False,
    skip_known: Annotated[
        bool,
        typer.Option("--skip-known", help="Skip the rows imported before instead of refusing."),
    ] = False,
) -> None:
    """Import hours: every row through the rules of `sla log`, all or nothing, in one
    transaction; a row imported before (whatever file it came in) is refused, or skipped with
    --skip-known. CSV header: date, duration, ticket (needed), client, kind, by, from, note."""
    import hashlib
    from pathlib import Path

    from sla_cli.cli.needs import work_policy
    from sla_cli.formatting import hours_h
    from sla_cli.ops.imports import import_rows
    from sla_cli.render import lines

    st = state(ctx)
    path = Path(file).expanduser()
    settings = st.settings()
    raw, rows, notes = _read(path, format, ticket_from, settings.timezone, st.today())
    source = hashlib.sha256(raw).hexdigest()
    with st.store() as s:
        done = import_rows(s, rows, source, work_policy(settings), settings.timezone, st.user(),
                           st.now(), dry_run, skip_known)  # fmt: skip
        if dry_run:
            s.discard()
    what = "would import" if dry_run else "imported"
    said = [f"{path}: {n}" for n in notes]
    if done.rows:
        said.append(f"{what} {done.rows} entries, {hours_h(done.minutes)}, dated {done.first} "
                    f"to {done.last}, from {path}")  # fmt: skip
    else:
        said.append(f"{what} nothing from {path}")
    if done.skipped:
        said.append(f"skipped {done.skipped} row(s) imported before")
    lines("\n".join(said))


class SheetFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def timesheet(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: this month).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="One engineer.")] = None,
    client: complete.ClientOption = None,
    format: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SheetFormat.table,
) -> None:
    """Hours per engineer per day and per client, with totals (voided entries left out)."""
    from sla_cli.cli.needs import month_option
    from sla_cli.cli.timer_views import sheet_csv, sheet_md, sheet_record, sheet_table
    from sla_cli.domain.month import Month
    from sla_cli.ops.listing import EntryQuery, timesheet_of
    from sla_cli.render import json_out, text_out

    st = state(ctx)
    wanted = month_option(month) or Month.of(st.today())
    with st.reading() as s:
        sheet = timesheet_of(s, EntryQuery(month=wanted, client_key=client, by=by))
    if format == SheetFormat.json:
        json_out(sheet_record(sheet, wanted))
    elif format == SheetFormat.csv:
        sheet_csv(sheet)
    elif format == SheetFormat.md:
        text_out(sheet_md(sheet, wanted))
    else:
        sheet_table(sheet, wanted)


def export(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM (default: all).")] = None,
    client: complete.ClientOption = None,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="timeclock (hledger: `hledger -f FILE balance`), csv or json."
        ),
    ] = ExportFormat.timeclock,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
    ] = None,
) -> None:
    """The hours worked that count (voided entries and their voids left out), oldest first:
    as hledger timeclock entries (one account per client and ticket), CSV or JSON."""
    from zoneinfo import ZoneInfo

    from sla_cli.cli.needs import month_option
    from sla_cli.domain.timeclock import timeclock_lines
    from sla_cli.files import atomic_file, output_path
    from sla_cli.ops.listing import worked_entries
    from sla_cli.render import json_lines_out, lines, records_csv

    st = state(ctx)
    tz = st.settings().timezone
    target = None if output is None else output_path(output, st.own_files())
    wanted = month_option(month)
    with contextlib.ExitStack() as into:
        s = into.enter_context(st.reading())
        if target is not None:  # written to the file as it is read, never held in memory
            into.enter_context(contextlib.redirect_stdout(into.enter_context(atomic_file(target))))
        found = worked_entries(s, wanted, client)
        zone = ZoneInfo(tz)
        if format == ExportFormat.timeclock:
            for line in timeclock_lines(found, zone):
                lines(line)
        else:
            records = (_export_record(e, tz, zone) for e in found)
            if format == ExportFormat.json:
                json_lines_out(records)
            else:
                records_csv(records, EXPORT_FIELDS)
    if target is not None:
        lines(f"{format.value} export written to {target}")


def _export_record(e: EntryRecord, tz: str, zone: tzinfo) -> dict[str, object]:
    """An entry as `sla export` writes it in JSON and CSV. Its start is known when it falls on
    the entry's own date (a `--from`, or the day it was logged); one logged later for an earlier
    date has none (null), as the timeclock export places it in its day."""
    from sla_cli.cli.records import iso

    started = e.started_at
    if started is not None and started.astimezone(zone).date() != e.on:
        started = None
    return {
        "entry": e.id,
        "on": e.on.isoformat(),
        "client": e.client_key,
        "ticket": e.ticket,
        "kind": None if e.kind is None else e.kind.value,
        "by": e.by,
        "minutes": e.minutes,
        "started_at": iso(started, tz),
        "note": e.note,
    }


def _read(
    path: Path, format: ImportFormat | None, ticket_from: TicketFrom, zone: str, today: date
) -> tuple[bytes, list[ImportRow], list[str]]:
    """The file's bytes (for its digest), its rows, and what was noticed reading it (an
    encoding, a separator); a problem names the file."""

    from sla_cli.errors import InputError
    from sla_cli.files import read_regular
    from sla_cli.importing import MAX_IMPORT_BYTES, decode, read_csv, read_watson

    try:
        raw = read_regular(path, "the file", MAX_IMPORT_BYTES)
    except FileNotFoundError:
        raise InputError(f"no file {path}") from None
    kind = format or (ImportFormat.watson if path.suffix.lower() == ".json" else ImportFormat.csv)
    try:
        text, notes = decode(raw)
        if kind == ImportFormat.watson:
            return raw, read_watson(text, zone, ticket_from.value), notes
        rows, more = read_csv(text, today)
        return raw, rows, notes + more
    except InputError as e:
        raise InputError(f"{path}: {e.message}; nothing was written") from None
