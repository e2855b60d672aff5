"""`sla start`, `sla stop`, `sla status`: timers instead of adding up minutes by hand."""

from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, State, state
from sla_cli.domain.kinds import WorkKind
from sla_cli.errors import InputError

if TYPE_CHECKING:
    from sla_cli.ops.contracts import ContractLine
    from sla_cli.ops.timers import Desk, Stopped


def register(app: typer.Typer) -> None:
    app.command("start")(start)
    app.command("stop")(stop)
    app.command("status")(status)


def _desk(st: State) -> "Desk":
    from sla_cli.cli.needs import work_policy
    from sla_cli.ops.timers import Desk

    settings = st.settings()
    return Desk(work_policy(settings), settings.timezone, st.user(), st.now())


def start(
    ctx: typer.Context,
    ticket: Annotated[
        str, typer.Argument(help="The ticket, e.g. ACME-12.", autocompletion=complete.tickets)
    ],
    kind: Annotated[
        WorkKind, typer.Option("--kind", help="support or dev, as for `sla log`.")
    ] = WorkKind.SUPPORT,
    note: Annotated[str | None, typer.Option("--note", help="What the work is.")] = None,
    client: complete.TicketClientOption = None,
) -> None:
    """Start your timer on a ticket (one at a time: a running one is stopped and logged).

    Its start is the start of work: it stops the incident's start-of-work clock.
    """
    from sla_cli.formatting import short_time
    from sla_cli.ops.timers import start_timer
    from sla_cli.render import lines

    st = state(ctx)
    desk = _desk(st)
    with st.store() as s:
        started = start_timer(s, desk, ticket, kind, note, client)
    if started.stopped is not None:
        lines(_stopped(started.stopped, desk.zone))
    t = started.timer
    lines(f"timer started on {t.ticket} ({t.kind}) at {short_time(t.started_at, desk.zone)}")


def stop(
    ctx: typer.Context,
    note: Annotated[
        str | None, typer.Option("--note", help="The entry's note (default: the start's).")
    ] = None,
    discard: Annotated[
        bool, typer.Option("--discard", help="Drop the timer: log nothing.")
    ] = False,
) -> None:
    """Stop your timer and log the time as an entry from its real start (rounded like any
    entry); `--discard` drops it instead."""
    from sla_cli.ops.timers import stop_timer
    from sla_cli.render import lines

    st = state(ctx)
    if discard and note is not None:
        raise InputError("--discard logs nothing, so it takes no --note")
    desk = _desk(st)
    with st.store() as s:
        done = stop_timer(s, desk, note, discard)
    lines(_stopped(done, desk.zone))
    from sla_cli.cli.ledger import warn_logged

    for part in (done.logged, done.next_day):
        if part is not None:
            warn_logged(part)


def _stopped(done: "Stopped", zone: str) -> str:
    from sla_cli.domain.durations import format_duration
    from sla_cli.formatting import hours_h, short_time

    t = done.timer
    since = short_time(t.started_at, zone)
    if done.logged is None:
        return f"timer on {t.ticket} (started {since}) discarded: nothing logged"
    e = done.logged.entry
    left = "" if done.logged.balance is None else f"; balance {hours_h(done.logged.balance)}"
    short = "" if done.ran_minutes else " (it ran under a minute: logged rounded up)"
    after = done.next_day
    if after is not None:
        n = after.entry
        short += (
            f"; past midnight: entry {n.id}, {format_duration(n.minutes)} on {n.on.isoformat()}"
        )
        left = "" if after.balance is None else f"; balance {hours_h(after.balance)}"
    return (
        f"timer on {t.ticket} stopped: entry {e.id}, {format_duration(e.minutes)} from {since} "
        f"for {e.client_key} ({e.kind}, by {e.by}){short}{left}"
    )


def status(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Everyone's running timers.")] = False,
    format: FormatOption = Format.table,
) -> None:
    """Your running timer: how long it has run, its ticket's incident clocks, and the client's
    hours left (a package's balance, or the month's included hours); in the table, the
    forecast of its contract, as `contract show` gives it."""
    from zoneinfo import ZoneInfo

    from sla_cli.cli.needs import clocks
    from sla_cli.cli.records import STATUS_FIELDS, timer_record
    from sla_cli.cli.timer_views import status_table
    from sla_cli.ops.timers import status as running
    from sla_cli.render import json_out, records_csv

    st = state(ctx)
    desk = _desk(st)
    now = clocks(st)
    with st.reading() as s:
        found = running(s, desk, all_)
        ahead: list[ContractLine] = []
        if format == Format.table:
            from sla_cli.ops.timers import timer_forecasts

            today = now.now.astimezone(ZoneInfo(desk.zone)).date()
            ahead = timer_forecasts(s, found, today, now.calendar.is_working_day)
    records = [timer_record(t, now, desk.zone) for t in found]
    if format == Format.json:
        json_out(records)
    elif format == Format.csv:
        records_csv(records, STATUS_FIELDS)
    else:
        status_table(records, all_, ahead)
