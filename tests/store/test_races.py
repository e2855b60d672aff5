"""Rules under concurrency: commands released together by a barrier, each on its own connection.

SQLite serialises writers by itself; on PostgreSQL each "check, then insert" takes the client's
lock. Every test asserts the only outcome the rules allow, on both backends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import pytest

from sla_cli.config import parse_settings
from sla_cli.domain.contracts import NewContract
from sla_cli.domain.kinds import Event
from sla_cli.domain.month import Month
from sla_cli.domain.work import WorkLog, WorkPolicy
from sla_cli.errors import SlaError
from sla_cli.ops.contracts import add_contract
from sla_cli.ops.incidents import iter_incidents, open_incident, record_event, undo_event
from sla_cli.ops.lookup import client_id
from sla_cli.ops.periods import rollover
from sla_cli.ops.work import log_work
from sla_cli.store.engine import Ledger, open_ledger
from sla_cli.store.store import Store
from tests.conftest import pg_schema, sqlite_url, team_logins
from tests.receivers import Hook

SETTINGS = parse_settings({})
ZONE = "Europe/Moscow"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
T = TypeVar("T")


# On a team's PostgreSQL ledger ("team"), the commands race as an engineer (and those only a
# manager may run, as a manager), each set up by the owner: the database's roles, row-level
# security and author triggers hold every rule as they do for its owner.
ADMIN: dict[int, Ledger] = {}  # a ledger's owner's (the same ledger off a team's)
MANAGER: dict[int, Ledger] = {}
ME: dict[int, str] = {}  # the engineer a team ledger's engineer runs as


@pytest.fixture(params=["sqlite", "postgresql", "team"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "sqlite":
        with _opened(sqlite_url(tmp_path / "ledger.db"), create=True) as opened:
            yield opened
        return
    with pg_schema() as url, _opened(url, create=True) as admin:
        if request.param == "postgresql":
            yield admin
            return
        with (
            team_logins(url, ("engineer", "manager")) as urls,
            _opened(urls["engineer"]) as mine,
            _opened(urls["manager"]) as manager,
        ):
            ADMIN[id(mine)], MANAGER[id(mine)] = admin, manager
            ME[id(mine)] = urls["engineer"].partition("//")[2].partition("@")[0]
            try:
                yield mine
            finally:
                for held in (ADMIN, MANAGER, ME):
                    held.pop(id(mine), None)


@contextmanager
def _opened(url: str, create: bool = False) -> Iterator[Ledger]:
    opened = open_ledger(url, create=create)
    try:
        yield opened
    finally:
        opened.engine.dispose()


def admin(ledger: Ledger) -> Ledger:
    """The ledger as its owner opens it (to set up what the test races on)."""
    return ADMIN.get(id(ledger), ledger)


def manager(ledger: Ledger) -> Ledger:
    """The ledger as a manager opens it (for the commands only a manager may run)."""
    return MANAGER.get(id(ledger), ledger)


def me(ledger: Ledger, name: str) -> str:
    """The author an engineer's command records: on a team's ledger, the engineer's role."""
    return ME.get(id(ledger), name)


def together(ledger: Ledger, n: int, op: Callable[[Store, int], T]) -> list[T | SlaError]:
    """``op`` run by ``n`` threads at once, each in its own transaction; what each returned or
    the error it was refused with."""
    barrier = threading.Barrier(n)
    results: list[T | SlaError | None] = [None] * n
    failures: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            with ledger.store() as s:
                results[i] = op(s, i)
        except SlaError as e:
            results[i] = e
        except BaseException as e:  # a bug: fail the test with it
            failures.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if failures:
        raise failures[0]
    return [r for r in results if r is not None]


def ok(results: list[T | SlaError]) -> list[T]:
    return [r for r in results if not isinstance(r, SlaError)]


def sign(ledger: Ledger, key: str, variant: int, tier: str, months: int | None = 12) -> None:
    with admin(ledger).store() as s:
        new = NewContract(key, key, variant, tier, date(2026, 10, 1), months)
        add_contract(s, SETTINGS.catalog, new, "setup", NOW)


def test_ten_logs_at_once_never_overdraw_a_package_that_refuses_it(ledger: Ledger) -> None:
    sign(ledger, "PKG", 3, "basic", None)  # 15 hours
    policy = WorkPolicy(refuse_overdraft=True)
    work = WorkLog(ticket="PKG-1", minutes=120, on=date(2026, 11, 2))

    def log(s: Store, i: int) -> object:
        return log_work(s, policy, ZONE, work, me(ledger, f"e{i}"), NOW)

    results = together(ledger, 10, log)
    assert len(ok(results)) == 7  # 7 × 2 h fit in 15 h; the other three are refused
    with ledger.store() as s:
        logged = [e for e in s.entries(None, client_id(s, "PKG")) if e.type == "work"]
    assert sum(e.minutes for e in logged) == 14 * 60


def test_identical_contracts_signed_at_once_make_one_contract(ledger: Ledger) -> None:
    ledger = manager(ledger)

    def add(s: Store, _: int) -> object:
        new = NewContract("Acme", "ACME", 1, "basic", date(2026, 10, 1), 12)
        return add_contract(s, SETTINGS.catalog, new, "sales", NOW)

    results = together(ledger, 6, add)
    assert len(ok(results)) == 1
    assert all("overlap" in r.message for r in results if isinstance(r, SlaError))


def test_one_incident_opens_when_six_open_it_at_once(ledger: Ledger) -> None:
    sign(ledger, "ACME", 1, "basic")

    def open_(s: Store, i: int) -> object:
        at = datetime(2026, 11, 23, 10, i, tzinfo=UTC)
        return open_incident(s, "ACME-5", at, None, None, ZONE, me(ledger, f"e{i}"), NOW)

    results = together(ledger, 6, open_)
    assert len(ok(results)) == 1
    with ledger.store() as s:
        assert len(list(iter_incidents(s, ZONE, "ACME", with_cancelled=True))) == 1


def test_two_acknowledgements_at_once_record_one(ledger: Ledger) -> None:
    sign(ledger, "ACME", 1, "basic")
    with admin(ledger).store() as s:
        opened = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        open_incident(s, "ACME-5", opened, None, None, ZONE, "desk", NOW)

    def ack(s: Store, i: int) -> object:
        at = datetime(2026, 11, 23, 9, 10 + 20 * i, tzinfo=UTC)
        return record_event(s, "ACME-5", Event.ACK, at, NOW, ZONE, user=me(ledger, f"e{i}"))

    results = together(ledger, 2, ack)
    assert len(ok(results)) == 1
    with ledger.store() as s:
        (incident,) = iter_incidents(s, ZONE, "ACME")
    assert [e.kind for e in incident.events] == ["ack"]


def test_two_undos_at_once_undo_one_event(ledger: Ledger) -> None:
    sign(ledger, "ACME", 1, "basic")
    with admin(ledger).store() as s:
        opened = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        open_incident(s, "ACME-5", opened, None, None, ZONE, "desk", NOW)
        record_event(s, "ACME-5", Event.ACK, opened.replace(minute=5), NOW, ZONE, user="desk")
        record_event(s, "ACME-5", Event.START, opened.replace(minute=9), NOW, ZONE, user="desk")

    results = together(
        ledger, 2, lambda s, i: undo_event(s, "ACME-5", None, ZONE, me(ledger, f"e{i}"), NOW)
    )
    assert len(ok(results)) == 2  # the start undone, then the acknowledgement: one each
    with ledger.store() as s:
        (incident,) = iter_incidents(s, ZONE, "ACME")
    undone = [e.undoes for e in incident.events if e.kind == "undo"]
    assert len(set(undone)) == 2


def test_a_contract_signed_while_its_month_closes_is_closed_with_it_or_refused(
    ledger: Ledger,
) -> None:
    sign(ledger, "ACME", 1, "basic")
    ledger = manager(ledger)

    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def close() -> None:  # in transactions of its own, one a month
        barrier.wait()
        try:
            results[0] = rollover(ledger.store, Month(2026, 10), date(2026, 11, 5), "cron")
        except SlaError as e:
            results[0] = e

    def sign_late() -> None:
        barrier.wait()
        try:
            with ledger.store() as s:
                new = NewContract("Late", "LATE", 1, "basic", date(2026, 10, 1), 12)
                results[1] = add_contract(s, SETTINGS.catalog, new, "sales", NOW)
        except SlaError as e:
            results[1] = e

    threads = [threading.Thread(target=close), threading.Thread(target=sign_late)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    closed = results[0]
    assert not isinstance(closed, SlaError)
    signed = not isinstance(results[1], SlaError)
    with ledger.store() as s:
        burns = {e.client_key for e in s.entries(Month(2026, 10), None) if e.type == "burn"}
    # signed before the close: October closes with it; after: the signing is refused
    assert burns == ({"ACME", "LATE"} if signed else {"ACME"})


def test_documents_issued_at_once_take_every_number_once_without_a_gap(ledger: Ledger) -> None:
    """Six acts for six clients at once, and the same client's act asked for three times at
    once: numbers 1 to 7, each once, and the repeated asks print one act."""
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.domain.closing import DocKind
    from sla_cli.domain.requisites import Party, VatTerms
    from sla_cli.domain.statement import Letterhead
    from sla_cli.ops.closing import IssueResult, IssueTerms, issue

    keys = [f"C{i}" for i in range(7)]
    for key in keys:
        sign(ledger, key, 1, "basic")
    ledger = manager(ledger)
    rollover(ledger.store, Month(2026, 10), date(2026, 11, 5), "cron")
    terms = IssueTerms(Party("КИТ", inn="7701234560", address="Москва"), VatTerms(), 10, "RUB")
    head = Letterhead("КИТ", "RUB", ZONE, SETTINGS.at_risk_percent)
    cal = BusinessCalendar(SETTINGS.schedule)
    asked = [*keys[:6], keys[6], keys[6], keys[6]]

    def act(s: Store, i: int) -> IssueResult:
        return issue(s, DocKind.ACT, asked[i], Month(2026, 10), terms, head, cal, f"e{i}", NOW)

    results = ok(together(ledger, len(asked), act))
    assert len(results) == len(asked)
    numbers = {r.document.client: r.document.number for r in results}
    assert sorted(numbers.values()) == list(range(1, 8))
    assert len({r.document.number for r in results if r.document.client == keys[6]}) == 1
    assert sum(r.new for r in results) == 7


def test_four_notify_runs_at_once_deliver_each_level_once(ledger: Ledger, hook: Hook) -> None:
    """Four `sla notify` runs released together (each deciding, then delivering, each step in
    its own transactions): the incident's one level reaches the webhook once."""
    from sla_cli.delivery import send
    from sla_cli.domain.alerts import NotifyTerms, Route
    from sla_cli.domain.calendar import BusinessCalendar
    from sla_cli.ops.alerts import decide, deliver
    from sla_cli.ops.incidents import Clocks

    sign(ledger, "ACME", 1, "basic")
    with admin(ledger).store() as s:  # Monday 23 November, 10:00 in Moscow
        open_incident(s, "ACME-5", datetime(2026, 11, 23, 7, 0, tzinfo=UTC), "Касса", None,
                      ZONE, "desk", NOW)  # fmt: skip
    terms = parse_settings({}).notify._replace(routes=(Route("hook", hook.url),))
    assert isinstance(terms, NotifyTerms)
    clocks = Clocks(BusinessCalendar(SETTINGS.schedule), datetime(2026, 11, 23, 8, 35,
                    tzinfo=UTC), SETTINGS.at_risk_percent, SETTINGS.pausing_clocks)  # fmt: skip

    def run(s: Store, i: int) -> object:
        decided = decide(s, terms, clocks, ZONE, me(ledger, f"cron{i}"))
        return len(decided)

    decided = ok(together(ledger, 4, run))
    assert sorted(decided) == [0, 0, 0, 1]  # 11:35: the reaction at 79 %, decided once

    barrier = threading.Barrier(4)
    counts: list[int] = []

    def send_all() -> None:
        barrier.wait()
        out = deliver(ledger.store, terms, datetime.now(UTC), me(ledger, "cron"),
                      lambda route, payload: send(hook.url, payload))  # fmt: skip
        counts.append(len(out))

    threads = [threading.Thread(target=send_all) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(counts) == 1
    assert [(p["ticket"], p["level"]) for p in hook.payloads()] == [("ACME-5", "at_risk")]
