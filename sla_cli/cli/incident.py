"""`sla incident open|ack|start|resolve|list` and `sla breaches`: SLA clocks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli.options import Format, FormatOption, State, state

if TYPE_CHECKING:
    from datetime import datetime

    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.store.incidents import Event

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

    return parse_moment(at, st.settings().timezone, st.now()) if at else st.now()


@incident_app.command("open")
def open_(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    title: Annotated[str | None, typer.Option("--title", help="What happened.")] = None,
    client: ClientOption = None,
) -> None:
    """Open an incident: its reaction and start-of-work clocks start running."""
    from sla_cli.cli.views import clock_line
    from sla_cli.formatting import short_time
    from sla_cli.render import lines
    from sla_cli.store.incidents import clocks, open_incident, row_of

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.ledger().session() as s:
        inc = open_incident(
            s, ticket, moment, title, client, settings.timezone, st.user(), st.now()
        )
        row = row_of(s, inc)
    shown = clocks(row, _calendar(st), st.now(), settings.at_risk_percent)
    lines(
        f"opened {inc.ticket} for {row.client.key} (variant {row.contract.variant}) at "
        f"{short_time(moment, settings.timezone)}: "
        + "; ".join(clock_line(c, settings.timezone) for c in shown)
    )


def _event(
    ctx: typer.Context, ticket: str, at: str | None, event: Event, client: str | None
) -> None:
    from sla_cli.cli.views import clock_line
    from sla_cli.formatting import short_time
    from sla_cli.render import lines
    from sla_cli.store.incidents import PAST, clocks, record_event, row_of

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.ledger().session() as s:
        inc = record_event(s, ticket, event, moment, st.now(), settings.timezone, client)
        row = row_of(s, inc)
    reaction, start = clocks(row, _calendar(st), st.now(), settings.at_risk_percent)
    shown = {"ack": [reaction], "start": [start], "resolve": [reaction, start]}[event]
    lines(
        f"{ticket} {PAST[event]} at {short_time(moment, settings.timezone)}: "
        + "; ".join(clock_line(c, settings.timezone) for c in shown)
    )


@incident_app.command("ack")
def ack(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Record the reaction: stops the reaction clock."""
    _event(ctx, ticket, at, "ack", client)


@incident_app.command("start")
def start(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Record the start of work: stops the start-of-work clock (logging hours does it too)."""
    _event(ctx, ticket, at, "start", client)


@incident_app.command("resolve")
def resolve(
    ctx: typer.Context, ticket: TicketArg, at: AtOption = None, client: ClientOption = None
) -> None:
    """Resolve the incident (stops any clock still running)."""
    _event(ctx, ticket, at, "resolve", client)


@incident_app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only unresolved incidents.")] = False,
    client: Annotated[str | None, typer.Option("--client", help="Client key.")] = None,
    format: FormatOption = Format.table,
) -> None:
    """Incidents with both clocks: due time, remaining business time, status."""
    from sla_cli.cli.views import incidents_view
    from sla_cli.store.incidents import clocks, incidents

    st = state(ctx)
    settings = st.settings()
    cal = _calendar(st)
    with st.ledger().session() as s:
        rows = incidents(s, client_key=client, open_only=open_only, tz=settings.timezone)
    evaluated = [(r, *clocks(r, cal, st.now(), settings.at_risk_percent)) for r in rows]
    incidents_view(evaluated, format.value, settings.timezone, st.now())


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
    from sla_cli.cli.views import breaches_view
    from sla_cli.errors import CheckFailed
    from sla_cli.store.incidents import clocks, incidents
    from sla_cli.store.ledger import month_bounds
    from sla_cli.timeparse import month_label, parse_month

    st = state(ctx)
    settings = st.settings()
    label = month_label(*parse_month(month)) if month else st.today().strftime("%Y-%m")
    first, nxt = month_bounds(label)
    cal = _calendar(st)
    with st.ledger().session() as s:
        rows = incidents(
            s,
            client_key=client,
            opened_from=first,
            opened_before=nxt if month else None,
            also_unresolved=month is None,
            tz=settings.timezone,
        )
    found = [
        (r, c)
        for r in rows
        for c in clocks(r, cal, st.now(), settings.at_risk_percent)
        if c.status in ("breached", "at_risk")
    ]
    breaches_view(found, format.value, settings.timezone)
    if fail and found:
        raise CheckFailed(f"{len(found)} SLA clock(s) breached or at risk")


def _calendar(st: State) -> BusinessCalendar:
    from sla_cli.domain.calendar import BusinessCalendar

    return BusinessCalendar(st.settings().schedule())
