"""`sla init`, `sla tariffs`, `sla quote`: the config and the catalog. No ledger is touched."""

from __future__ import annotations

from typing import Annotated

import typer

from sla_cli.cli import complete
from sla_cli.cli.options import Format, FormatOption, state


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("tariffs")(tariffs)
    app.command("quote")(quote)


def init(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing config.")] = False,
) -> None:
    """Write the config (the offer's tariffs, schedule, example prices) and create the ledger."""
    from sla_cli.config import config_path, default_document, write_config
    from sla_cli.errors import ConfigError
    from sla_cli.render import lines

    st = state(ctx)
    path = config_path(st.config_option)
    if path.exists() and not force:
        raise ConfigError(f"{path}: a config exists already; `sla init --force` overwrites it")
    ledger = st.ledger(create=True)  # first: a ledger that cannot be opened writes no config
    write_config(path, default_document(), force=True)
    st.reload_settings()
    lines(f"config written to {path} (prices in it are examples: set your own)")
    lines(f"ledger ready at {ledger.display_url}")


def tariffs(
    ctx: typer.Context,
    format: FormatOption = Format.table,
) -> None:
    """The catalog: variants, tiers, prices, terms, discounts and SLA targets."""
    from sla_cli.cli.views import tariffs_view

    tariffs_view(state(ctx).settings(), format.value)


def quote(
    ctx: typer.Context,
    variant: Annotated[
        int,
        typer.Option(
            "--variant", "-v", help="Contract variant: 1, 2 or 3.", autocompletion=complete.variants
        ),
    ],
    tier: Annotated[
        str | None,
        typer.Option(
            "--tier",
            "-t",
            help="One tier (key, name or number); default: every tier.",
            autocompletion=complete.tiers,
        ),
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            "-m",
            help="Term in months, paid ahead (variant 3: packages, one a month). "
            "Default: the variant's minimum term.",
            show_default=False,
        ),
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Price every tier of a variant (or one) with prepayment discounts and totals."""
    from sla_cli.cli.views import quote_view
    from sla_cli.domain.quote import make_quote

    q = make_quote(state(ctx).settings().catalog, variant, tier, months)
    quote_view(q, format.value)
