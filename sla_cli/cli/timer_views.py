"""`sla status` as a table."""

from __future__ import annotations

from typing import Any

from sla_cli.formatting import hours_text
from sla_cli.render import Column, status_cell, table


def status_table(records: list[dict[str, Any]], everyone: bool) -> None:
    if not records:
        table([Column("Timer")], [], caption="no timer running" + ("" if everyone else " for you"))
        return
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
        caption=f"{len(records)} timer(s) running",
    )
