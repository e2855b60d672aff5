"""`sla intake`: incidents from client mail (standard input, a Maildir folder, an IMAP
mailbox), the messages waiting for a decision, and the decisions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sla_cli.cli.options import Format, FormatOption, State, state
from sla_cli.errors import CheckFailed, InputError

if TYPE_CHECKING:
    from sla_cli.domain.intake import IntakeTerms, Mail, Outcome
    from sla_cli.store.mail import MailRow
    from sla_cli.store.store import Store


def register(app: typer.Typer) -> None:
    app.command("intake")(intake)


FIELDS = ("source", "key", "sender", "subject", "written_at", "outcome", "reason", "client",
          "ticket")  # fmt: skip
PENDING_FIELDS = ("id", "read_at", "sender", "subject", "written_at", "outcome", "reason")


def intake(
    ctx: typer.Context,
    maildir: Annotated[
        Path | None,
        typer.Option("--maildir", help="Read every message of this Maildir folder."),
    ] = None,
    imap: Annotated[
        bool, typer.Option("--imap", help="Read the IMAP mailbox of the config's [intake.imap].")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would be opened or threaded; record nothing."),
    ] = False,
    pending: Annotated[
        bool,
        typer.Option(
            "--pending",
            help="List the messages waiting for a decision: from unknown senders, or set aside.",
        ),
    ] = False,
    assign: Annotated[
        int | None,
        typer.Option(
            "--assign", metavar="ID", help="Open the pending message ID's incident for --client."
        ),
    ] = None,
    dismiss: Annotated[
        int | None,
        typer.Option("--dismiss", metavar="ID", help="Dismiss the pending message ID."),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="The client --assign opens the incident for.")
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Open incidents from client mail, at the moment the client wrote: one message on standard
    input (a Postfix or procmail pipe), --maildir DIR, or --imap.

    Replies thread onto their incident (References or the [KEY-N] tag); auto-replies and
    bounces are ignored; mail from an unknown sender waits (--pending) for --assign ID --client
    KEY or --dismiss ID. Each message acts once; exit 1 when some were set aside.
    """
    st = state(ctx)
    _one_of(maildir, imap, pending, assign, dismiss, client)
    if pending:
        return _pending(st, format)
    if assign is not None or dismiss is not None:
        return _decide(st, assign or dismiss or 0, client if assign is not None else None)
    terms = st.settings().intake
    if imap:
        from sla_cli.imap_source import imap_mailbox

        with imap_mailbox(terms.imap, terms.max_message_bytes) as messages:
            outcomes = _run(st, messages, terms, dry_run)
    else:
        found = _stdin(terms.max_message_bytes) if maildir is None else _maildir(maildir)
        outcomes = _run(st, found, terms, dry_run)
    _show(st, outcomes, format, dry_run)
    if any(not o.handled for o in outcomes):
        raise CheckFailed(f"{sum(not o.handled for o in outcomes)} message(s) set aside")


def _one_of(
    maildir: Path | None, imap: bool, pending: bool, assign: int | None, dismiss: int | None,
    client: str | None,
) -> None:  # fmt: skip
    chosen = [n for n, v in (("--maildir", maildir), ("--imap", imap), ("--pending", pending),
                             ("--assign", assign), ("--dismiss", dismiss)) if v]  # fmt: skip
    if len(chosen) > 1:
        raise InputError(f"give one of {', '.join(chosen)}")
    if (client is None) != (assign is None):
        raise InputError("--assign ID goes with --client KEY")


Messages = Iterator[tuple[str, bytes, Any]]  # where, the bytes, what marks it read (IMAP)


def _stdin(limit: int) -> Messages:
    import sys

    raw = sys.stdin.buffer.read(limit + 1)
    while sys.stdin.buffer.read(2**20):  # the rest of a message too large: a pipe's writer
        pass  # (Postfix) would take a closed pipe for a failed delivery
    yield "stdin", raw, None


def _maildir(folder: Path) -> Messages:
    import mailbox

    if not (folder / "cur").is_dir() or not (folder / "new").is_dir():
        raise InputError(f"{folder} is not a Maildir folder (no cur/ and new/)")
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in sorted(box.iterkeys(), key=_delivered):
        try:
            raw = box.get_bytes(key)
        except (KeyError, OSError):  # moved by a mail program meanwhile
            continue
        yield key[:16], raw, None


BATCH = 100  # messages acted on in one transaction, each in a savepoint of its own


def _delivered(key: str) -> tuple[int, int, str]:
    """A Maildir key in the order of delivery: its seconds, then microseconds (``M``)."""
    import re

    found = re.match(r"(\d+)\.(?:M(\d+))?", key)
    return (int(found[1]), int(found[2] or 0), key) if found else (0, 0, key)


def _run(st: State, messages: Messages, terms: IntakeTerms, dry_run: bool) -> list[Outcome]:
    """Each message, in batches: those read before are known by their header lines alone,
    without parsing or writing anything; the others act in the order they were written, a
    batch to a transaction (a dry run: all in one, discarded), and are marked read after."""
    from itertools import islice

    from sla_cli.domain.intake import Outcome, mail_key, read_mail, written_at

    out: list[Outcome] = []
    now = st.now()
    while batch := list(islice(messages, BATCH)):
        with st.reading() as s:
            known = s.mail_read([mail_key(raw) for _, raw, _ in batch])
        mails = [(w, read_mail(raw, terms.max_message_bytes), mark)
                 for w, raw, mark in batch if mail_key(raw) not in known]  # fmt: skip
        out += [Outcome(w, mail_key(raw), None, "", None, "seen")
                for w, raw, _ in batch if mail_key(raw) in known]  # fmt: skip
        fresh = sorted(mails, key=lambda x: written_at(x[1], now))  # a reply after its request
        if dry_run:
            out += _dry(st, [(w, m) for w, m, _ in fresh], terms)
            continue
        with st.store() as s:
            done = [_act(s, st, where, mail, terms) for where, mail, _ in fresh]
        out += done
        for _, _, mark in batch:
            if mark is not None:
                mark()  # an IMAP message is flagged seen once the ledger committed
    return out


def _seen(st: State, where: str, mail: Mail) -> Outcome:
    from sla_cli.ops.intake import _outcome

    return _outcome(mail, where, "seen", None, st.now())


def _act(s: Store, st: State, where: str, mail: Mail, terms: IntakeTerms) -> Outcome:
    """One message in a savepoint of the batch's transaction; what the ledger refuses (no
    contract that day, a closed month) sets it aside, recorded with the reason."""
    from sla_cli.errors import LedgerError, SlaError
    from sla_cli.ops.intake import record, take
    from sla_cli.store.mail import AlreadyRead

    tz, user, now = st.settings().timezone, st.user(), st.now()
    try:
        with s.db.savepoint():
            return take(s, mail, where, terms, tz, user, now)
    except AlreadyRead:
        return _seen(st, where, mail)
    except LedgerError:
        raise
    except SlaError as e:
        reason = e.message
    try:
        with s.db.savepoint():
            return record(s, mail, where, "set_aside", reason, user, now)
    except AlreadyRead:
        return _seen(st, where, mail)


def _dry(st: State, mails: list[tuple[str, Mail]], terms: IntakeTerms) -> list[Outcome]:
    from sla_cli.errors import LedgerError, SlaError
    from sla_cli.ops.intake import _outcome, take

    tz, user, now = st.settings().timezone, st.user(), st.now()
    out = []
    with st.store() as s:
        s.discard()
        for where, mail in mails:
            try:
                out.append(take(s, mail, where, terms, tz, user, now))
            except LedgerError:
                raise
            except SlaError as e:
                out.append(_outcome(mail, where, "set_aside", e.message, now))
    return out


def _record(o: Outcome) -> dict[str, Any]:
    return {"source": o.source, "key": o.key, "sender": o.sender, "subject": o.subject,
            "written_at": None if o.written_at is None else o.written_at.isoformat(),
            "outcome": o.outcome, "reason": o.reason, "client": o.client,
            "ticket": o.ticket}  # fmt: skip


def _show(st: State, outcomes: list[Outcome], format: Format, dry_run: bool) -> None:
    from sla_cli.formatting import short_time
    from sla_cli.render import Column, json_out, records_csv, table

    records = [_record(o) for o in outcomes]
    if format == Format.json:
        return json_out(records)
    if format == Format.csv:
        return records_csv(records, FIELDS)
    tz = st.settings().timezone
    shown = [o for o in outcomes if o.outcome != "seen"]
    seen = len(outcomes) - len(shown)
    said = f"{len(outcomes)} message(s) read" + (f", {seen} of them before" if seen else "")
    table(
        [Column("Message"), Column("Outcome"), Column("Ticket"), Column("Written"),
         Column("From"), Column("Subject / reason")],
        [[o.source, o.outcome, o.ticket or "—", short_time(o.written_at, tz), o.sender or "—",
          o.subject + (f" ({o.reason})" if o.reason else "")] for o in shown],
        title="Dry run: nothing recorded" if dry_run else None,
        caption=said if shown else f"{said}: nothing to do.",
    )  # fmt: skip


def _pending(st: State, format: Format) -> None:
    from sla_cli.formatting import short_time
    from sla_cli.render import Column, json_out, records_csv, table

    with st.reading() as s:
        rows = s.pending_mail()
    records = [_pending_record(r) for r in rows]
    if format == Format.json:
        return json_out(records)
    if format == Format.csv:
        return records_csv(records, PENDING_FIELDS)
    tz = st.settings().timezone
    table(
        [Column("ID", "right"), Column("Written"), Column("From"), Column("Subject"),
         Column("Why")],
        [[str(r.id), short_time(r.written_at, tz), r.sender or "—", r.subject or "—",
          r.reason or r.outcome] for r in rows],
        caption="No message waits for a decision." if not rows
        else "`sla intake --assign ID --client KEY` opens its incident; --dismiss ID drops it.",
    )  # fmt: skip


def _pending_record(r: MailRow) -> dict[str, Any]:
    return {"id": r.id, "read_at": r.created_at.isoformat(), "sender": r.sender,
            "subject": r.subject,
            "written_at": None if r.written_at is None else r.written_at.isoformat(),
            "outcome": r.outcome, "reason": r.reason}  # fmt: skip


def _decide(st: State, message_id: int, client: str | None) -> None:
    from sla_cli.ops.intake import assign
    from sla_cli.render import lines

    settings = st.settings()
    with st.store() as s:
        done, ticket = assign(
            s, message_id, client, settings.intake, settings.timezone, st.user(), st.now()
        )
    lines(f"message {message_id} {done}" + (f": opened {ticket}" if ticket else ""))
