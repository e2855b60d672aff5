"""Hypothesis: whatever is logged, voided, topped up and closed, month close posts exactly what
the statements say, and hours are never created or lost."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from sla_cli.cli.needs import business_calendar, letterhead, work_policy
from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.work import WorkLog
from sla_cli.ops.contracts import topup
from sla_cli.ops.periods import rollover
from sla_cli.ops.statements import month_report
from sla_cli.ops.work import log_work, void
from sla_cli.store.engine import Ledger
from tests.ops.conftest import NOW, PROPERTY, SETTINGS, TODAY, replayed

MONTHS = (Month(2026, 10), Month(2026, 11), Month(2026, 12))


# one example of each operation, whatever the examples drawn
EVERY_KIND = [
    ("log", "ONE", date(2026, 10, 5), 90, WorkKind.SUPPORT),
    ("log", "PKG", date(2026, 10, 6), 30, WorkKind.DEV),
    ("void", 2),
    ("topup", date(2026, 11, 2), "minimal"),
    ("close", Month(2026, 10)),
]
day = st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 12, 31))
op = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(["ONE", "PKG"]), day,
              st.integers(1, 600), st.sampled_from(list(WorkKind))),
    st.tuples(st.just("void"), st.integers(1, 12)),
    st.tuples(st.just("topup"), day, st.sampled_from(["minimal", "basic"])),
    st.tuples(st.just("close"), st.sampled_from(MONTHS)),
)  # fmt: skip


def _apply(ledger: Ledger, o: tuple[Any, ...]) -> None:
    with ledger.store() as s:
        if o[0] == "log":
            _, key, on, minutes, kind = o
            work = WorkLog(f"{key}-1", int(minutes), on, kind=kind)
            log_work(s, work_policy(SETTINGS), SETTINGS.timezone, work, "t", NOW)
        elif o[0] == "void":
            void(s, int(o[1]), "t")
        elif o[0] == "topup":
            topup(s, SETTINGS.catalog, "PKG", str(o[2]), o[1], "t", NOW)
    if o[0] == "close":
        rollover(ledger.store, o[1], TODAY, "t")


def _posted(ledger: Ledger, month: Month) -> dict[tuple[str, EntryType], int]:
    """What the close of ``month`` posted, by client and type, read back from the ledger."""
    sums: Counter[tuple[str, EntryType]] = Counter()
    with ledger.store() as s:
        for e in s.entries(month, None):
            if e.type in (EntryType.BURN, EntryType.OVERAGE, EntryType.CARRY):
                assert e.on == month.last_day
                sums[(e.client_key, e.type)] += e.minutes
            elif e.category == EntryType.WORK:
                sums[(e.client_key, EntryType.WORK)] += e.minutes
    return sums


def _check_closes(ledger: Ledger) -> None:
    head, cal = letterhead(SETTINGS), business_calendar(SETTINGS)
    previous_closing = 0
    for month in MONTHS:
        with ledger.store() as s:
            report = month_report(s, head, cal, month, None, NOW)
        assert report.closed
        posted = _posted(ledger, month)
        for statement in report.statements:
            f, key = statement.figures, statement.client
            assert f.used_minutes == posted[(key, EntryType.WORK)]
            assert f.burned_minutes == posted[(key, EntryType.BURN)]
            assert f.overage_minutes == posted[(key, EntryType.OVERAGE)]
            assert f.carried_minutes == posted[(key, EntryType.CARRY)]
        one, pkg = (
            next(x.figures for x in report.statements if x.client == k) for k in ("ONE", "PKG")
        )
        assert one.used_minutes + one.burned_minutes - one.overage_minutes == 15 * 60
        assert min(one.burned_minutes, one.overage_minutes) == 0
        assert pkg.opening_balance_minutes == previous_closing
        assert pkg.closing_balance_minutes is not None and pkg.closing_balance_minutes >= 0
        previous_closing = pkg.closing_balance_minutes


def test_closes_post_what_statements_say(template: Path) -> None:
    done: Counter[str] = Counter()

    @PROPERTY
    @given(ops=st.lists(op, max_size=25))
    @example(ops=EVERY_KIND)
    def run(ops: list[tuple[Any, ...]]) -> None:
        with replayed(template, ops, _apply, done) as ledger:
            rollover(ledger.store, MONTHS[-1], TODAY, "t")
            _check_closes(ledger)

    run()
    assert done["log"] and done["void"] and done["topup"] and done["close"], done
