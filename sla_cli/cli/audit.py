"""Looking after the ledger: `sla verify` (every closed month recomputed and compared with its
close), `sla upgrade` (the schema brought to this version's) and `sla backup` (a consistent
copy of an SQLite ledger, taken while others write)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli.options import state
from sla_cli.errors import CheckFailed

if TYPE_CHECKING:
    from sla_cli.ops.seals import Verification


class VerifyFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("upgrade")(upgrade)
    app.command("backup")(backup)


def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="Where the copy goes.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy an SQLite ledger, consistent even while others write (SQLite's online backup):
    the copy is a ledger `--db FILE` opens. A PostgreSQL ledger is copied with pg_dump."""
    import os

    from sla_cli.errors import InputError
    from sla_cli.files import file_target, refuse_own
    from sla_cli.render import lines
    from sla_cli.store.backups import copy_ledger, sweep_leftovers

    st = state(ctx)
    with st.reading():  # a ledger, at the current revision: the copy is one too
        pass
    source = st.ledger_file()
    if source is None:
        raise InputError(
            f"sla backup copies an SQLite ledger; {st.ledger_name()} is PostgreSQL: "
            "use pg_dump (for example pg_dump -Fc -f FILE DATABASE)"
        )
    target = file_target(file, f"backup {file}", "name a file for the copy")
    if target.exists() and os.path.samefile(target, source):
        raise InputError(f"{target} is the ledger itself")
    own = st.own_files()
    # a copy may replace an older copy (--force), never the config or the ledger's own files
    refuse_own(target, target.stat() if target.exists() else None, own, f"backup {file}", False)
    if target.exists() and not force:
        raise InputError(f"{target} exists; --force replaces it")
    if not target.parent.is_dir():
        raise InputError(f"{target}: no folder {target.parent}")
    swept = sweep_leftovers(target)
    copy_ledger(source, target)
    size = target.stat().st_size / 1e6
    out = [f"ledger {st.ledger_name()} copied to {target} ({size:.1f} MB)"]
    if swept:
        out.append(f"removed what an interrupted copy left: {', '.join(p.name for p in swept)}")
    lines("\n".join(out))


def upgrade(ctx: typer.Context) -> None:
    """Bring the ledger's schema up to this version of sla (an SQLite file is copied aside
    first, once). Commands that write do it on their own; commands that only read never do."""
    from sla_cli.render import lines
    from sla_cli.store.engine import SCHEMA_HEAD

    ledger = state(ctx).ledger()
    lines(f"ledger {ledger.display_url} is at schema revision {SCHEMA_HEAD}")


def verify(
    ctx: typer.Context,
    format: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="Output format.")
    ] = VerifyFormat.table,
) -> None:
    """Check that every closed month still matches its close: exit 1 listing each difference.

    Recomputes each closed month's figures and the digest of its entries and contract terms
    from the ledger's rows, compares them with what the close recorded, and checks that the
    database's guards (append-only and closed-month triggers) are all in place, enabled and
    defined as the schema's revisions created them. A difference means the database was changed
    behind sla's back: restore it from a backup. On PostgreSQL it also notes the roles that may
    get past the guards (superusers other than the tables' owner, members of the owner, roles
    allowed to set session_replication_role); they fail nothing.
    """
    from sla_cli.cli.records import verification_record
    from sla_cli.domain.seal import describe
    from sla_cli.ops.seals import verify as check
    from sla_cli.render import json_out, lines

    st = state(ctx)
    with st.reading() as s:
        found = check(s, st.settings().clock_terms, st.now())
    if format == VerifyFormat.json:
        json_out(verification_record(found))
    else:
        out = [f"ledger {st.ledger_name()}"]
        out += [describe(d) for d in found.differences]
        out += guard_lines(found)
        if found.unsealed:
            out.append(
                f"closed before digests were kept, checked by their figures only: "
                f"{', '.join(str(m) for m in found.unsealed)}"
            )
        if found.clocks_unsealed:
            out.append(
                "closed before clock terms were sealed, their SLA clocks computed with the "
                f"config in force: {', '.join(str(m) for m in found.clocks_unsealed)}"
            )
        if found.ok:
            span = f" ({found.months[0]} to {found.months[-1]})" if found.months else ""
            out.append(
                f"{len(found.months)} closed month(s){span} match their closes; "
                "every guard is in place as created"
            )
        lines("\n".join(out))
    if not found.ok:
        problems = len(found.differences) + len(found.missing_guards) + len(found.changed_guards)
        raise CheckFailed(f"the ledger does not match its closes: {problems} difference(s)")


def guard_lines(found: Verification) -> list[str]:
    """Each guard not as created, and each role that may get past the guards (a note)."""
    return [
        *(
            f"the database guard {name} is missing or disabled: rows it protects can be "
            "changed unnoticed until a close is verified"
            for name in found.missing_guards
        ),
        *(
            f"the database guard {p.name} is not what the schema's revisions created (its "
            f"definition was changed): {p.detail}"
            for p in found.changed_guards
        ),
        *(
            f"note: role {r.role} may get past the database guards: {r.why}"
            for r in found.bypass_roles
        ),
    ]
