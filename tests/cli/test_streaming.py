"""Tables and exports are written as they are read: memory does not grow with what is printed,
and a table printed a batch at a time still reads as one table."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
import rich.cells
import rich.segment

from sla_cli import render
from sla_cli.store import entries as entry_store
from sla_cli.store import incidents as incident_store
from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
CREATED = "2026-11-01 00:00:00.000000"


def ledger_with(sla: Sla, entries: int, incidents: int = 0, first: int = 1) -> Path:
    """ACME's contract (when ``first`` is 1), and ``entries`` more entries in October and
    ``incidents`` more resolved incidents, numbered from ``first``."""
    if first == 1:
        sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "2", "--tier",
               "standard", "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    path = Path(sla.db_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            'INSERT INTO entries (contract_id, client_id, ticket, "on", minutes, type, category,'
            " kind, by, note, created_at) VALUES (1, 1, ?, ?, 30, 'work', 'work', 'support',"
            " 'anna', ?, ?)",
            [(f"ACME-{n % 40}", f"2026-10-{n % 28 + 1:02d}", f"call {n % 50}", CREATED)
             for n in range(first, first + entries)],
        )  # fmt: skip
        for n in range(first, first + incidents):
            day = f"2026-10-{n % 28 + 1:02d}"
            conn.execute(
                "INSERT INTO incidents (id, contract_id, client_id, ticket, opened_at, created_at,"
                " created_by) VALUES (?, 1, 1, ?, ?, ?, 'anna')",
                (n, f"ACME-{n}", f"{day} 07:00:00.000000", CREATED),
            )
            conn.executemany(
                "INSERT INTO incident_events (incident_id, kind, at, by, created_at)"
                " VALUES (?, ?, ?, 'anna', ?)",
                [(n, kind, f"{day} {hour}:00:00.000000", CREATED)
                 for kind, hour in (("ack", "08"), ("start", "09"), ("resolve", "12"))],
            )  # fmt: skip
    conn.close()
    return path


class _Sink(io.TextIOBase):
    """Standard output that keeps nothing (what a terminal or a pipe does)."""

    def write(self, s: str) -> int:
        return len(s)


def peak_bytes(sla: Sla, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """The most memory Python held at once while `sla ARGS` ran, its output thrown away."""
    from sla_cli.cli.app import make_app

    for key, value in {**sla.env, **NOW}.items():
        monkeypatch.setenv(key, value)
    app = make_app()
    tracemalloc.start()
    try:
        with contextlib.redirect_stdout(_Sink()):
            app(list(args), standalone_mode=False)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("args", "entries", "incidents"),
    [
        (("entries", "--month", "2026-10"), 400, 0),
        (("entries", "--limit", "20000"), 400, 0),
        (("incident", "list", "--all"), 0, 200),
        (("incident", "list", "--all", "--format", "json"), 0, 200),
        (("export", "--format", "csv", "-o", "{out}"), 400, 0),
        (("export", "--format", "timeclock", "-o", "{out}"), 400, 0),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else str(v),
)
def test_memory_does_not_grow_with_what_is_printed(
    sla: Sla,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    entries: int,
    incidents: int,
) -> None:
    # Rich's own caches of text widths (4,096 strings each) would fill with the rows' ids:
    # bounded, but at this size they would be most of what grows
    uncached = rich.cells.cached_cell_len.__wrapped__
    for module in (rich.cells, rich.segment):
        monkeypatch.setattr(module, "cached_cell_len", uncached)
    # tables drawn 40 rows at a time, rows read 50 at a time: a few hundred rows are "many"
    monkeypatch.setattr(render, "BATCH", 40)
    monkeypatch.setattr(entry_store, "STREAM_BATCH", 50)
    monkeypatch.setattr(incident_store, "STREAM_BATCH", 50)
    typed = [str(tmp_path / "out.txt") if a == "{out}" else a for a in args]
    ledger_with(sla, entries, incidents)
    peak_bytes(sla, monkeypatch, *typed)  # once, for every import and cache
    some = peak_bytes(sla, monkeypatch, *typed)
    ledger_with(sla, 3 * entries, 3 * incidents, first=entries + incidents + 1)
    four_times = peak_bytes(sla, monkeypatch, *typed)
    # four times as many rows printed, hardly more held (a list of them, and a table drawn at
    # once, held 1 to 10 kB a row)
    per_row = (four_times - some) / (3 * (entries + incidents))
    assert per_row < 400, (some, four_times, per_row)


def test_a_table_drawn_in_batches_reads_as_one_table(
    sla: Sla, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_with(sla, entries=95)
    sla.ok("log", "1h", "ACME-7", "--note", "a note long enough to wrap in its column " * 3,
           "--on", "2026-10-30", env=NOW)  # fmt: skip
    sla.ok("void", "1", env=NOW)
    whole = sla.ok("entries", "--all", env={"COLUMNS": "80"}).stdout
    monkeypatch.setattr(render, "BATCH", 10)
    batched = sla.ok("entries", "--all", env={"COLUMNS": "80"}).stdout
    lines = batched.splitlines()
    body = lines[: lines.index(next(ln for ln in lines if ln.startswith("└"))) + 1]
    assert len({len(ln) for ln in body}) == 1  # every row in the same columns
    assert sum(ln.startswith("┏") for ln in lines) == 1  # one header, one bottom border
    assert sum(ln.startswith(("└", "┌")) for ln in lines) == 1
    assert "97 entries" in batched  # 95, the log and its void
    for n in range(1, 98):  # every row, each id once
        assert sum(ln.startswith(f"│ {n:>{len(str(97))}} │") for ln in lines) == 1, n
    assert "void 1" in batched and "wrap in its" in batched  # a row of many lines, whole

    def words(text: str) -> list[str]:
        rows = [ln for ln in text.splitlines() if ln.startswith("│")]
        return " ".join(rows).replace("│", " ").split()

    assert words(batched) == words(whole)  # the same rows, word for word, in the same order
