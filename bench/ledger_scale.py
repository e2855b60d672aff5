"""Does ledger work scale with the month asked for, not the size of the ledger?

    python bench/ledger_scale.py [entries] [runs]

Builds two SQLite ledgers with the same clients, contracts and the same open month (November
2026, 60 entries and 10 open incidents); the large one also holds ``entries`` (default
1,000,000) entries and 10,000 resolved incidents in 106 closed months before it. Then times
`sla log 15m ACME-99`, `sla entries --month 2026-11` and `sla incident list` on both,
interleaved, and prints the medians; then the full `sla entries --format csv` of the large
ledger (time and peak memory), and how long an `sla log` started during that export takes.
Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import side_by_side, sla_command

from sla_cli.config.defaults import default_document, write_config
from sla_cli.store.engine import open_ledger

CLIENTS = 100
FIRST_MONTH = (2018, 1)
OPEN_MONTH = "2026-11"
NOW = "2026-11-24T12:00:00+03:00"
CREATED = datetime(2026, 11, 1, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.000000")


def months() -> list[tuple[int, int]]:
    out = []
    y, m = FIRST_MONTH
    while (y, m) < (2026, 11):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def build(path: Path, history: int) -> None:
    """Clients and contracts via the store; bulk rows through sqlite3 for speed."""
    open_ledger(f"sqlite:///{path}", create=True).engine.dispose()
    rng = random.Random(7)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    keys = ["ACME"] + [f"C{i:03d}" for i in range(1, CLIENTS)]
    for i, key in enumerate(keys, start=1):
        db.execute(
            "INSERT INTO clients (id, key, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
            (i, key, f"Client {key}", CREATED, "bench"),
        )
        package = key == "ACME"  # ACME buys packages: `sla log` computes its balance
        db.execute(
            "INSERT INTO contracts (id, client_id, variant, billing, burns, tier_key, tier_name,"
            " included_minutes, price_kopecks, prepay_discount_bp, hour_rate_kopecks,"
            " hour_discount_bp, dev_cap_minutes, reaction_minutes, start_minutes, start, \"end\","
            " months, prepaid_months, timezone, created_at, created_by, variant_name,"
            " variant_name_en, tier_name_en) VALUES"
            " (?, ?, ?, ?, ?, 'basic', 'Базовый', 900, 4200000, 0, 300000, 0, ?, 120, 240,"
            " '2018-01-01', ?, ?, 1, NULL, ?, 'bench', 'Вариант', 'Variant', 'Basic')",
            (
                i, i, 3 if package else 1, "package" if package else "monthly", not package,
                None if package else 2400, None if package else "2028-01-01",
                None if package else 120, CREATED,
            ),
        )  # fmt: skip
    closed = months()
    per_month = history // len(closed)
    rows = []
    for y, m in closed:
        for n in range(per_month):
            c = rng.randint(1, CLIENTS)
            day = date(y, m, rng.randint(1, 28)).isoformat()
            rows.append((c, c, f"{keys[c - 1]}-{n % 50}", day, rng.choice((15, 30, 60, 90))))
        if len(rows) > 200_000:
            _insert_work(db, rows)
            rows = []
    for n in range(60):  # the open month, the same in both ledgers
        c = n % 10 + 1
        rows.append((c, c, f"{keys[c - 1]}-{n}", f"2026-11-{n % 23 + 1:02d}", 30))
    _insert_work(db, rows)
    _incidents(db, keys, rng, 10_000 if history else 0)
    for y, m in closed:  # closed after their entries went in, as a close does
        label = f"{y:04d}-{m:02d}"
        db.execute(
            "INSERT INTO closed_months (month, closed_at, closed_by) VALUES (?, ?, 'bench')",
            (label, CREATED),
        )
        db.executemany(
            "INSERT INTO closings (month, contract_id, burned_minutes, overage_minutes,"
            " overage_kopecks, carried_minutes, closing_balance_minutes, amount_due_kopecks)"
            " VALUES (?, ?, 0, 0, 0, ?, ?, 4200000)",
            [(label, c, 600 if c == 1 else 0, 600 if c == 1 else None) for c in range(1, 101)],
        )
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.close()


def _incidents(db: sqlite3.Connection, keys: list[str], rng: random.Random, history: int) -> None:
    """``history`` resolved incidents spread over the closed months (acknowledged, started and
    resolved within the day), and 10 open ones in the open month, on tickets with hours."""
    closed = months()
    opened = []
    for n in range(history):
        y, m = closed[n % len(closed)]
        c = rng.randint(1, CLIENTS)
        opened.append((c, f"{keys[c - 1]}-{n % 50}", f"{y:04d}-{m:02d}-{rng.randint(1, 28):02d}"))
    for n in range(10):
        opened.append((n + 1, f"{keys[n]}-{n}", f"2026-11-{n + 2:02d}"))
    for i, (c, ticket, day) in enumerate(opened, start=1):
        db.execute(
            "INSERT INTO incidents (id, contract_id, client_id, ticket, opened_at, created_at,"
            " created_by) VALUES (?, ?, ?, ?, ?, ?, 'bench')",
            (i, c, c, ticket, f"{day} 07:00:00.000000", CREATED),
        )
        if i <= history:
            db.executemany(
                "INSERT INTO incident_events (incident_id, kind, at, by, created_at)"
                " VALUES (?, ?, ?, 'bench', ?)",
                [(i, kind, f"{day} {hour}:00:00.000000", CREATED)
                 for kind, hour in (("ack", "08"), ("start", "09"), ("resolve", "12"))],
            )  # fmt: skip


def _insert_work(db: sqlite3.Connection, rows: list[tuple[int, int, str, str, int]]) -> None:
    db.executemany(
        'INSERT INTO entries (contract_id, client_id, ticket, "on", minutes, type, category,'
        " kind, by, created_at) VALUES (?, ?, ?, ?, ?, 'work', 'work', 'support', 'bench', ?)",
        [(*r, CREATED) for r in rows],
    )


def main() -> None:
    history = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        write_config(config, default_document())
        small, large = Path(tmp) / "small.db", Path(tmp) / "large.db"
        start = time.perf_counter()
        build(small, 0)
        build(large, history)
        with sqlite3.connect(large) as db:
            total = db.execute("SELECT count(*) FROM entries").fetchone()[0]
        size_mb = large.stat().st_size / 1e6
        print(f"built in {time.perf_counter() - start:.1f} s: large ledger {total:,} entries, "
              f"{size_mb:.0f} MB; small ledger 60 entries")  # fmt: skip
        sla = sla_command()
        env_small = {"SLA_CONFIG": str(config), "SLA_NOW": NOW,
                     "SLA_DATABASE_URL": f"sqlite:///{small}"}  # fmt: skip
        log, bare = side_by_side(
            [*sla, "log", "15m", "ACME-99"],
            [sys.executable, "-c", "import typer, rich.table, sqlmodel"],
            runs,
            env_small,
        )
        print(f"{'sla log 15m ACME-99':30} {log * 1000:6.1f} ms against "
              f"python -c 'import typer, rich.table, sqlmodel' {bare * 1000:6.1f} ms   "
              f"ratio {log / bare:.2f}x (target: at most 1.25x)")  # fmt: skip
        env_large = {**env_small, "SLA_DATABASE_URL": f"sqlite:///{large}"}
        for title, args, target in (
            ("sla log 15m ACME-99", ["log", "15m", "ACME-99"], 1.1),
            ("sla entries --month 2026-11", ["entries", "--month", OPEN_MONTH], 1.1),
            ("sla incident list", ["incident", "list"], 1.5),
        ):
            a, b = _pair([*sla, *args], env_small, env_large, runs)
            print(f"{title:30} empty {a * 1000:6.1f} ms   1M {b * 1000:6.1f} ms   "
                  f"ratio {b / a:.2f}x (target: at most {target}x)")  # fmt: skip
        export(sla, env_large, runs)


def export(sla: list[str], env: dict[str, str], runs: int) -> None:
    """The whole large ledger as CSV: its time and peak memory; then `sla log` meanwhile."""
    csv = [*sla, "entries", "--format", "csv"]
    full = {**os.environ, **env}
    start = time.perf_counter()
    subprocess.run(csv, stdout=subprocess.DEVNULL, env=full, check=True)
    took = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'sla entries --format csv':30} {took:6.1f} s for the whole ledger, peak memory "
          f"{peak_mb:.0f} MB (target: under 150 MB)")  # fmt: skip
    log = [*sla, "log", "15m", "ACME-99"]
    alone, during = [], []
    for _ in range(max(3, runs // 3)):
        alone.append(_timed(log, full))
        exporting = subprocess.Popen(csv, stdout=subprocess.DEVNULL, env=full)
        time.sleep(min(1.0, took / 4))  # well into the export
        during.append(_timed(log, full))
        exporting.wait()
    alone.sort()
    during.sort()
    print(f"{'sla log during the csv export':30} {during[len(during) // 2] * 1000:6.1f} ms, "
          f"alone {alone[len(alone) // 2] * 1000:6.1f} ms (target: under 1 s)")  # fmt: skip


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def _pair(
    cmd: list[str], env_a: dict[str, str], env_b: dict[str, str], runs: int
) -> tuple[float, float]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(side_by_side(cmd, cmd, 1, env_a)[0])
        b.append(side_by_side(cmd, cmd, 1, env_b)[0])
    a.sort()
    b.sort()
    return a[len(a) // 2], b[len(b) // 2]


if __name__ == "__main__":
    main()
