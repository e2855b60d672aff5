"""Replaying random operations on a copy of a template ledger, for the month-close properties."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from sla_cli.config import parse_settings
from sla_cli.domain.contracts import NewContract
from sla_cli.errors import SlaError
from sla_cli.ops.contracts import add_contract
from sla_cli.store.engine import Ledger, open_ledger

SETTINGS = parse_settings({})
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)  # after the three months the properties close
TODAY = NOW.date()

# Derandomised: CI sees the same examples every run; 40 of them cover every kind of operation.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated ledger with a variant 1 and a variant 3 contract, copied for each example."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    ledger = open_ledger(f"sqlite:///{path}", create=True)
    with ledger.store() as s:
        for key, variant, tier in (("ONE", 1, "basic"), ("PKG", 3, "minimal")):
            months = 3 if variant == 1 else None
            new = NewContract(key, key, variant, tier, date(2026, 10, 1), months)
            add_contract(s, SETTINGS.catalog, new, "t", NOW)
    ledger.engine.dispose()
    return path


@contextmanager
def replayed(
    template: Path,
    ops: Sequence[tuple[Any, ...]],
    apply: Callable[[Ledger, tuple[Any, ...]], None],
    done: Counter[str],
) -> Iterator[Ledger]:
    """A copy of ``template`` with ``ops`` applied; a refused one writes nothing and is counted."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.db"
        shutil.copy(template, path)
        ledger = open_ledger(f"sqlite:///{path}")
        try:
            for o in ops:
                try:
                    apply(ledger, o)
                    done[str(o[0])] += 1
                except SlaError:
                    done["refused"] += 1
            yield ledger
        finally:
            ledger.engine.dispose()
