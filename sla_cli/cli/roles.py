"""`sla role grant NAME ROLE`, `sla role revoke NAME ROLE`, `sla role list`: who may do what on
a team's PostgreSQL ledger (owner only; the database enforces the roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli.options import Format, FormatOption, state

if TYPE_CHECKING:
    from sla_cli.store.roles import Member

role_app = typer.Typer(
    help="Who may do what on a PostgreSQL ledger: grant, revoke, list (owner only).",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="A database role (a person's login).")]
RoleArgument = Annotated[str, typer.Argument(help="engineer, manager, auditor or owner.")]


NO_MEMBERS = (
    "No one holds a role (an SQLite ledger has none; on PostgreSQL: `sla role grant NAME ROLE`)."
)


def register(app: typer.Typer) -> None:
    app.add_typer(role_app, name="role")


PersonOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        help="The name their rows carry as author (default: the login); given again, renames.",
    ),
]


@role_app.command("grant")
def grant(
    ctx: typer.Context, name: NameArgument, role: RoleArgument, person: PersonOption = None
) -> None:
    """Grant one of the ledger's roles to a database role (and name the person)."""
    from sla_cli.domain.text import check_author
    from sla_cli.render import lines
    from sla_cli.store.roles import kind_of

    kind = kind_of(role)
    shown = None if person is None else check_author(person)
    with state(ctx).store() as s:
        done = s.grant(name, kind)
        group = s.role_name(kind)
        named = shown is not None and s.name_person(name, shown)
    said = [f"{name} is {'now' if done else 'already'} {kind} ({group})"]
    if shown is not None:
        said.append(f"{name}'s rows {'now carry' if named else 'already carry'} the name {shown}")
    lines("\n".join(said))


@role_app.command("revoke")
def revoke(ctx: typer.Context, name: NameArgument, role: RoleArgument) -> None:
    """Revoke one of the ledger's roles from a database role."""
    from sla_cli.render import lines
    from sla_cli.store.roles import kind_of

    kind = kind_of(role)
    with state(ctx).store() as s:
        done = s.revoke(name, kind)
        group = s.role_name(kind)
    lines(f"{name} {'is no longer' if done else 'was not'} {kind} ({group})")


WhatArgument = Annotated[
    str, typer.Argument(help="rates (the money of contracts, entries and closes) or documents.")
]


@role_app.command("hide")
def hide(ctx: typer.Context, what: WhatArgument) -> None:
    """Hide rates or documents from the ledger's engineers (managers and auditors see them)."""
    _hide(ctx, what, True)


@role_app.command("unhide")
def unhide(ctx: typer.Context, what: WhatArgument) -> None:
    """Let the ledger's engineers read rates or documents again."""
    _hide(ctx, what, False)


def _hide(ctx: typer.Context, what: str, hide: bool) -> None:
    from sla_cli.render import lines
    from sla_cli.store.roles import hidden_of

    which = hidden_of(what)
    with state(ctx).store() as s:
        done = s.hide(which, hide)
    state_now = "hidden from" if hide else "readable by"
    lines(f"{which} {'are now' if done else 'were already'} {state_now} engineers")


@role_app.command("list")
def list_(ctx: typer.Context, format: FormatOption = Format.table) -> None:
    """Who holds which of the ledger's roles, and what each role may do."""
    from sla_cli.render import Column, json_out, records_csv, table
    from sla_cli.store.roles import MAY_DO

    with state(ctx).reading() as s:
        members = s.members()
        hidden = s.hidden()
    records = [{"name": m.name, "role": m.role, "author": m.author} for m in members]
    if format == Format.json:
        json_out(records)
    elif format == Format.csv:
        records_csv(records, ("name", "role", "author"))
    else:
        table(
            [Column("Name"), Column("Role"), Column("Author"), Column("May")],
            [[m.name, m.role, _named(m), MAY_DO[m.role]] for m in members],
            title="Roles",
            caption=(
                NO_MEMBERS
                if not members
                else f"Hidden from engineers: {', '.join(hidden)}."
                if hidden
                else None
            ),
        )


def _named(m: Member) -> str:
    """The name a member's rows carry, when it is not their login."""
    return "" if m.author == m.name else m.author
