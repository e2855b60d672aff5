"""The JSON and CSV records of SPEC §5, from the domain's records. Shapes are stable: scripts
depend on them. CSV headers are constants, so an empty listing still prints its header row."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sla_cli.formatting import last_day, local_iso, money_str, percent_number

if TYPE_CHECKING:
    from sla_cli.domain.clock import Clock
    from sla_cli.domain.forecast import Forecast
    from sla_cli.domain.incidents import IncidentRecord
    from sla_cli.domain.records import ContractRecord, EntryRecord
    from sla_cli.domain.tariffs import Catalog
    from sla_cli.ops.contracts import ContractForecast
    from sla_cli.ops.incidents import Clocks
    from sla_cli.ops.periods import Rollover
    from sla_cli.ops.seals import Verification
    from sla_cli.ops.timers import TimerStatus

Record = dict[str, Any]

ENTRY_FIELDS = (
    "id", "client", "ticket", "on", "minutes", "type", "kind", "by", "note", "reverses",
    "created_at",
)  # fmt: skip
CONTRACT_FIELDS = (
    "id", "client", "client_name", "variant", "tier", "tier_name", "start", "end", "months",
    "prepaid_months", "price", "prepay_discount_percent", "hour_discount_percent",
    "included_minutes", "balance_minutes", "timezone", "cancelled_by", "cancelled_at",
    "cancelled_note",
)  # fmt: skip
INCIDENT_FIELDS = (
    "ticket", "client", "variant", "opened_at", "reacted_at", "started_at", "resolved_at",
    "reaction_due", "start_due", "reaction_status", "start_status", "status", "cancelled_by",
    "cancelled_at", "cancelled_note", "waiting_minutes", "priority", "resolve_due",
    "resolve_status", "channel", "mail_from",
)  # fmt: skip
BREACH_FIELDS = (
    "ticket", "client", "clock", "due", "at", "overdue_minutes", "status", "incident_status",
    "waiting_minutes",
)  # fmt: skip
TARIFF_FIELDS = (
    "variant", "tier", "tier_name", "hours", "price", "billing", "min_months",
    "reaction_minutes", "start_minutes", "max_hour_discount_percent", "burns",
)  # fmt: skip
ROLLOVER_FIELDS = ("month", "client", "burned_minutes", "overage_minutes", "carried_minutes")


iso = local_iso


def entry_record(e: EntryRecord, tz: str) -> Record:
    return {
        "id": e.id,
        "client": e.client_key,
        "ticket": e.ticket,
        "on": e.on.isoformat(),
        "minutes": e.minutes,
        "type": e.type.value,
        "kind": None if e.kind is None else e.kind.value,
        "by": e.by,
        "note": e.note,
        "reverses": e.reverses,
        "created_at": iso(e.created_at, tz),
    }


def contract_record(c: ContractRecord, balance: int | None, tz: str = "UTC") -> Record:
    last = c.last_day
    cancelled = c.cancelled
    return {
        "id": c.id,
        "client": c.client.key,
        "client_name": c.client.name,
        "variant": c.variant,
        "tier": c.tier_key,
        "tier_name": c.tier_name,
        "start": c.start.isoformat(),
        "end": None if last is None else last.isoformat(),
        "months": c.months,
        "prepaid_months": c.prepaid_months,
        "price": money_str(c.price),
        "prepay_discount_percent": percent_number(c.prepay_discount),
        "hour_discount_percent": percent_number(c.hour_discount),
        "included_minutes": c.included_minutes,
        "balance_minutes": balance,
        "timezone": c.timezone,
        "cancelled_by": None if cancelled is None else cancelled.by,
        "cancelled_at": None if cancelled is None else iso(cancelled.at, tz),
        "cancelled_note": None if cancelled is None else cancelled.note,
    }


def contract_show_record(c: ContractRecord, balance: int | None, tz: str) -> Record:
    """`contract show`: the terms as `contract list` gives them, the end as signed, who signed
    it and when, the cancellation, and the history of changes."""
    record = contract_record(c, balance, tz)
    cancelled = c.cancelled
    return {
        **record,
        "signed_end": last_day(c.signed_end),
        "paid_until": None
        if c.billing == "package" or all(a == b for a, b in c.paid_spans())  # nothing paid
        else str(c.paid_until.previous()),
        "created_by": c.created_by,
        "created_at": iso(c.created_at, tz),
        "cancelled": None
        if cancelled is None
        else {"by": cancelled.by, "at": iso(cancelled.at, tz), "note": cancelled.note},
        "history": [
            {
                "kind": change.kind.value,
                "end": last_day(change.end),
                "months": change.months,
                "note": change.note,
                "by": change.by,
                "created_at": iso(change.created_at, tz),
            }
            for change in c.changes
        ],
    }


def forecast_record(found: ContractForecast | None) -> Record | None:
    """`contract show`'s forecast: when the hours left run out at each pace (null: fewer than
    5 working days of data, or none worked then; ``runs_out_on`` null: not by ``until``)."""
    if found is None:
        return None

    def one(f: Forecast | None) -> Record | None:
        if f is None:
            return None
        p = f.pace
        return {
            "basis": p.basis, "from": p.first.isoformat(), "to": p.last.isoformat(),
            "minutes": p.minutes, "working_days": p.working_days,
            "minutes_per_working_day": round(float(p.per_day), 1),
            "left_minutes": f.left_minutes,
            "runs_out_on": None if f.runs_out_on is None else f.runs_out_on.isoformat(),
            "until": f.until.isoformat(),
        }  # fmt: skip

    return {"kind": found.kind, "status": found.status, "used_minutes": found.used_minutes,
            "recent": one(found.recent), "last_year": one(found.last_year)}  # fmt: skip


def zone_of(incident: IncidentRecord, company_tz: str) -> str:
    """Times of a contract signed with ``--tz`` are shown in its zone."""
    return incident.contract.timezone or company_tz


def incident_status(i: IncidentRecord) -> str:
    """``open``, ``waiting`` (for the client), ``resolved`` or ``cancelled``."""
    if i.cancelled is not None:
        return "cancelled"
    if i.waiting:
        return "waiting"
    return "open" if i.resolved_at is None else "resolved"


def incident_record(
    i: IncidentRecord, reaction: Clock, start: Clock, tz: str, now: datetime, waited: int = 0,
    resolve: Clock | None = None,
) -> Record:  # fmt: skip
    zone = zone_of(i, tz)
    cancelled = i.cancelled
    return {
        "ticket": i.ticket,
        "client": i.client.key,
        "variant": i.contract.variant,
        "opened_at": iso(i.opened_at, zone),
        "reacted_at": iso(i.reacted_at, zone),
        "started_at": iso(i.work_started(now), zone),
        "resolved_at": iso(i.resolved_at, zone),
        "reaction_due": iso(reaction.due, zone),
        "start_due": iso(start.due, zone),
        "reaction_status": "cancelled" if cancelled else str(reaction.status),
        "start_status": "cancelled" if cancelled else str(start.status),
        "status": incident_status(i),
        "cancelled_by": None if cancelled is None else cancelled.by,
        "cancelled_at": None if cancelled is None else iso(cancelled.at, zone),
        "cancelled_note": None if cancelled is None else cancelled.note,
        "waiting_minutes": waited,
        "priority": i.priority,
        "resolve_due": None if resolve is None else iso(resolve.due, zone),
        "resolve_status": None
        if resolve is None
        else ("cancelled" if cancelled else str(resolve.status)),
        "channel": i.channel,
        "mail_from": i.mail_from,
    }


def breach_record(i: IncidentRecord, c: Clock, tz: str, waited: int = 0) -> Record:
    zone = zone_of(i, tz)
    return {
        "ticket": i.ticket,
        "client": i.client.key,
        "clock": c.name,
        "due": iso(c.due, zone),
        "at": iso(c.stopped, zone),
        "overdue_minutes": c.overdue_minutes,
        "status": str(c.status),
        "incident_status": incident_status(i),
        "waiting_minutes": waited,
    }


def rollover_record(result: Rollover) -> Record:
    return {
        "closed": [
            {
                "month": str(line.month),
                "client": line.client,
                "burned_minutes": line.burned_minutes,
                "overage_minutes": line.overage_minutes,
                "carried_minutes": line.carried_minutes,
            }
            for line in result.closed
        ],
        "already_closed": [str(m) for m in result.already_closed],
    }


STATUS_FIELDS = (
    "by", "ticket", "client", "kind", "note", "started_at", "elapsed_minutes", "incident_status",
    "reaction_status", "start_status", "resolve_status", "start_due", "hours_left_minutes",
)  # fmt: skip


def timer_record(t: TimerStatus, clocks: Clocks, tz: str) -> Record:
    """`sla status`: a running timer, its ticket's open incident, the client's hours left."""
    from sla_cli.domain.timers import elapsed_minutes

    timer, i = t.timer, t.incident
    reaction, start = (None, None) if i is None else clocks.of(i)
    resolve = None if i is None else clocks.resolution(i)
    return {
        "by": timer.by,
        "ticket": timer.ticket,
        "client": timer.client_key,
        "kind": timer.kind.value,
        "note": timer.note,
        "started_at": iso(timer.started_at, tz),
        "elapsed_minutes": elapsed_minutes(timer, clocks.now),
        "incident_status": None if i is None else incident_status(i),
        "reaction_status": None if reaction is None else str(reaction.status),
        "start_status": None if start is None else str(start.status),
        "resolve_status": None if resolve is None else str(resolve.status),
        "start_due": None if start is None else iso(start.due, tz),
        "hours_left_minutes": t.hours_left,
    }


def _figure(value: object) -> object:
    return money_str(value) if isinstance(value, Decimal) else value  # a clock: a mapping


def verification_record(found: Verification) -> Record:
    """`sla verify --format json`: each difference with its figure at the close and now."""
    from sla_cli.domain.seal import describe

    return {
        "ok": found.ok,
        "closed_months": [str(m) for m in found.months],
        "unsealed_months": [str(m) for m in found.unsealed],
        "clocks_unsealed_months": [str(m) for m in found.clocks_unsealed],
        "differences": [
            {
                "month": str(d.month),
                "client": d.client,
                "contract_id": d.contract_id,
                "figure": d.figure,
                "at_close": _figure(d.stored),
                "now": _figure(d.live),
                "text": describe(d),
            }
            for d in found.differences
        ],
        "missing_guards": found.missing_guards,
        "chain": [
            {
                "month": str(x.month),
                "fingerprint": x.fingerprint,
                "chain": x.chain,
                "late": x.late,
            }
            for x in found.links
        ],
        "head": None if found.head is None else found.head.fingerprint,
        "expected_found": found.expected_found,
        "changed_guards": sorted({p.name for p in found.changed_guards}),
        "bypass_roles": [{"role": r.role, "why": r.why} for r in found.bypass_roles],
        "unknown_authors": [
            {"table": a.table, "author": a.author, "rows": a.rows} for a in found.unknown_authors
        ],
        "extra_grants": [
            {"role": g.role, "privilege": g.privilege, "table": g.table} for g in found.extra_grants
        ],
    }


def tariff_records(catalog: Catalog) -> list[Record]:
    """Every tier of every variant, with its variant's terms; prices as money strings."""
    return [
        {
            "variant": v.number,
            "variant_name": v.name,
            "tier": t.key,
            "tier_name": t.name,
            "hours": t.hours,
            "price": money_str(t.price),
            "billing": v.billing.value,
            "min_months": v.min_months,
            "prepay_discounts": [
                {"min_months": d.min_months, "percent": percent_number(d.percent)}
                for d in v.prepay_discounts
            ],
            "reaction_minutes": v.reaction_minutes,
            "start_minutes": v.start_minutes,
            "max_hour_discount_percent": percent_number(v.max_hour_discount),
            "burns": v.burns,
        }
        for v in catalog.variants
        for t in v.tiers
    ]
