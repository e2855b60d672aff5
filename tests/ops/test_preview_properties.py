"""Hypothesis: previews equal closes. For random logs, top-ups and voids over several open
months, every preview statement, the `contract list` balance and each log's overdraft warning,
taken before the rollover, are exactly what the closes then post."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from sla_cli.cli.needs import business_calendar, letterhead, work_policy
from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.work import WorkLog
from sla_cli.ops.contracts import list_contracts, topup
from sla_cli.ops.periods import rollover
from sla_cli.ops.statements import month_report
from sla_cli.ops.work import log_work, void
from sla_cli.store.engine import Ledger
from tests.ops.conftest import NOW, PROPERTY, SETTINGS, TODAY, replayed

MONTHS = (Month(2026, 10), Month(2026, 11), Month(2026, 12))
HEAD, CALENDAR = letterhead(SETTINGS), business_calendar(SETTINGS)


day = st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 12, 31))
op = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(["ONE", "PKG", "PKG"]), day,
              st.integers(1, 900), st.sampled_from(list(WorkKind))),
    st.tuples(st.just("void"), st.integers(1, 15)),
    st.tuples(st.just("topup"), day, st.sampled_from(["minimal", "basic"])),
)  # fmt: skip


def _previews(s: Session) -> dict[tuple[Month, str], Any]:
    """Every month's statement figures, by month and client."""
    return {
        (month, st.client): st.figures
        for month in MONTHS
        for st in month_report(s, HEAD, CALENDAR, month, None, NOW).statements
    }


def _balance(s: Session) -> int | None:
    (line,) = [c for c in list_contracts(s, TODAY) if c.contract.client.key == "PKG"]
    return line.balance


def _log(ledger: Ledger, o: tuple[Any, ...]) -> None:
    """Log, and check the warning against what the previews say the closes will bill."""
    _, key, on, minutes, kind = o
    with ledger.store() as s:
        work = WorkLog(f"{key}-1", minutes, on, kind=kind)
        done = log_work(s, work_policy(SETTINGS), SETTINGS.timezone, work, "t", NOW)
        if key != "PKG":
            return
        figures = _previews(s)
        billed = sum(figures[(m, "PKG")].overage_minutes for m in MONTHS if m >= Month.of(on))
        assert (done.overdraft.short_minutes if done.overdraft else 0) == billed
        assert done.balance == _balance(s)


def _apply(ledger: Ledger, o: tuple[Any, ...]) -> None:
    if o[0] == "log":
        _log(ledger, o)
        return
    with ledger.store() as s:
        if o[0] == "void":
            void(s, o[1], "t")
        else:
            topup(s, SETTINGS.catalog, "PKG", o[2], o[1], "t", NOW, TODAY)


def _posted(ledger: Ledger, month: Month) -> Counter[tuple[str, EntryType]]:
    sums: Counter[tuple[str, EntryType]] = Counter()
    with ledger.store() as s:
        for e in s.entries(month, None):
            if e.type in (EntryType.BURN, EntryType.OVERAGE, EntryType.CARRY):
                sums[(e.client_key, e.type)] += e.minutes
    return sums


def _check(ledger: Ledger) -> None:
    with ledger.store() as s:
        before, balance_before = _previews(s), _balance(s)
    rollover(ledger.store, MONTHS[-1], TODAY, "t")
    with ledger.store() as s:
        after, balance_after = _previews(s), _balance(s)
    assert balance_before == balance_after
    assert {k: v._asdict() for k, v in before.items()} == {k: v._asdict() for k, v in after.items()}
    for month in MONTHS:
        posted = _posted(ledger, month)
        for client in ("ONE", "PKG"):
            f = before[(month, client)]
            assert posted[(client, EntryType.BURN)] == f.burned_minutes
            assert posted[(client, EntryType.OVERAGE)] == f.overage_minutes
            assert posted[(client, EntryType.CARRY)] == f.carried_minutes
    closing = after[(MONTHS[-1], "PKG")].closing_balance_minutes
    assert balance_after == closing  # nothing is dated in January


def test_previews_equal_what_the_closes_post(template: Path) -> None:
    done: Counter[str] = Counter()

    @PROPERTY
    @given(ops=st.lists(op, max_size=20))
    def run(ops: list[tuple[Any, ...]]) -> None:
        with replayed(template, ops, _apply, done) as ledger:
            _check(ledger)

    run()
    assert done["log"] and done["void"] and done["topup"] and done["refused"], done
