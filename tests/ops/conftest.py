"""Replaying random operations on a copy of a template ledger, for the month-close properties."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings

from sla_cli.errors import SlaError
from sla_cli.store.engine import Ledger, open_ledger

# Derandomised: CI sees the same examples every run; 40 of them cover every kind of operation.
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


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
