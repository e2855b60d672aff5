"""A month report as records: the `report` JSON shape of SPEC §5, and CSV with one row a client."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sla_cli.domain.statement import IncidentLine, MonthReport, Statement
from sla_cli.formatting import local_iso, money_str
from sla_cli.render import csv_cell

# The per-statement keys of the `report` JSON (SPEC §5); CSV columns follow them.
STATEMENT_FIELDS = (
    "client",
    "variant",
    "tier",
    "fee",
    "included_minutes",
    "used_minutes",
    "support_minutes",
    "dev_minutes",
    "burned_minutes",
    "overage_minutes",
    "overage_amount",
    "opening_balance_minutes",
    "closing_balance_minutes",
    "amount_due",
    "incidents",
    "breaches",
    "dev_over_cap_minutes",
    "packages",
    "prepaid_offset",
    "left_to_pay",
)
CSV_FIELDS = ("month", "closed", *STATEMENT_FIELDS)


def _incident_record(line: IncidentLine, tz: str) -> dict[str, Any]:
    return {
        "ticket": line.ticket,
        "title": line.title,
        "opened_at": local_iso(line.opened_at, tz),
        "resolved_at": local_iso(line.resolved_at, tz),
        "reaction_due": local_iso(line.reaction.due, tz),
        "reacted_at": local_iso(line.reacted_at, tz),
        "reaction_status": str(line.reaction.status),
        "start_due": local_iso(line.start.due, tz),
        "started_at": local_iso(line.started_at, tz),
        "start_status": str(line.start.status),
        "waiting_minutes": line.waiting_minutes,
        "priority": line.priority,
        "resolve_due": None if line.resolve is None else local_iso(line.resolve.due, tz),
        "resolve_status": None if line.resolve is None else str(line.resolve.status),
    }


def _statement_record(st: Statement, tz: str) -> dict[str, Any]:
    f = st.figures
    return {
        "client": st.client,
        "variant": st.variant,
        "tier": st.terms.tier_key,
        "fee": money_str(f.fee),
        "included_minutes": f.included_minutes,
        "used_minutes": f.used_minutes,
        "support_minutes": f.support_minutes,
        "dev_minutes": f.dev_minutes,
        "burned_minutes": f.burned_minutes,
        "overage_minutes": f.overage_minutes,
        "overage_amount": money_str(f.overage_amount),
        "opening_balance_minutes": f.opening_balance_minutes,
        "closing_balance_minutes": f.closing_balance_minutes,
        "amount_due": money_str(f.amount_due),
        "incidents": [_incident_record(i, tz) for i in st.incidents],
        "breaches": st.breaches,
        "dev_over_cap_minutes": f.dev_over_cap_minutes,
        "packages": [
            {
                "on": p.on.isoformat(),
                "tier_name": p.tier_name,
                "minutes": p.minutes,
                "price": money_str(p.price),
            }
            for p in st.packages
        ],
        "prepaid_offset": money_str(st.prepaid_offset),  # of amount_due, paid in advance
        "left_to_pay": money_str(st.left_to_pay),
    }


def report_record(report: MonthReport) -> dict[str, Any]:
    """The `report` JSON shape of SPEC §5; times in the report's time zone."""
    return {
        "month": report.label,
        "closed": report.closed,
        "statements": [
            _statement_record(st, st.timezone or report.timezone) for st in report.statements
        ],
    }


def json_document(report: MonthReport) -> str:
    return json.dumps(report_record(report), ensure_ascii=False, indent=2) + "\n"


def csv_document(report: MonthReport) -> str:
    record = report_record(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for st in record["statements"]:
        row: dict[str, Any] = {"month": record["month"], "closed": record["closed"], **st}
        row["incidents"] = len(st["incidents"])
        row["packages"] = "; ".join(p["tier_name"] for p in st["packages"])
        writer.writerow([_csv_value(row[k]) for k in CSV_FIELDS])
    return out.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)
