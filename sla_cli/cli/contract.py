"""`sla contract add|list|show|topup|end|cancel`."""

from __future__ import annotations

from typing import Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, state
from sla_cli.errors import InputError

contract_app = typer.Typer(
    help="Contracts: sign, list, show, buy packages, end, cancel.", no_args_is_help=True
)


PREPAID_HELP = (
    "Months paid at signing, from the first (sets the prepayment discount). Default: none."
)


def register(app: typer.Typer) -> None:
    app.add_typer(contract_app, name="contract")


SameNameOption = Annotated[
    bool, typer.Option("--force", help="Sign a new client even though another has the same name.")
]


@contract_app.command("add")
def add(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help="The client's name, as on statements.")],
    key: Annotated[str, typer.Option("--key", help="Short key used in tickets (ACME-12).")],
    variant: complete.VariantOption,
    tier: complete.TierOption,
    start: Annotated[str, typer.Option("--start", help="First day, YYYY-MM-DD.")],
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            help="Term in months (default: the variant's minimum; packages: open-ended).",
        ),
    ] = None,
    prepaid_months: Annotated[
        int | None,
        typer.Option("--prepaid-months", help=PREPAID_HELP),
    ] = None,
    hour_discount: Annotated[
        str,
        typer.Option("--hour-discount", help="Percent off extra hours, up to the variant's max."),
    ] = "0",
    tz: Annotated[
        str | None, typer.Option("--tz", help="The client's time zone, for display.")
    ] = None,
    force: SameNameOption = False,
) -> None:
    """Sign a contract. A variant 3 contract buys its first package."""
    from sla_cli.domain.contracts import NewContract
    from sla_cli.domain.money import to_decimal
    from sla_cli.formatting import money_text, percent_text
    from sla_cli.ops.contracts import add_contract
    from sla_cli.render import lines
    from sla_cli.timeparse import parse_date

    st = state(ctx)
    typed = hour_discount.strip().rstrip("%").strip().replace(",", ".")
    try:
        if not typed.replace(".", "", 1).isdigit():
            raise InputError(typed)
        discount = to_decimal(typed)
    except InputError:
        raise InputError(
            f"--hour-discount is a percentage like 10 or 7.5, not {hour_discount!r}"
        ) from None
    day = parse_date(start, st.today())
    new = NewContract(client, key, variant, tier, day, months, prepaid_months, discount, tz, force)
    with st.store() as s:
        c = add_contract(s, st.settings().catalog, new, st.user(), st.now())
    term = f"through {c.last_day.isoformat()}" if c.last_day else "open-ended"
    lines(
        f"contract {c.id}: {c.client.key} on variant {c.variant} «{c.tier_name}» "
        f"from {c.start.isoformat()} {term}; "
        f"fee {money_text(c.price)}, "
        f"prepayment discount {percent_text(c.prepay_discount, zero='0 %')}, "
        f"hour discount {percent_text(c.hour_discount, zero='0 %')}"
    )


@contract_app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[
        bool, typer.Option("--all", help="Cancelled contracts too, with who and why.")
    ] = False,
    format: FormatOption = Format.table,
) -> None:
    """Every contract with its terms (and balance, for packages)."""
    from sla_cli.cli.ledger_views import contracts_view
    from sla_cli.ops.contracts import list_contracts

    st = state(ctx)
    with st.reading() as s:
        s.require_rates("the contracts' fees")
        found = list_contracts(s, st.today(), with_cancelled=all_)
    contracts_view(found, format.value, st.settings().timezone)


@contract_app.command("show")
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format: table or json.")
    ] = Format.table,
) -> None:
    """One contract: its terms, the history of its changes (who, when, why), its balance and
    its forecast: at the pace of the last 30 days (and of the same month last year), the day
    a package runs out or a variant 1 month's hours are used up, and whether the month is on
    pace. No forecast from fewer than 5 working days of data."""
    from sla_cli.cli.ledger_views import contract_view
    from sla_cli.cli.needs import business_calendar
    from sla_cli.ops.contracts import show_contract

    st = state(ctx)
    if format == Format.csv:
        raise InputError("contract show prints a table or JSON, not CSV")
    working = business_calendar(st.settings()).is_working_day
    with st.reading() as s:
        s.require_rates("the contract's fee")
        line = show_contract(s, key, st.today(), working)
    contract_view(line, format.value, st.settings().timezone)


@contract_app.command("end")
def end(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)],
    on: Annotated[str, typer.Option("--on", help="The contract's last day, YYYY-MM-DD.")],
    note: Annotated[str | None, typer.Option("--note", help="Why the end moves.")] = None,
) -> None:
    """Move a contract's end, earlier or later, while the months it touches are open."""
    from sla_cli.domain.month import Month
    from sla_cli.ops.contracts import end_contract
    from sla_cli.render import lines, warning
    from sla_cli.timeparse import parse_date

    st = state(ctx)
    last = parse_date(on, st.today())
    with st.store() as s:
        c = end_contract(s, st.settings().catalog, key, last, note, st.user(), st.now())
    lines(f"contract {c.id}: {c.client.key} runs through {last.isoformat()}")
    if c.billing == "monthly" and c.end is not None and c.paid_until > Month.of(c.end):
        warning(
            f"{c.client.key} paid in advance through {c.paid_until.previous()}, after the new "
            "end: those months' fees are the client's to settle"
        )


@contract_app.command("prepay")
def prepay(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)],
    months: Annotated[int, typer.Option("--months", help="How many monthly fees were paid.")],
    note: Annotated[str | None, typer.Option("--note", help="The payment, for the record.")] = None,
) -> None:
    """Record a payment in advance after signing: the fees of the next months not yet paid,
    offset on their statements; the discount agreed at signing stays."""
    from sla_cli.ops.contracts import prepay as record
    from sla_cli.render import lines

    st = state(ctx)
    with st.store() as s:
        c, first, last = record(s, key, months, note, st.user())
    span = str(first) if first == last else f"{first} to {last}"
    lines(f"contract {c.id}: {c.client.key} paid {span} in advance; paid through {last}")


@contract_app.command("cancel")
def cancel(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)],
    note: Annotated[str, typer.Option("--note", help="Why: a cancellation says why.")],
) -> None:
    """Cancel a contract signed by mistake (no month of it closed, nothing logged on it)."""
    from sla_cli.ops.contracts import cancel_contract
    from sla_cli.render import lines

    st = state(ctx)
    with st.store() as s:
        done = cancel_contract(s, key, note, st.user(), st.now())
    c, r = done.contract, done.reversal
    lines(
        f"contract {c.id}: {c.client.key} cancelled by {st.user()}"
        + ("" if r is None else f"; its first package reversed by entry {r.id}")
        + "; `sla contract list --all` shows it"
    )


@contract_app.command("topup")
def topup(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Client key.", autocompletion=complete.client_keys)],
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            help="Package to buy (default: the contract's).",
            autocompletion=complete.tiers,
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
    ] = None,
) -> None:
    """Buy another package for a variant 3 contract."""
    from sla_cli.formatting import hours_h
    from sla_cli.ops.contracts import topup as buy
    from sla_cli.render import lines
    from sla_cli.timeparse import parse_date

    st = state(ctx)
    day = st.today() if on is None else parse_date(on, st.today())
    with st.store() as s:
        bought = buy(s, st.settings().catalog, key, tier, day, st.user(), st.now(), st.today())
    e = bought.entry
    lines(
        f"entry {e.id}: {e.client_key} bought {hours_h(e.minutes)} "
        f"({e.note}); balance {hours_h(bought.balance)}"
    )
