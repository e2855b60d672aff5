"""`sla log`, `sla entries`, `sla void`: the hours ledger."""

from datetime import time
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, State, state
from sla_cli.domain.kinds import WorkKind
from sla_cli.errors import InputError

if TYPE_CHECKING:
    from sla_cli.domain.work import WorkLog
    from sla_cli.ops.work import Logged


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("entries")(entries)
    app.command("void")(void)


LogTicket = Annotated[
    str | None,
    typer.Argument(
        help="Ticket, KEY-NUMBER (ACME-12).", show_default=False, autocompletion=complete.tickets
    ),
]


def log(
    ctx: typer.Context,
    duration: Annotated[
        str | None, typer.Argument(help="2h, 1h30m, 90m, 1.5h, 0:45, 2ч, 1ч30м, 45мин.")
    ] = None,
    ticket: LogTicket = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="When the work started, HH:MM.")
    ] = None,
    kind: Annotated[
        WorkKind, typer.Option("--kind", help="Support, or custom development.")
    ] = WorkKind.SUPPORT,
    note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who did it (default SLA_USER or the OS user).")
    ] = None,
    client: complete.TicketClientOption = None,
    undo: Annotated[
        bool, typer.Option("--undo", help="Reverse your last entry instead of logging.")
    ] = False,
) -> None:
    """Log hours on a ticket (or `--undo` your last entry)."""
    from sla_cli.domain.durations import parse_duration

    st = state(ctx)
    if undo:
        if duration or ticket:
            raise InputError("`sla log --undo` takes no duration or ticket")
        _undo(st, by)
        return
    if not duration or not ticket:
        raise InputError("usage: sla log DURATION TICKET, e.g. sla log 2h ACME-12")
    from sla_cli.cli.needs import work_policy
    from sla_cli.domain.work import WorkLog
    from sla_cli.ops.work import log_work
    from sla_cli.timeparse import parse_clock, parse_date

    work = WorkLog(
        ticket=ticket,
        minutes=parse_duration(duration),
        on=st.today() if on is None else parse_date(on, st.today()),
        start=None if from_ is None else time(*parse_clock(from_)),
        kind=kind,
        note=note,
        client_key=client,
    )
    settings = st.settings()
    with st.store() as s:
        user = st.user() if by is None else by  # on PostgreSQL, asked in this transaction
        done = log_work(s, work_policy(settings), settings.timezone, work, user, st.now())
    _logged(work, done)


def _undo(st: State, by: str | None) -> None:
    from sla_cli.formatting import format_duration
    from sla_cli.ops.work import undo_last
    from sla_cli.render import lines

    with st.store() as s:
        rev = undo_last(s, st.user() if by is None else by)
    lines(f"entry {rev.id}: reversed entry {rev.reverses} ({format_duration(-rev.minutes)})")


def _logged(work: "WorkLog", done: "Logged") -> None:
    from sla_cli.formatting import author, format_duration, hours_h
    from sla_cli.render import lines

    e = done.entry
    typed = work.minutes
    rounded = f" (rounded up from {format_duration(typed)})" if e.minutes != typed else ""
    left = "" if done.balance is None else f"; balance {hours_h(done.balance)}"
    if done.balance is not None and done.balance >= 0 and done.overdraft:  # a month before now
        left += f" once {e.on:%Y-%m} closes, billing its overdraft"
    lines(
        f"entry {e.id}: {format_duration(e.minutes)}{rounded} on {e.ticket} for "
        f"{e.client_key} ({e.kind}, {e.on.isoformat()}, by {author(e.by, e.entered_by)}){left}"
    )
    warn_logged(done)


def warn_logged(done: "Logged") -> None:
    """What the engineer should know of an entry just logged (by `log` or `stop`): an
    overdraft, development past its cap, the month's hours passing a level."""
    from sla_cli.formatting import format_duration, hours_h
    from sla_cli.render import warning

    e = done.entry
    if done.overdraft:
        warning(
            f"{done.overdraft.client}'s prepaid hours are overdrawn by "
            f"{format_duration(done.overdraft.short_minutes)}; the overdraft is billed at "
            "month close (`sla contract topup` buys a package)"
        )
    if done.used:
        used, included, passed = done.used
        warning(
            f"{e.client_key} has used {hours_h(used)} of the month's {hours_h(included)} "
            f"({passed[-1]} %); `sla notify` tells the manager"
        )
    cap = done.dev_over_cap
    if cap:
        warning(
            f"{cap.client}'s custom development in {cap.month} is {hours_h(cap.dev_minutes)}, "
            f"{hours_h(cap.over_minutes)} over the tariff's {hours_h(cap.cap_minutes)}; "
            "the statement flags it"
        )


# The table without a filter: the latest entries, so a large ledger still answers at once.
MAX_LIMIT = 10**9  # far beyond any ledger; SQLite's integers end at 2**63
TABLE_LIMIT = 100


def entries(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM.")] = None,
    client: complete.ClientOption = None,
    ticket: Annotated[
        str | None,
        typer.Option("--ticket", help="One ticket's entries.", autocompletion=complete.tickets),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="One engineer's entries.")] = None,
    kind: Annotated[
        WorkKind | None, typer.Option("--kind", help="Work of one kind: support or dev.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date on (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="To this date, inclusive.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            max=MAX_LIMIT,
            help=f"Only the latest N entries. Default: the table shows the latest "
            f"{TABLE_LIMIT}, filtered or not; JSON and CSV give every entry.",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every entry in the table, however many.")
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """The ledger's entries, oldest first (JSON and CSV stream, in constant memory). Filters
    combine: `--month 2026-10 --by anna --kind dev`."""
    from sla_cli.cli.ledger_views import entries_table, entries_view
    from sla_cli.cli.needs import month_option
    from sla_cli.ops.listing import EntryQuery, last_entry_id, latest_entries, stream_entries
    from sla_cli.timeparse import parse_date

    st = state(ctx)
    if all_ and limit is not None:
        raise InputError("--all and --limit contradict each other: give one")
    first = None if since is None else parse_date(since, st.today())
    last = None if until is None else parse_date(until, st.today())
    query = EntryQuery(month_option(month), client, ticket, by, kind, first, last)
    tz = st.settings().timezone
    table = format == Format.table
    if limit is None and table and not all_:  # a month of a team is thousands of rows
        limit = TABLE_LIMIT
    with st.reading() as s:
        last_id = last_entry_id(s) if table else 0
        if limit is None:
            entries_view(stream_entries(s, query), format.value, tz, last_id)
            return
        found, total = latest_entries(s, query, limit)
        if table:
            entries_table(found, total, last_id, narrower=not query.filtered)
        else:
            entries_view(found, format.value, tz)


def void(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry to reverse.")],
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
) -> None:
    """Reverse any entry once, with a reversing entry (nothing is ever deleted)."""
    from sla_cli.formatting import format_duration
    from sla_cli.ops.work import void as reverse
    from sla_cli.render import lines

    st = state(ctx)
    with st.store() as s:
        rev = reverse(s, entry_id, st.user(), note)
    lines(f"entry {rev.id}: reversed entry {entry_id} ({format_duration(-rev.minutes)})")
