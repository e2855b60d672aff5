"""Looking after the ledger: `sla verify` (every closed month recomputed and compared with its
close), `sla upgrade` (the schema brought to this version's) and `sla backup` (a consistent
copy of an SQLite ledger, taken while others write)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from sla_cli.cli.options import State, state
from sla_cli.errors import CheckFailed, InputError

if TYPE_CHECKING:
    from sla_cli.domain.month import Month
    from sla_cli.ops.seals import Verification

if TYPE_CHECKING:
    from sla_cli.ops.seals import Verification


class VerifyFormat(StrEnum):
    table = "table"
    json = "json"


HeadOption = Annotated[
    bool,
    typer.Option(
        "--head",
        help="Print only the chain's head: the fingerprint of the newest close, to keep "
        "outside the ledger (for --expect).",
    ),
]
ExpectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--expect",
        metavar="FINGERPRINT",
        help="A fingerprint kept from a statement, a document or --head (YYYY-MM:xxxx-…); "
        "fails unless the ledger's chain holds it. Repeatable.",
    ),
]
ExpectFileOption = Annotated[
    str | None,
    typer.Option(
        "--expect-file",
        metavar="FILE",
        help="A file of fingerprints, one a line (# starts a comment), each checked as --expect.",
    ),
]


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
    head: HeadOption = False,
    expect: ExpectOption = None,
    expect_file: ExpectFileOption = None,
) -> None:
    """Check that every closed month still matches its close: exit 1 listing each difference.

    Recomputes each closed month's figures and the digest of its entries and contract terms
    from the ledger's rows, compares them with what the close recorded, checks the seal's
    chain (each close's link over its incidents, its figures and the close before it) and
    that the database's guards (append-only and closed-month triggers) are all in place,
    enabled and defined as the schema's revisions created them. A difference means the
    database was changed behind sla's back: restore it from a backup. With --expect, a
    fingerprint kept outside the ledger finds a rollback to an older copy and a chain forged
    anew. On PostgreSQL it also fails on rows entered by a role that holds none of the ledger's
    roles and on GRANTs the roles do not give, and notes the roles that may get past the guards
    (superusers other than the tables' owner, members of the owner, roles allowed to set
    session_replication_role); they fail nothing.
    """
    from sla_cli.cli.records import verification_record
    from sla_cli.domain.chain import read_fingerprint
    from sla_cli.ops.seals import verify as check
    from sla_cli.render import json_out, lines

    st = state(ctx)
    kept = [read_fingerprint(f) for f in [*(expect or []), *_fingerprints(expect_file)]]
    if head:
        _print_head(st, format)
        return
    st.quiet_loss = True
    with st.reading() as s:
        s.require_rates("verifying the closes' figures")
        found = check(s, st.settings().clock_terms, st.now(), kept)
    if st.lost is not None:
        found = found.with_loss(st.lost)
    if format == VerifyFormat.json:
        json_out(verification_record(found))
    else:
        lines("\n".join([f"ledger {st.ledger_name()}", *_verification_lines(found)]))
    if not found.ok:
        raise CheckFailed(f"the ledger does not match its closes: {found.problems} difference(s)")


def _verification_lines(found: Verification) -> list[str]:
    """What `sla verify` prints: each difference, then what was checked less, then the head."""
    from sla_cli.domain.seal import describe

    def months(label: str, found: list[Month]) -> list[str]:
        return [f"{label}: {', '.join(str(m) for m in found)}"] if found else []

    out = [describe(d) for d in found.differences]
    out += guard_lines(found)
    out += months("closed before digests were kept, checked by their figures only",
                  found.unsealed)  # fmt: skip
    out += months("closed before clock terms were sealed, their SLA clocks computed with the "
                  "config in force", found.clocks_unsealed)  # fmt: skip
    out += months("sealed late, by the upgrade that brought the chain (their rows as they stood "
                  "then)", [x.month for x in found.links if x.late])  # fmt: skip
    out += [f"fingerprint {x} found in the chain" for x in found.expected_found]
    if found.ok:
        span = f" ({found.months[0]} to {found.months[-1]})" if found.months else ""
        out.append(
            f"{len(found.months)} closed month(s){span} match their closes; "
            "every guard is in place as created"
        )
    if found.head is not None:
        out.append(f"chain head: {found.head.fingerprint}")
    return out


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
            f"{a.rows} row(s) of {a.table} entered by {a.author}, which holds none of the "
            "ledger's roles (a role granted rights by hand, or its role revoked or dropped)"
            for a in found.unknown_authors
        ),
        *(
            f"{g.role} holds {g.privilege} on {g.table}, which the ledger's roles do not give "
            f"(a GRANT added by hand): {revoke(g.privilege, g.table, g.role)}"
            for g in found.extra_grants
        ),
        *(
            f"note: role {r.role} may get past the database guards: {r.why}"
            for r in found.bypass_roles
        ),
    ]


def _fingerprints(path: str | None) -> list[str]:
    """The fingerprints a file keeps, one a line; blank lines and ``#`` comments skipped."""
    if path is None:
        return []
    from pathlib import Path

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"--expect-file {path}: cannot be read ({e})") from None
    found = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    kept = [f for f in found if f]
    if not kept:
        raise InputError(f"--expect-file {path} holds no fingerprint")
    return kept


def _print_head(st: State, format: VerifyFormat) -> None:
    """The chain's head, as `sla verify --head` prints it (nothing is checked)."""
    from sla_cli.render import json_out, lines

    with st.reading() as s:
        head = s.head()
    if format == VerifyFormat.json:
        json_out(
            None
            if head is None
            else {
                "month": str(head.month),
                "chain": head.chain,
                "fingerprint": head.fingerprint,
            }
        )
        return
    if head is None:
        raise InputError("no month is closed yet: the chain has no head")
    lines(head.fingerprint)


def revoke(privilege: str, on: str, role: str) -> str:
    """The REVOKE that undoes a privilege on a table, or on one column (``table.column``)."""
    table, _, column = on.partition(".")
    return (
        f"REVOKE {privilege} ({column}) ON {table} FROM {role}"
        if column
        else (f"REVOKE {privilege} ON {table} FROM {role}")
    )
