"""`sla incident open|ack|start|resolve|list` and `sla breaches`: SLA clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from sla_cli.cli.options import Format, FormatOption, State, state
from sla_cli.domain.kinds import Event
from sla_cli.errors import CheckFailed

incident_app = typer.Typer(
    help="Incidents and their SLA clocks (reaction, start of work).", no_args_is_help=True
)

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When, e.g. '2026-03-02 10:15' (company time zone) or with an offset; default now.",
    ),
]
TicketArg = Annotated[str, typer.Argument(help="Ticket, e.g. ACME-12.")]
ClientOption = Annotated[
    str | None, typer.Option("--client", help="Client key, for tickets not named KEY-N.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(incident_app, name="incident")
    app.command("breaches")(breaches)


def _moment(st: State, at: str | None) -> datetime:
    from sla_cli.timeparse import parse_moment

    return st.now() if at is None else parse_moment(at, st.settings().timezone, st.now())


@incident_app.command("open")
def open_(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    title: Annotated[str | None, typer.Option("--title", help="What happened.")] = None,
    client: ClientOption = None,
) -> None:
    """Open an incident: its reaction and start-of-work clocks start running."""
    from sla_cli.cli.ledger_views import clock_line
    from sla_cli.cli.needs import clocks
    from sla_cli.formatting import short_time
    from sla_cli.ops.incidents import open_incident
    from sla_cli.render import lines

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.ledger().session() as s:
        inc = open_incident(
            s, ticket, moment, title, client, settings.timezone, st.user(), st.now()
        )
    shown = clocks(st).of(inc)
    lines(
        f"opened {inc.ticket} for {inc.client.key} (variant {inc.contract.variant}) at "
        f"{short_time(moment, settings.timezone)}: "
        + "; ".join(clock_line(c, settings.timezone) for c in shown)
    )


def _event(
    ctx: typer.Context, ticket: str, at: str | None, event: Event, client: str | None
) -> None:
    from sla_cli.cli.ledger_views import clock_line
    from sla_cli.cli.needs import clocks
    from sla_cli.formatting import short_time
    from sla_cli.ops.incidents import record_event
    from sla_cli.render import lines

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.ledger().session() as s:
        inc = record_event(s, ticket, event, moment, st.now(), settings.timezone, client)
    reaction, start = clocks(st).of(inc)
    shown = {Event.ACK: [reaction], Event.START: [start], Event.RESOLVE: [reaction, start]}[event]
    lines(
        f"{ticket} {event.past} at {short_time(moment, settings.timezone)}: "
        + "; ".join(clock_line(c, settings.timezone) for c in shown)
    )


@incident_app.command("ack")
def ack(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Record the reaction: stops the reaction clock."""
    _event(ctx, ticket, at, Event.ACK, client)


@incident_app.command("start")
def start(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Record the start of work: stops the start-of-work clock (logging hours does it too)."""
    _event(ctx, ticket, at, Event.START, client)


@incident_app.command("resolve")
def resolve(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Resolve the incident (stops any clock still running)."""
    _event(ctx, ticket, at, Event.RESOLVE, client)


@incident_app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only unresolved incidents.")] = False,
    client: Annotated[str | None, typer.Option("--client", help="Client key.")] = None,
    format: FormatOption = Format.table,
) -> None:
    """Incidents with both clocks: due time, remaining business time, status."""
    from sla_cli.cli.ledger_views import incidents_view
    from sla_cli.cli.needs import clocks
    from sla_cli.ops.incidents import list_incidents

    st = state(ctx)
    tz = st.settings().timezone
    with st.ledger().session() as s:
        found = list_incidents(s, tz, client, open_only)
    now = clocks(st)
    incidents_view([(i, *now.of(i)) for i in found], format.value, tz, st.now())


def breaches(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="YYYY-MM: incidents opened that month (default: this month and any "
            "still unresolved).",
        ),
    ] = None,
    client: Annotated[str | None, typer.Option("--client", help="Client key.")] = None,
    fail: Annotated[
        bool, typer.Option("--fail", help="Exit 1 when anything is listed (for cron, monitoring).")
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Breached clocks, and running ones at risk, with how late in business minutes."""
    from sla_cli.cli.ledger_views import breaches_view
    from sla_cli.cli.needs import clocks, month_option
    from sla_cli.domain.month import Month
    from sla_cli.ops.incidents import breaches as flagged
    from sla_cli.ops.incidents import month_incidents

    st = state(ctx)
    tz = st.settings().timezone
    wanted = month_option(month) or Month.of(st.today())
    with st.ledger().session() as s:
        found = month_incidents(s, tz, wanted, client, also_unresolved=month is None)
    breached = flagged(found, clocks(st))
    breaches_view(breached, format.value, tz)
    if fail and breached:
        raise CheckFailed(f"{len(breached)} SLA clock(s) breached or at risk")
