"""`sla notify` (from cron: SLA warnings, escalations and hours alerts, each sent once) and
`sla notices` (what was sent, when, to whom)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sla_cli.cli.options import Format, FormatOption, state
from sla_cli.errors import InputError, SlaError

if TYPE_CHECKING:
    from sla_cli.ops.alerts import Decided, Delivery
    from sla_cli.store.notices import NoticeRow


def register(app: typer.Typer) -> None:
    app.command("notify")(notify)
    app.command("notices")(notices)


class Lang(StrEnum):
    ru = "ru"
    en = "en"


class RouteFailed(SlaError):
    """A route did not take a notice: it is tried again on the next runs (exit 75)."""

    exit_code = 75


def notify(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; record and send nothing.")
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="Language of the messages (default: the config's)."),
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Send the SLA warnings, escalations and hours alerts due now, each once: run it from cron
    every few minutes. A route that fails is tried again on the next runs (exit 75)."""
    from datetime import UTC, datetime

    from sla_cli.cli.needs import clocks
    from sla_cli.delivery import route_url, send
    from sla_cli.ops.alerts import decide, deliver

    st = state(ctx)
    settings = st.settings()
    terms = settings.notify if lang is None else settings.notify._replace(lang=lang.value)
    if not terms.routes:
        raise InputError("no route to send to: add a [[notify.routes]] to the config (README)")
    with st.store() as s:
        if dry_run:
            s.discard()
        decided = decide(s, terms, clocks(st), settings.timezone, st.user())
    if dry_run:
        _decided_out(decided, format)
        return
    urls = {r.name: r for r in terms.routes}

    def along(route: str, payload: dict[str, object]) -> str | None:
        try:
            return send(route_url(urls[route]), payload)
        except InputError as e:
            return e.message

    delivered = deliver(st.store, terms, datetime.now(UTC), st.user(), along)
    _delivered_out(delivered, format)
    failed = [d for d in delivered if d.error is not None]
    if failed:
        shown = "; ".join(f"{d.route}: {d.error}" for d in failed[:3])
        raise RouteFailed(f"{len(failed)} notice(s) not delivered, tried again later: {shown}")


NOTIFY_FIELDS = ("key", "route", "event", "level", "subject", "attempt", "delivered", "error")


def _decided_out(decided: list[Decided], format: Format) -> None:
    from sla_cli.render import json_out, lines, records_csv

    records = [{"key": d.notice.key, "route": d.route, "event": d.notice.event,
                "level": d.notice.level, "subject": d.subject, "attempt": None,
                "delivered": False, "error": None} for d in decided]  # fmt: skip
    if format == Format.json:
        json_out(records)
    elif format == Format.csv:
        records_csv(records, NOTIFY_FIELDS)
    else:
        lines("\n".join([f"would send to {d.route}: {d.subject}" for d in decided]
                        or ["nothing to send"]))  # fmt: skip


def _delivered_out(delivered: list[Delivery], format: Format) -> None:
    from sla_cli.render import json_out, lines, records_csv

    records = [{"key": d.key, "route": d.route, "event": d.event, "level": d.level,
                "subject": d.subject, "attempt": d.attempt, "delivered": d.error is None,
                "error": d.error} for d in delivered]  # fmt: skip
    if format == Format.json:
        json_out(records)
    elif format == Format.csv:
        records_csv(records, NOTIFY_FIELDS)
    else:
        out = [f"{'sent' if d.error is None else 'NOT sent'} to {d.route}: {d.subject}"
               for d in delivered]  # fmt: skip
        lines("\n".join(out or ["nothing to send"]))


def notices(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="The latest this many.", min=1)] = 100,
    format: FormatOption = Format.table,
) -> None:
    """What `sla notify` decided and sent: each notice's route, when, its attempts and outcome."""
    from sla_cli.render import Column, json_out, records_csv, table

    st = state(ctx)
    with st.reading() as s:
        rows = s.notices(limit)
    records = [_notice_record(r) for r in rows]
    if format == Format.json:
        json_out(records)
    elif format == Format.csv:
        records_csv(records, NOTICE_FIELDS)
    else:
        table(
            [Column("Decided"), Column("Route"), Column("Notice"), Column("Status")],
            [[r["decided_at"][:16].replace("T", " "), r["route"], r["subject"],
              r["status"] + (f" ({r['error']})" if r["error"] else "")] for r in records],
            title="Notices (-f json or csv: every field)",
            caption=None if records else "No notice decided yet: `sla notify` sends them.",
        )  # fmt: skip


NOTICE_FIELDS = ("key", "route", "event", "level", "client", "ticket", "clock", "subject",
                 "decided_at", "attempts", "delivered_at", "status", "error")  # fmt: skip


def _notice_record(r: NoticeRow) -> dict[str, Any]:
    import json

    payload = json.loads(r.payload)
    status = "delivered" if r.delivered else "failing" if r.error else "pending"
    return {
        "key": r.key,
        "route": r.route,
        "event": payload.get("event"),
        "level": payload.get("level"),
        "client": payload.get("client"),
        "ticket": payload.get("ticket"),
        "clock": payload.get("clock"),
        "subject": payload.get("subject"),
        "decided_at": r.created_at.isoformat(),
        "attempts": r.attempts,
        "delivered_at": None if r.delivered is None else r.delivered.isoformat(),
        "status": status,
        "error": r.error,
    }
