"""Tables, JSON and CSV of the ledger's listings: entries, contracts, incidents, breaches."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sla_cli.cli.records import (
    BREACH_FIELDS,
    CONTRACT_FIELDS,
    ENTRY_FIELDS,
    INCIDENT_FIELDS,
    breach_record,
    contract_record,
    contract_show_record,
    entry_record,
    forecast_record,
    incident_record,
    zone_of,
)
from sla_cli.cli.views import plural
from sla_cli.formatting import author, hours_text, money_short, short_time
from sla_cli.render import (
    STATUS_STYLES,
    Cell,
    Column,
    json_lines_out,
    json_out,
    lines,
    records_csv,
    status_cell,
    table,
    table_stream,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from sla_cli.domain.clock import Clock
    from sla_cli.domain.incidents import IncidentRecord
    from sla_cli.domain.records import EntryRecord
    from sla_cli.ops.contracts import ContractLine


def _machine(records: list[dict[str, object]], fmt: str, header: tuple[str, ...]) -> bool:
    """JSON or CSV output, if asked for: True when printed."""
    if fmt == "json":
        json_out(records)
        return True
    if fmt == "csv":
        records_csv(records, header)
        return True
    return False


def entries_view(found: Iterator[EntryRecord], fmt: str, tz: str, last_id: int = 0) -> None:
    """Entries as JSON, CSV or a table, written as they are read (memory stays flat);
    ``last_id``, the largest id there may be, keeps a long table's id columns wide enough."""
    if fmt == "json":
        json_lines_out(entry_record(e, tz) for e in found)
    elif fmt == "csv":
        records_csv((entry_record(e, tz) for e in found), ENTRY_FIELDS)
    else:
        entries_table(found, None, last_id)


def entries_table(
    found: Iterable[EntryRecord], total: int | None, last_id: int = 0, narrower: bool = True
) -> None:
    """The entries as a table; when they are the latest of ``total``, say how to see the rest
    (``narrower``: and how to narrow them, when no filter does yet)."""

    def caption(shown: int) -> str:
        if not shown:
            return "no entries"
        if total is not None and total > shown:
            narrow = "--month M or --client KEY narrows them, " if narrower else ""
            return (
                f"the latest {shown} of {total} entries: --all shows every one, "
                f"{narrow}--limit N shows more or fewer"
            )
        return plural(shown, "entry", "entries")

    digits = len(str(last_id))
    table_stream(
        [
            Column("ID", "right", no_wrap=True),
            Column("Date", no_wrap=True),
            Column("Ticket"),
            Column("Hours", "right", no_wrap=True),
            Column("Type", no_wrap=True),
            Column("By"),
            Column("Note"),
        ],
        (
            [
                str(e.id),
                e.on.isoformat(),
                e.ticket or f"({e.client_key})",
                hours_text(e.minutes),
                entry_type(e),
                author(e.by, e.entered_by),
                e.note or "",
            ]
            for e in found
        ),
        caption=caption,
        widen={0: digits, 4: len("void ") + digits},
    )


def entry_type(e: EntryRecord) -> str:
    """``support``/``dev`` for work, else the type; ``void 12`` for a reversal of entry 12."""
    if e.type == "reversal":
        return f"void {e.reverses}"
    return str(e.kind) if e.type == "work" and e.kind else str(e.type)


def contracts_view(lines: list[ContractLine], fmt: str, tz: str) -> None:
    records = [contract_record(line.contract, line.balance, tz) for line in lines]
    if _machine(records, fmt, CONTRACT_FIELDS):
        return
    rows = []
    for r, line in zip(records, lines, strict=True):
        c = line.contract
        last = c.last_day
        rows.append(
            [
                str(c.id),
                c.client.key,
                f"{c.variant} {c.tier_key}",
                f"{c.start:%m.%Y}–"
                + (f"{last:%m.%Y}" if last else "")
                + ("\ncancelled" if c.cancelled else ""),
                money_short(c.price),
                f"{r['prepay_discount_percent']} % / {r['hour_discount_percent']} %",
                "" if line.balance is None else hours_text(line.balance),
            ]
        )
    table(
        [
            Column("ID", "right", no_wrap=True),
            Column("Client"),
            Column("Tariff", no_wrap=True),
            Column("Term", no_wrap=True),
            Column("Price", "right", no_wrap=True),
            Column("Discounts", no_wrap=True),
            Column("Left", "right", no_wrap=True),
        ],
        rows,
        caption=(
            plural(len(records), "contract")
            + "; discounts: prepayment / extra hours; left: a package balance"
            if records
            else "no contracts: `sla contract add`"
        ),
    )


def clock_line(clock: Clock, tz: str) -> str:
    """``reaction due 2026-01-12 10:30+03:00, met``."""
    text = f"{clock.name} due {short_time(clock.due, tz)}, {clock.status}"
    if clock.status == "breached" and clock.overdue_minutes:
        text += f" by {hours_text(clock.overdue_minutes)}"
    elif clock.stopped is None:
        text += f", {hours_text(max(clock.remaining_minutes, 0))} left"
    return text


def incidents_view(
    rows: Iterable[tuple[IncidentRecord, Clock, Clock, int, Clock | None]],
    fmt: str,
    tz: str,
    now: datetime,
    note: str = "",
) -> None:
    """Incidents with their clocks, written as they are read; ``note`` ends the table's
    caption (what it left out)."""
    if fmt in ("json", "csv"):
        records = (incident_record(i, r, s, tz, now, w, res) for i, r, s, w, res in rows)
        if fmt == "json":
            json_lines_out(records)
        else:
            records_csv(records, INCIDENT_FIELDS)
        return
    table_stream(
        [
            Column("Ticket"),
            Column("Opened", no_wrap=True),
            Column("Reaction"),
            Column("Start of work"),
            Column("Resolved", min_width=11),
        ],
        (
            [
                _ticket_cell(i),
                time_cell(i.opened_at, zone_of(i, tz)),
                clock_cell(reaction, zone_of(i, tz)),
                clock_cell(start, zone_of(i, tz)),
                _resolved_cell(i, zone_of(i, tz), waited, resolve),
            ]
            for i, reaction, start, waited, resolve in rows
        ),
        caption=lambda n: (
            (plural(n, "incident") + "; each clock: due time, then status" if n else "no incidents")
            + note
        ),
    )


def _running(i: IncidentRecord, waited: int) -> str:
    """A clock not stopped: running, or on hold while the incident waits for the client."""
    return f"waiting ({hours_text(waited)})" if i.waiting else "running"


def _ticket_cell(i: IncidentRecord) -> str:
    """The ticket, over its priority when its contract has more than one, and "e-mail" when
    it was opened from the client's mail."""
    several = len(i.contract.priority_table) > 1
    lines = [i.ticket, *([i.priority] if several else []), *(["e-mail"] if i.channel else [])]
    return "\n".join(lines)


def _resolved_cell(i: IncidentRecord, tz: str, waited: int, resolve: Clock | None) -> Cell:
    """Cancelled, waiting, or the resolution; with a resolution target, its clock too."""
    if i.cancelled is not None:
        return (f"cancelled\nby {i.cancelled.by}", "dim")
    if i.waiting:  # a resolution clock that pauses keeps its time left while it waits
        text = f"waiting\n{hours_text(waited)} so far"
        return (text if resolve is None else f"{text}\nresolve\n{_left(resolve)}", "cyan")
    if resolve is None:
        return time_cell(i.resolved_at, tz) if i.resolved_at else ""
    if i.resolved_at is None:
        return clock_cell(resolve, tz)
    style = STATUS_STYLES.get(str(resolve.status), "")
    return (f"{time_cell(i.resolved_at, tz)}\n{_left(resolve)}", style)


def _left(c: Clock) -> str:
    """``met``, ``breached +1:30`` or ``2:00 left``."""
    if c.status == "breached":
        return f"breached +{hours_text(c.overdue_minutes)}"
    return str(c.status) if c.stopped is not None else f"{hours_text(c.remaining_minutes)} left"


def contract_view(line: ContractLine, fmt: str, tz: str) -> None:
    """`contract show`: the terms, the cancellation, the history of changes, the balance."""
    c = line.contract
    record = contract_show_record(c, line.balance, tz)
    if fmt == "json":
        json_out({**record, "forecast": forecast_record(line.forecast)})
        return
    cancelled = c.cancelled
    terms = [
        f"contract {c.id}: {c.client.key} «{c.client.name}», variant {c.variant} «{c.tier_name}»",
        f"term: {c.start.isoformat()} – {record['end'] or 'open-ended'}"
        + (f" (signed through {record['signed_end'] or 'open-ended'})" if c.changes else ""),
        f"price {money_short(c.price)}, prepayment discount {record['prepay_discount_percent']} %"
        f" for {plural(c.prepaid_months, 'month')}, hour discount "
        f"{record['hour_discount_percent']} %",
        f"signed by {c.created_by} at {short_time(c.created_at, tz)}",
    ]
    if line.balance is not None:
        terms.append(f"balance: {hours_text(line.balance)}")
    if cancelled is not None:
        terms.append(
            f"CANCELLED by {cancelled.by} at {short_time(cancelled.at, tz)}: {cancelled.note}"
        )
    lines("\n".join(terms + forecast_lines(line)))
    table(
        [Column("Change", no_wrap=True), Column("Last day", no_wrap=True),
         Column("By"), Column("When", no_wrap=True), Column("Note")],
        [
            [h["kind"], h["end"] or (f"+{h['months']} months paid" if h["months"] else ""),
             h["by"], short_time(ch.created_at, tz), h["note"] or ""]
            for h, ch in zip(record["history"], c.changes, strict=True)
        ],
        caption=plural(len(c.changes), "change") if c.changes else "no changes since signed",
    )  # fmt: skip


def forecast_lines(line: ContractLine) -> list[str]:
    """`contract show`: how the month or the package is going, and when its hours run out."""
    found = line.forecast
    if found is None:
        return []
    c = line.contract
    out = []
    if found.kind == "month" and found.used_minutes is not None:
        assert c.included_minutes is not None
        out.append(f"this month: {hours_text(found.used_minutes)} of "
                   f"{hours_text(c.included_minutes)} used: {found.status}")  # fmt: skip
    month = found.kind == "month"
    what = "the month's hours" if month else "the package"
    are, last, run = ("are", "last", "run") if month else ("is", "lasts", "runs")
    for f in (found.recent, found.last_year):
        if f is None:
            continue
        p = f.pace
        days = plural(p.working_days, "working day")
        pace = (
            f"at {hours_text(round(p.per_day))} a working day "
            f"({p.basis}: {hours_text(p.minutes)} over {days})"
        )
        if f.left_minutes <= 0:
            out.append(f"forecast {pace}: {what} {are} used up already")
        elif f.runs_out_on is None:
            out.append(f"forecast {pace}: {what} {last} past {f.until.isoformat()}")
        else:
            out.append(f"forecast {pace}: {what} {run} out on {f.runs_out_on.isoformat()}")
    if found.recent is None:
        out.append("forecast: fewer than 5 working days of data in the last 30 days")
    return out


def time_cell(moment: datetime | None, tz: str) -> str:
    """Date over time-with-offset, to keep table columns narrow."""
    return short_time(moment, tz).replace(" ", "\n", 1)


def clock_cell(c: Clock, tz: str) -> Cell:
    """Due time over the status (and time left or late), coloured by status."""
    status = str(c.status)
    if c.status == "breached" and c.overdue_minutes:
        status += f" +{hours_text(c.overdue_minutes)}"
    elif c.stopped is None and c.status != "breached":
        status += f", {hours_text(max(c.remaining_minutes, 0))} left"
    return (f"{time_cell(c.due, tz)}\n{status}", STATUS_STYLES.get(str(c.status), ""))


def breaches_view(
    found: list[tuple[IncidentRecord, Clock]],
    fmt: str,
    tz: str,
    waited: Callable[[IncidentRecord], int],
) -> None:
    records = [breach_record(i, c, tz, waited(i)) for i, c in found]
    if _machine(records, fmt, BREACH_FIELDS):
        return
    table(
        [
            Column("Ticket"),
            Column("Client"),
            Column("Clock", no_wrap=True),
            Column("Due", no_wrap=True),
            Column("Stopped", no_wrap=True),
            Column("Status", no_wrap=True),
            Column("Late by", "right", no_wrap=True),
        ],
        [
            [
                i.ticket,
                i.client.key,
                c.name,
                time_cell(c.due, zone_of(i, tz)),
                time_cell(c.stopped, zone_of(i, tz)) if c.stopped else _running(i, waited(i)),
                status_cell(str(c.status)),
                hours_text(c.overdue_minutes) if c.status == "breached" else "",
            ]
            for i, c in found
        ],
        caption=plural(len(found), "clock") + " breached or at risk" if found else "no breaches",
    )
