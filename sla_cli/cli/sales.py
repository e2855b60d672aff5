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
    reset_config: Annotated[
        bool,
        typer.Option(
            "--reset-config",
            help="Rewrite an existing config with the built-in defaults (its prices are "
            "examples), keeping a copy of the old one beside it.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", hidden=True, help="No longer rewrites the config."),
    ] = False,
) -> None:
    """Create the ledger, and write the config when there is none.

    An existing config is kept as it is (so `sla init` with another --db creates a second
    ledger, or a team's PostgreSQL one, on your prices); --reset-config rewrites it with the
    built-in defaults and keeps a copy of the old one.
    """
    import os
    from pathlib import Path

    from sla_cli.config import MAX_CONFIG_BYTES, config_path
    from sla_cli.config.defaults import default_document, write_config
    from sla_cli.errors import ConfigError
    from sla_cli.files import copy_aside, refuse_own
    from sla_cli.render import lines, warning

    st = state(ctx)
    path = config_path(st.config_option)
    if path.is_symlink():  # the config a link names is the one kept or rewritten, not the link
        path = Path(os.path.realpath(path))
    if force and not reset_config:
        warning("--force no longer rewrites the config: --reset-config does (keeping a copy)")
    keep = path.exists() and not reset_config
    if keep:
        try:
            st.reload_settings()  # the ledger is opened on the config's own timeouts
        except ConfigError as e:
            raise ConfigError(
                f"{e.message}; fix it, or `sla init --reset-config` rewrites it with the "
                "built-in defaults (keeping a copy of it)"
            ) from None
    else:  # never a config over the ledger or another database
        ledger_files = {p: what for p, what in st.own_files().items() if what != "the config"}
        refuse_own(path, path.stat() if path.exists() else None, ledger_files, str(path))
    ledger = st.ledger(create=True)  # first: a ledger that cannot be opened writes no config
    if keep:
        lines(f"config kept at {path}")
    else:
        copy = copy_aside(path, MAX_CONFIG_BYTES) if path.exists() else None
        write_config(path, default_document(), force=True)
        st.reload_settings()
        lines(f"config written to {path} (prices in it are examples: set your own)")
        if copy is not None:
            lines(f"the old config is kept at {copy}")
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
