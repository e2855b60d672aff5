"""Hypothesis: whatever is logged, voided, topped up and closed, hours are never created or lost."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_cli.config import parse_settings
from sla_cli.errors import SlaError
from sla_cli.store.engine import open_ledger
from sla_cli.store.ledger import NewContract, WorkLog, add_contract, log_work, topup, void
from sla_cli.store.periods import month_report, rollover

SETTINGS = parse_settings({})
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)
MONTHS = ("2026-10", "2026-11", "2026-12")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated ledger with a variant 1 and a variant 3 contract, copied for each example."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    ledger = open_ledger(f"sqlite:///{path}", create=True)
    with ledger.session() as s:
        for key, variant, tier in (("ONE", 1, "basic"), ("PKG", 3, "minimal")):
            add_contract(
                s,
                SETTINGS,
                NewContract(
                    key, key, variant, tier, date(2026, 10, 1), 3 if variant == 1 else None
                ),
                "t",
                NOW,
            )
    ledger.engine.dispose()
    return path


day = st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 12, 31))
op = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(["ONE", "PKG"]), day,
              st.integers(1, 600), st.sampled_from(["support", "dev"])),
    st.tuples(st.just("void"), st.integers(1, 40)),
    st.tuples(st.just("topup"), day, st.sampled_from(["minimal", "basic"])),
    st.tuples(st.just("close"), st.sampled_from(MONTHS)),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(op, max_size=25))
def test_hours_are_never_created_or_lost(
    ops: list[tuple[object, ...]], template: Path, tmp_path: Path
) -> None:
    path = tmp_path / f"l{abs(hash(tuple(ops)))}.db"
    shutil.copy(template, path)
    ledger = open_ledger(f"sqlite:///{path}")
    for o in ops:
        try:
            with ledger.session() as s:
                if o[0] == "log":
                    _, key, on, minutes, kind = o
                    work = WorkLog(f"{key}-1", int(minutes), on, kind=str(kind))  # type: ignore[arg-type]
                    log_work(s, SETTINGS, work, "t", NOW)
                elif o[0] == "void":
                    void(s, int(o[1]), "t", NOW)  # type: ignore[call-overload]
                elif o[0] == "topup":
                    topup(s, SETTINGS, "PKG", str(o[2]), o[1], "t", NOW)  # type: ignore[arg-type]
                else:
                    rollover(ledger, SETTINGS, str(o[1]), date(2027, 1, 20), "t", NOW)
        except SlaError:
            pass  # refused (a closed month, an entry voided twice): nothing written
    rollover(ledger, SETTINGS, "2026-12", date(2027, 1, 20), "t", NOW)
    previous_closing = 0
    for month in MONTHS:
        with ledger.session() as s:
            report = month_report(s, SETTINGS, month, None, NOW)
        assert report.closed
        one, pkg = (
            next(x.figures for x in report.statements if x.client == k) for k in ("ONE", "PKG")
        )
        assert one.included_minutes is not None
        assert one.used_minutes + one.burned_minutes - one.overage_minutes == one.included_minutes
        assert min(one.burned_minutes, one.overage_minutes) == 0
        assert pkg.opening_balance_minutes == previous_closing
        assert pkg.closing_balance_minutes is not None and pkg.closing_balance_minutes >= 0
        assert pkg.included_minutes is not None
        assert pkg.closing_balance_minutes == (
            pkg.opening_balance_minutes + pkg.included_minutes - pkg.used_minutes
            + pkg.overage_minutes
        )  # fmt: skip
        previous_closing = pkg.closing_balance_minutes
    ledger.engine.dispose()
