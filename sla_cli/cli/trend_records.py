"""`sla trends` as JSON and CSV records: money a decimal string, hours whole minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sla_cli.domain.money import money_str

if TYPE_CHECKING:
    from decimal import Decimal

    from sla_cli.domain.compliance import ClockTally
    from sla_cli.domain.trends import Hours, Scope, SlaFigures
    from sla_cli.ops.trends import TrendReport

Record = dict[str, Any]

CSV_FIELDS = [
    "client", "month", "closed", "included_minutes", "used_minutes", "burned_minutes",
    "overage_minutes", "carried_minutes", "utilisation_percent", "billed", "revenue_per_hour",
    "cost", "margin", "clocks_met", "clocks_breached", "clocks_running", "percent_met",
]  # fmt: skip


def _money(x: Decimal | None) -> str | None:
    return None if x is None else money_str(x)


def clock_record(t: ClockTally) -> Record:
    return {"clock": t.clock, "met": t.met, "breached": t.breached, "running": t.running,
            "count": t.total, "percent_met": t.percent_met}  # fmt: skip


def hours_record(h: Hours) -> Record:
    return {
        "included_minutes": h.included_minutes,
        "used_minutes": h.used_minutes,
        "burned_minutes": h.burned_minutes,
        "overage_minutes": h.overage_minutes,
        "carried_minutes": h.carried_minutes,
        "utilisation_percent": h.utilisation_percent,
        "billed": money_str(h.billed),
        "revenue_per_hour": _money(h.revenue_per_hour),
        "cost": _money(h.cost),
        "margin": _money(h.margin),
        "uncosted_minutes": h.uncosted_minutes,
    }


def sla_record(f: SlaFigures) -> Record:
    return {
        "clocks": [clock_record(t) for t in f.clocks],
        "priorities": [
            {"priority": p, "clocks": [clock_record(t) for t in each]} for p, each in f.by_priority
        ],
        "median_reaction_minutes": f.median_reaction_minutes,
        "p90_reaction_minutes": f.p90_reaction_minutes,
        "median_start_minutes": f.median_start_minutes,
        "p90_start_minutes": f.p90_start_minutes,
        "breaches_by_weekday": list(f.breaches_by_weekday),
        "breaches_by_hour": list(f.breaches_by_hour),
    }


def scope_record(s: Scope, closed: frozenset[Any]) -> Record:
    return {
        "months": [
            {
                "month": str(m.month),
                "closed": m.month in closed,
                **hours_record(m.hours),
                "clocks": [clock_record(t) for t in m.clocks],
            }
            for m in s.months
        ],
        "total": hours_record(s.total),
        "sla": sla_record(s.sla),
    }


def trends_record(r: TrendReport) -> Record:
    from sla_cli.cli.records import forecast_record

    t = r.trends
    return {
        "from": str(t.months[0]),
        "to": str(t.months[-1]),
        "currency": r.currency,
        "base_hour_rate": money_str(r.base_hour_rate),
        "company": scope_record(t.company, r.closed),
        "clients": [{"client": c.client, **scope_record(c, r.closed)} for c in t.clients],
        "engineers": [
            {
                "name": e.name,
                "minutes": e.minutes,
                "cost": _money(e.cost),
                "revenue": money_str(e.revenue),
                "margin": _money(e.margin),
                "clients": [{"client": k, "minutes": m} for k, m in e.clients],
            }
            for e in t.engineers
        ],
        "forecasts": [
            {"client": line.contract.client.key, **(forecast_record(line.forecast) or {})}
            for line in r.forecasts
        ],
    }


def csv_rows(r: TrendReport) -> list[list[Any]]:
    """A row a month, for the company (client empty) and then each client."""
    out = []
    for s in (r.trends.company, *r.trends.clients):
        for m in s.months:
            h, all_ = hours_record(m.hours), m.all_clocks
            out.append(
                [s.client or "", str(m.month), m.month in r.closed]
                + [h[k] for k in CSV_FIELDS[3:13]]
                + [all_.met, all_.breached, all_.running, all_.percent_met]
            )
    return out
