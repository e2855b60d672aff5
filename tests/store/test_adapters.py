"""One behaviour, two adapters: the same random operations through the sqlite3 adapter and the
SQLModel store leave the same rows behind and the same answers (or refusals)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sla_cli.config import parse_settings
from sla_cli.domain.contracts import NewContract
from sla_cli.domain.kinds import Event, WorkKind
from sla_cli.domain.work import WorkLog, WorkPolicy
from sla_cli.errors import SlaError
from sla_cli.ops.contracts import add_contract
from sla_cli.ops.incidents import open_incident, record_event, wait_or_resume
from sla_cli.ops.periods import rollover
from sla_cli.ops.timers import Desk, start_timer, status, stop_timer
from sla_cli.ops.work import log_work, undo_last, void
from sla_cli.store import lite
from sla_cli.store.engine import open_ledger
from sla_cli.store.gateway import SqlStore
from sla_cli.store.port import Store
from tests.ops.conftest import PROPERTY

SETTINGS = parse_settings({})
ZONE = "Europe/Moscow"
START = datetime(2026, 10, 20, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Moscow
USERS = ("anna", "boris")
TICKETS = ("ACME-1", "ACME-2", "PKG-7")
POLICY = WorkPolicy(SETTINGS.increment_minutes, refuse_overdraft=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger with a variant 1 contract (a development cap) and a variant 3 package, and an
    incident on two of the tickets."""
    path = tmp_path_factory.mktemp("adapters") / "ledger.db"
    ledger = open_ledger(f"sqlite:///{path}", create=True)
    with ledger.session() as s:
        for key, variant, tier in (("ACME", 1, "basic"), ("PKG", 3, "minimal")):
            new = NewContract(
                key, key, variant, tier, date(2026, 10, 1), 3 if variant == 1 else None
            )
            add_contract(s, SETTINGS.catalog, new, "setup", START)
        for ticket in ("ACME-1", "PKG-7"):
            open_incident(SqlStore(s), ticket, START, None, None, ZONE, "setup", START)
    ledger.engine.dispose()
    return path


Op = tuple[Any, ...]
ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("log"), st.sampled_from(USERS), st.sampled_from(TICKETS),
            st.integers(1, 600), st.sampled_from(list(WorkKind)), st.integers(-12, 0),
        ),
        st.tuples(st.just("undo"), st.sampled_from(USERS)),
        st.tuples(st.just("void"), st.sampled_from(USERS), st.integers(1, 12)),
        st.tuples(st.just("start"), st.sampled_from(USERS), st.sampled_from(TICKETS)),
        st.tuples(st.just("stop"), st.sampled_from(USERS), st.booleans()),
        st.tuples(st.just("status"), st.sampled_from(USERS)),
        st.tuples(
            st.just("event"), st.sampled_from(("ACME-1", "PKG-7", "ACME-2")),
            st.sampled_from(("ack", "start", "wait", "resume", "resolve")),
        ),
        st.tuples(st.just("close")),
    ),
    max_size=25,
)  # fmt: skip


def apply(s: Store, op: Op, now: datetime) -> Any:
    """One operation through the store ``s``: what it answered, comparable across adapters."""
    kind, *args = op
    desk = Desk(POLICY, ZONE, args[0] if args else "anna", now)
    if kind == "log":
        user, ticket, minutes, work, days = args
        on = (now + timedelta(days=days)).date()
        done = log_work(s, POLICY, ZONE, WorkLog(ticket, minutes, on, kind=work), user, now)
        return done.entry.id, done.entry.minutes, done.balance, done.overdraft, done.dev_over_cap
    if kind == "undo":
        rev = undo_last(s, args[0])
        return rev.id, rev.reverses, rev.minutes
    if kind == "void":
        rev = void(s, args[1], args[0], "a mistake")
        return rev.id, rev.reverses
    if kind == "start":
        started = start_timer(s, desk, args[1], WorkKind.SUPPORT, None, None)
        stopped = started.stopped
        return (
            started.timer.id,
            None if stopped is None or not stopped.logged else stopped.logged.entry.id,
        )
    if kind == "stop":
        done = stop_timer(s, desk, None, discard=args[1])
        return done.timer.id, None if done.logged is None else done.logged.entry.minutes
    if kind == "status":
        return [
            (t.timer.id, t.hours_left, t.incident and t.incident.id) for t in status(s, desk, True)
        ]
    ticket, event = args
    if event in ("wait", "resume"):
        done = wait_or_resume(s, ticket, event == "wait", now, None, ZONE, "desk", now)
        return done.incident.events[-1].kind, done.incident.first_work
    inc = record_event(s, ticket, Event(event), now, now, ZONE, user="desk")
    return [(e.kind, e.at) for e in inc.events], inc.first_work


def lite_store(url: str) -> AbstractContextManager[Store | None]:
    return lite.transaction(url, 5, write=True)


@contextmanager
def sql_store(url: str) -> Iterator[Store]:
    ledger = open_ledger(url)
    try:
        with ledger.session() as s:
            yield SqlStore(s)
    finally:
        ledger.engine.dispose()


def run(template: Path, folder: Path, ops: list[Op], opened: Callable[[str], Any]) -> list[Any]:
    path = folder / "ledger.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    answers: list[Any] = []
    for i, op in enumerate(ops):
        now = START + timedelta(hours=26 * i, minutes=7 * i)  # across a month close
        if op[0] == "close":  # month close is the full store's, on both ledgers
            ledger = open_ledger(url)
            try:  # refused while a timer runs since before the month's end
                answers.append(len(rollover(ledger, None, now.date(), "cron").closed))
            except SlaError as e:
                answers.append(e.message)
            finally:
                ledger.engine.dispose()
            continue
        try:
            with opened(url) as s:
                assert s is not None, "the sqlite3 adapter handed a current ledger over"
                answers.append(apply(s, op, now))
        except SlaError as e:
            answers.append(e.message)
    return answers


CLOCK = {"created_at", "closed_at", "digest"}


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ledger table, but when it was written: the real clock, in the rows
    and in a month close's stamp and digest (which covers its entries' every column)."""
    conn = sqlite3.connect(path)
    tables = [
        t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if t != "alembic_version"
    ]  # fmt: skip
    out = {}
    for table in tables:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] not in CLOCK]
        listed = ", ".join(f'"{c}"' for c in columns)
        out[table] = conn.execute(f"SELECT {listed} FROM {table} ORDER BY 1").fetchall()
    conn.close()
    return out


@settings(PROPERTY, max_examples=120)
@given(ops=ops)
# paths random sequences rarely reach: a timer on a resolved incident's ticket, a package's
# balance after its month closed
@example(ops=[("event", "ACME-1", "resolve"), ("start", "anna", "ACME-1"), ("status", "anna")])
@example(
    ops=[
        ("log", "anna", "PKG-7", 90, WorkKind.SUPPORT, 0),
        *[("status", "anna")] * 11,
        ("close",),
        ("log", "anna", "PKG-7", 60, WorkKind.SUPPORT, 0),
    ]
)
def test_both_adapters_leave_the_same_ledger(template: Path, ops: list[Op]) -> None:
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        fast = run(template, Path(a), ops, lite_store)
        full = run(template, Path(b), ops, sql_store)
        assert fast == full
        assert rows(Path(a) / "ledger.db") == rows(Path(b) / "ledger.db")


def test_the_adapter_hands_over_a_ledger_it_does_not_serve(tmp_path: Path, template: Path) -> None:
    """Another revision, no file, not a ledger: the full store opens it (and upgrades, or says
    what is wrong)."""
    path = tmp_path / "ledger.db"
    shutil.copy(template, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    for url in (f"sqlite:///{path}", f"sqlite:///{tmp_path / 'none.db'}", "postgresql://x/y"):
        with lite.transaction(url, 1, write=True) as s:
            assert s is None
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with lite.transaction(f"sqlite:///{tmp_path / 'junk.db'}", 1, write=False) as s:
        assert s is None
