"""`sla status` and `sla timesheet`: who works on what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sla_cli.formatting import hours_text
from sla_cli.render import Column, csv_out, status_cell, table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sla_cli.domain.month import Month
    from sla_cli.domain.timesheet import Timesheet
    from sla_cli.ops.contracts import ContractLine


def status_table(
    records: list[dict[str, Any]], everyone: bool, forecasts: Sequence[ContractLine] = ()
) -> None:
    """The running timers; none: the table's header, wide enough for the line that says so.
    Then each timer's contract's forecast, as `contract show` gives it."""
    rows = []
    for r in records:
        clocks = (
            "no open incident"
            if r["incident_status"] is None
            else f"reaction {r['reaction_status']}, start {r['start_status']}"
            + ("" if r["resolve_status"] is None else f", resolve {r['resolve_status']}")
        )
        left = r["hours_left_minutes"]
        rows.append(
            [
                r["by"],
                r["ticket"],
                r["started_at"][:16].replace("T", " "),
                hours_text(r["elapsed_minutes"]),
                status_cell(clocks) if r["incident_status"] else clocks,
                "unlimited" if left is None else hours_text(left),
            ]
        )
    table(
        [
            Column("Who"),
            Column("Ticket"),
            Column("Since", no_wrap=True),
            Column("Running", "right", no_wrap=True),
            Column("Incident clocks"),
            Column("Hours left", "right", no_wrap=True),
        ],
        rows,
        caption=_running(len(records), everyone),
    )
    if forecasts:
        from sla_cli.cli.ledger_views import forecast_lines
        from sla_cli.render import paragraph

        for line in forecasts:
            found = forecast_lines(line)
            if found:
                paragraph(f"{line.contract.client.key}: " + "; ".join(found))


def _running(n: int, everyone: bool) -> str:
    if n == 0:
        return "no timer running" + ("" if everyone else " for you")
    return f"{n} timer{'' if n == 1 else 's'} running"


def _clients(pairs: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{key} {hours_text(m)}" for key, m in pairs)


def _minutes(pairs: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
    return [{"client": key, "minutes": m} for key, m in pairs]


def sheet_record(sheet: Timesheet, month: Month) -> dict[str, Any]:
    """`sla timesheet --format json`."""
    return {
        "month": str(month),
        "minutes": sheet.minutes,
        "clients": _minutes(sheet.clients),
        "engineers": [
            {
                "by": e.by,
                "minutes": e.minutes,
                "clients": _minutes(e.clients),
                "days": [
                    {"on": d.on.isoformat(), "minutes": d.minutes, "clients": _minutes(d.clients)}
                    for d in e.days
                ],
            }
            for e in sheet.engineers
        ],
    }


def _rows(sheet: Timesheet) -> list[list[str]]:
    """A row per engineer and day, then the engineer's total; the grand total last."""
    rows = []
    for e in sheet.engineers:
        rows += [[e.by, d.on.isoformat(), hours_text(d.minutes), _clients(d.clients)]
                 for d in e.days]  # fmt: skip
        rows.append([e.by, "total", hours_text(e.minutes), _clients(e.clients)])
    rows.append(["everyone", "total", hours_text(sheet.minutes), _clients(sheet.clients)])
    return rows


def sheet_table(sheet: Timesheet, month: Month) -> None:
    table(
        [
            Column("Who"),
            Column("Day", no_wrap=True),
            Column("Hours", "right", no_wrap=True),
            Column("Clients"),
        ],
        _rows(sheet) if sheet.engineers else [],
        caption=f"timesheet for {month}" if sheet.engineers else f"no hours in {month}",
    )


def sheet_md(sheet: Timesheet, month: Month) -> str:
    from sla_cli.domain.text import visible

    out = [f"# Timesheet {month}", "", "| Who | Day | Hours | Clients |", "|---|---|---:|---|"]
    for row in _rows(sheet):
        cells = [visible(c).replace("|", "\\|") for c in row]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def sheet_csv(sheet: Timesheet) -> None:
    """One row per engineer, day and client."""
    csv_out(
        ("by", "on", "client", "minutes"),
        ([e.by, d.on.isoformat(), key, m] for e in sheet.engineers for d in e.days
         for key, m in d.clients),
    )  # fmt: skip
