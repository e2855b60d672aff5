"""A month report as records: the `report` JSON shape of SPEC §5, and CSV with one row a client
(or, with more detail, a row a ticket or an entry of the work report)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sla_cli.domain.compliance import ClockTally, Compliance
from sla_cli.domain.statement import IncidentLine, MonthReport, Statement
from sla_cli.domain.work_report import TicketWork
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
    "work",
    "compliance",
)
CSV_FIELDS = ("month", "closed", *(f for f in STATEMENT_FIELDS if f not in ("work", "compliance")))
# The work report as CSV: a row a ticket (``tickets``) or a row an entry (``entries``)
TICKET_FIELDS = ("month", "closed", "client", "ticket", "title", "incident", "minutes",
                 "support_minutes", "dev_minutes", "engineers", "days")  # fmt: skip
ENTRY_FIELDS = ("month", "closed", "client", "ticket", "title", "on", "minutes", "kind", "by",
                "note")  # fmt: skip
DETAILS = ("summary", "tickets", "entries")


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
        "channel": line.channel,
    }


def _work_record(t: TicketWork) -> dict[str, Any]:
    return {
        "ticket": t.ticket or None,
        "title": t.title,
        "incident": t.incident,
        "minutes": t.minutes,
        "support_minutes": t.support_minutes,
        "dev_minutes": t.dev_minutes,
        "engineers": list(t.engineers),
        "days": [d.isoformat() for d in t.days],
        "entries": [
            {"on": w.on.isoformat(), "minutes": w.minutes, "kind": str(w.kind), "by": w.by,
             "note": w.note}
            for w in t.log
        ],
    }  # fmt: skip


def _tally_records(tallies: tuple[ClockTally, ...]) -> list[dict[str, Any]]:
    return [
        {"clock": t.clock, "met": t.met, "breached": t.breached, "running": t.running,
         "count": t.total, "percent_met": t.percent_met}
        for t in tallies
    ]  # fmt: skip


def _compliance_record(c: Compliance | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "month": _tally_records(c.month),
        "year": _tally_records(c.year),
        "trend": [{"month": str(m.month), "clocks": _tally_records(m.clocks)} for m in c.trend],
        "median_reaction_minutes": c.median_reaction_minutes,
        "median_start_minutes": c.median_start_minutes,
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
        "work": [_work_record(t) for t in st.work],
        "compliance": _compliance_record(st.compliance),
    }


def report_record(report: MonthReport) -> dict[str, Any]:
    """The `report` JSON shape of SPEC §5; times in the report's time zone."""
    return {
        "month": report.label,
        "closed": report.closed,
        "statements": [
            _statement_record(st, st.timezone or report.timezone) for st in report.statements
        ],
        "fingerprint": report.fingerprint,
    }


def json_document(report: MonthReport) -> str:
    return json.dumps(report_record(report), ensure_ascii=False, indent=2) + "\n"


def csv_document(report: MonthReport, detail: str = "summary") -> str:
    """A row a client (``summary``), a row a ticket (``tickets``) or a row an entry."""
    record = report_record(report)
    fields = {"summary": CSV_FIELDS, "tickets": TICKET_FIELDS}.get(detail, ENTRY_FIELDS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in _csv_rows(record, detail):
        writer.writerow([_csv_value(row[k]) for k in fields])
    return out.getvalue()


def _csv_rows(record: dict[str, Any], detail: str) -> Iterator[dict[str, Any]]:
    month = {"month": record["month"], "closed": record["closed"]}
    for st in record["statements"]:
        if detail == "summary":
            row: dict[str, Any] = {**month, **st}
            row["incidents"] = len(st["incidents"])
            row["packages"] = "; ".join(p["tier_name"] for p in st["packages"])
            yield row
            continue
        for t in st["work"]:
            ticket = {**month, "client": st["client"], **t}
            if detail == "tickets":
                yield {**ticket, "engineers": "; ".join(t["engineers"]),
                       "days": "; ".join(t["days"])}  # fmt: skip
            else:
                yield from ({**ticket, **e} for e in t["entries"])


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)
