"""`sla incident open|ack|start|resolve|priority|wait|resume|undo|cancel|reopen|list` and
`sla breaches`."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, State, state
from sla_cli.domain.kinds import Event
from sla_cli.errors import CheckFailed

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sla_cli.ops.incidents import Recorded
    from sla_cli.store.store import Store

incident_app = typer.Typer(
    help="Incidents and their SLA clocks (reaction, start of work, resolution).",
    no_args_is_help=True,
)

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When, e.g. '2026-03-02 10:15' (company time zone) or with an offset; default now.",
    ),
]
TicketArg = Annotated[
    str, typer.Argument(help="Ticket, e.g. ACME-12.", autocompletion=complete.open_tickets)
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
    priority: Annotated[
        str | None,
        typer.Option(
            "--priority",
            "-p",
            autocompletion=complete.priorities,
            help="One of the contract's priorities (`variants.N.priorities` in the config); "
            "default: its first, `normal` unless configured.",
            show_default=False,
        ),
    ] = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Open an incident: its SLA clocks start running.

    Reaction and start of work, and resolution when the incident's priority sets a target for it.
    """
    from sla_cli.cli.ledger_views import clock_line
    from sla_cli.cli.needs import clocks
    from sla_cli.cli.records import zone_of
    from sla_cli.formatting import short_time
    from sla_cli.ops.incidents import open_incident
    from sla_cli.render import lines

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.store() as s:
        inc = open_incident(
            s, ticket, moment, title, client, settings.timezone, st.user(), st.now(), priority
        )
    shown = clocks(st).every(inc)
    tz = zone_of(inc, settings.timezone)  # as `incident list` shows the client's incidents
    lines(
        f"opened {inc.ticket} for {inc.client.key} (variant {inc.contract.variant}, "
        f"{inc.priority}) at {short_time(moment, tz)}: "
        + "; ".join(clock_line(c, tz) for c in shown)
    )


def _event(
    ctx: typer.Context, ticket: str, at: str | None, event: Event, client: str | None
) -> None:
    from sla_cli.cli.ledger_views import clock_line
    from sla_cli.cli.needs import clocks
    from sla_cli.cli.records import zone_of
    from sla_cli.formatting import short_time
    from sla_cli.ops.incidents import record_event
    from sla_cli.render import lines

    st = state(ctx)
    settings = st.settings()
    moment = _moment(st, at)
    with st.store() as s:
        inc = record_event(s, ticket, event, moment, st.now(), settings.timezone, client, st.user())
    reaction, start, *resolve = clocks(st).every(inc)
    shown = {Event.ACK: [reaction], Event.START: [start]}.get(event, [reaction, start, *resolve])
    tz = zone_of(inc, settings.timezone)
    said = f"{inc.ticket} {event.past} at {short_time(moment, tz)}"
    logged = inc.logged_work()
    if event == Event.START and logged is not None and logged <= moment:
        said += (
            f", but hours logged already stopped the start-of-work clock at "
            f"{short_time(logged, tz)}; this changes no clock"
        )
    lines(f"{said}: " + "; ".join(clock_line(c, tz) for c in shown))


@incident_app.command("ack")
def ack(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Record the reaction: stops the reaction clock."""
    _event(ctx, ticket, at, Event.ACK, client)


@incident_app.command("start")
def start(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Record the start of work: stops the start-of-work clock (logging hours does it too)."""
    _event(ctx, ticket, at, Event.START, client)


@incident_app.command("resolve")
def resolve(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Resolve the incident (stops any clock still running)."""
    _event(ctx, ticket, at, Event.RESOLVE, client)


NoteOption = Annotated[str | None, typer.Option("--note", help="Why.")]


def _said(st: State, done: "Recorded") -> str:
    """What an undo, cancellation or reopening did, and the clocks after it."""
    from sla_cli.cli.ledger_views import clock_line
    from sla_cli.cli.needs import clocks
    from sla_cli.cli.records import zone_of
    from sla_cli.formatting import short_time

    inc, new = done.incident, done.event
    tz = zone_of(inc, st.settings().timezone)
    if new.undoes is not None:
        u = new.undoes
        what = f"undid {u.kind} at {short_time(u.at, tz)} (recorded by {u.by})"
    else:
        what = f"{new.kind.past} at {short_time(new.at, tz)}"
    if inc.cancelled is not None:
        return f"{inc.ticket} {what}; it is cancelled: out of breaches and statements"
    state_ = "open" if inc.resolved_at is None else f"resolved {short_time(inc.resolved_at, tz)}"
    if inc.waiting:
        state_ = "waiting for the client"
    if new.value is not None:
        what = f"is {new.value} from {short_time(new.at, tz)}"
    shown = "; ".join(clock_line(c, tz) for c in clocks(st).every(inc))
    return f"{inc.ticket} {what}; {state_}: {shown}"


@incident_app.command("priority")
def priority(
    ctx: typer.Context,
    ticket: TicketArg,
    new: Annotated[
        str,
        typer.Argument(
            metavar="PRIORITY", help="One of the contract's.", autocompletion=complete.priorities
        ),
    ],
    at: AtOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Change the incident's priority (recorded, undoable); the clocks never restart.

    The new priority's targets apply to the business time already run, from the opening.
    """
    from sla_cli.ops.incidents import set_priority

    _change(
        ctx, at, lambda s, st, at, tz: set_priority(s, ticket, new, at, tz, st.user(), st.now(),
                                                   client),
        State.store,
    )  # fmt: skip


@incident_app.command("wait")
def wait(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    note: Annotated[str | None, typer.Option("--note", help="What the client was asked.")] = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Wait for the client: the pausing clocks stop counting until `sla incident resume`.

    The clocks in `sla.pausing_clocks` pause: start of work and resolution by default.
    """
    _hold(ctx, ticket, at, note, client, wait=True)


@incident_app.command("resume")
def resume(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """The client answered: the paused clocks count again, due later by the time waited."""
    _hold(ctx, ticket, at, None, client, wait=False)


def _hold(
    ctx: typer.Context, ticket: str, at: str | None, note: str | None, client: str | None,
    wait: bool,
) -> None:  # fmt: skip
    from sla_cli.ops.incidents import wait_or_resume

    _change(
        ctx, at, lambda s, st, at, tz: wait_or_resume(s, ticket, wait, at, note, tz, st.user(),
                                                     st.now(), client),
        State.store,
    )  # fmt: skip


S = TypeVar("S", bound="Store")


def _change(
    ctx: typer.Context, at: str | None, run: "Callable[[S, State, datetime, str], Recorded]",
    opened: "Callable[[State], AbstractContextManager[S]]",
) -> None:  # fmt: skip
    """Run one change of an incident at ``at`` (default now), in the store ``opened`` gives,
    and say what it did."""
    from sla_cli.render import lines

    st = state(ctx)
    tz = st.settings().timezone
    moment = _moment(st, at)
    with opened(st) as s:
        done = run(s, st, moment, tz)
    lines(_said(st, done))


@incident_app.command("undo")
def undo(
    ctx: typer.Context,
    ticket: TicketArg,
    note: NoteOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Reverse the incident's last event, one at a time.

    Any event: ack, start, resolve, cancel, reopen, wait, resume or a change of priority.
    """
    from sla_cli.ops.incidents import undo_event

    _change(ctx, None, lambda s, st, _, tz: undo_event(s, ticket, note, tz, st.user(), st.now(),
                                                      client), State.store)  # fmt: skip


@incident_app.command("cancel")
def cancel(
    ctx: typer.Context,
    ticket: TicketArg,
    note: Annotated[str, typer.Option("--note", help="Why it is cancelled.")],
    client: complete.TicketClientOption = None,
) -> None:
    """Cancel an incident opened by mistake: out of breaches and statements, kept in the list."""
    from sla_cli.ops.incidents import cancel_incident

    _change(
        ctx, None, lambda s, st, _, tz: cancel_incident(s, ticket, note, tz, st.user(), st.now(),
                                                       client),
        State.store,
    )  # fmt: skip


@incident_app.command("reopen")
def reopen(
    ctx: typer.Context,
    ticket: TicketArg,
    at: AtOption = None,
    note: NoteOption = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Reopen a resolved incident: its clocks run on as if it had not been resolved."""
    from sla_cli.ops.incidents import reopen_incident

    _change(
        ctx, at, lambda s, st, at, tz: reopen_incident(s, ticket, at, note, tz, st.user(),
                                                      st.now(), client),
        State.store,
    )  # fmt: skip


@incident_app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only unresolved incidents, from any month.")
    ] = False,
    all_: Annotated[
        bool, typer.Option("--all", help="Every incident: resolved and cancelled ones too.")
    ] = False,
    client: complete.TicketClientOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Incidents with their clocks: due time, remaining business time, status.

    By default the ones still open, and those opened this month.
    """
    from sla_cli.cli.ledger_views import incidents_view
    from sla_cli.cli.needs import clocks
    from sla_cli.domain.month import Month
    from sla_cli.ops.incidents import clock_book, iter_incidents

    st = state(ctx)
    tz = st.settings().timezone
    since = None if open_only or all_ else Month.of(st.today()).first_day
    note = "" if since is None else (
        f"; open ones and those opened since {since.isoformat()}: --all lists every incident"
    )  # fmt: skip
    with st.reading() as s:  # written as read: memory stays flat at any number of incidents
        book = clock_book(s, clocks(st), tz)  # a closed month's clocks as its close sealed
        found = iter_incidents(s, tz, client, open_only, with_cancelled=all_, since=since)
        rows = ((i, *book(i).of(i), book(i).waited(i), book(i).resolution(i)) for i in found)
        incidents_view(rows, format.value, tz, st.now(), note)


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
    client: complete.TicketClientOption = None,
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
    from sla_cli.ops.incidents import clock_book, month_incidents, sealed_clocks

    st = state(ctx)
    tz = st.settings().timezone
    wanted = month_option(month) or Month.of(st.today())
    with st.reading() as s:
        # a closed month's clocks, as its statement shows them: with the terms it sealed
        sealed = None if month is None else sealed_clocks(s, wanted, st.now())
        if sealed is not None:
            tz = sealed.calendar.schedule.timezone
        found = month_incidents(s, tz, wanted, client, also_unresolved=month is None)
        book = clock_book(s, sealed or clocks(st), tz)
    breached = [pair for i in found for pair in flagged([i], book(i))]
    breaches_view(breached, format.value, tz, lambda i: book(i).waited(i))
    if fail and breached:
        raise CheckFailed(f"{len(breached)} SLA clock(s) breached or at risk")
