"""A year of a team's history: does every command stay flat from an empty ledger to 1,000,000
entries, and do import and month close grow only with what they write?

    python bench/scale.py [--sizes 0,100000,1000000] [--clients N] [--rounds N] [--import-rows N]
                          [--keep DIR] [--only COMMAND]

For each size, builds an SQLite ledger of ``--clients`` (default 100) clients, each on a
variant 1 contract from December 2025 (one in ten on a variant 3 package instead), with that many
work entries spread over the twelve months December 2025 – November 2026 and every working day
of them, on 50 tickets a client, by 20 engineers, and one incident in a hundred entries (each
acknowledged, started and resolved); every ledger also holds the same open month, December 2026
(600 entries, 10 open incidents). The rows go in through ``sqlite3`` in bulk, as `sla
import` writes them, and no ``ANALYZE`` runs before the commands. Then, on each ledger:

- `sla rollover` closes the catch-up year (twelve months, each for every contract), timed once;
- the read commands on the open month, interleaved ``--rounds`` times (default 5): `entries
  --month`, `report` (one client, all), `timesheet`, `export`, `breaches`, `incident list`; then
  `report` of the closed November (a twelfth of the history) and `verify` (all of it); with
  `sla --version` for scale;
- `sla import` of ``--import-rows`` (default 100,000) rows of a year's history over every client
  and working day, into a copy of the empty ledger: wall time and peak memory.

Prints each median and its growth from the empty ledger; not a pass/fail test. With ``--keep DIR``
the ledgers are built (and rolled over) in DIR once and reused by later runs; ``--only verify``
(a command's first words) times only the commands it names, and skips the import.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, sla_command

from sla_cli.config.defaults import default_document, write_config
from sla_cli.domain.calendar import BusinessCalendar
from sla_cli.domain.schedule import Schedule
from sla_cli.store.engine import open_ledger

NOW = "2026-12-10T12:00:00+03:00"
FIRST = date(2025, 12, 1)
OPEN = date(2026, 12, 1)
CREATED = datetime(2025, 11, 30, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.000000")
ENGINEERS = [f"eng{n:02d}" for n in range(20)]


def working_days(first: date, end: date) -> list[date]:
    cal = BusinessCalendar(Schedule())
    days, d = [], first
    while d < end:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    return days


def keys(clients: int) -> list[str]:
    return ["ACME"] + [f"C{i:03d}" for i in range(1, clients)]


def build(path: Path, clients: int, entries: int) -> None:
    """The ledger as described above, its bulk rows written through sqlite3."""
    open_ledger(f"sqlite:///{path}", create=True).engine.dispose()
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    names = keys(clients)
    for i, key in enumerate(names, start=1):
        package = i % 10 == 0
        db.execute(
            "INSERT INTO clients (id, key, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
            (i, key, f"Client {key}", CREATED, "bench"),
        )
        db.execute(
            "INSERT INTO contracts (id, client_id, variant, billing, burns, tier_key, tier_name,"
            " included_minutes, price_kopecks, prepay_discount_bp, hour_rate_kopecks,"
            " hour_discount_bp, dev_cap_minutes, reaction_minutes, start_minutes, start, \"end\","
            " months, prepaid_months, timezone, created_at, created_by, variant_name,"
            " variant_name_en, tier_name_en) VALUES (?, ?, ?, ?, ?, 'basic', 'Базовый', ?,"
            " 4200000, 0, 300000, 0, ?, 120, 240, ?, ?, ?, 1, NULL, ?, 'bench', 'Вариант',"
            " 'Variant', 'Basic')",
            (i, i, 3 if package else 1, "package" if package else "monthly", not package,
             None if package else 900, None if package else 2400, FIRST.isoformat(),
             None if package else "2027-12-01", None if package else 24, CREATED),
        )  # fmt: skip
    days = working_days(FIRST, OPEN)
    batch: list[tuple[object, ...]] = []
    for n in range(entries):
        c = rng.randint(1, clients)
        day = days[n * len(days) // max(entries, 1)]
        batch.append((c, c, f"{names[c - 1]}-{rng.randrange(50)}", day.isoformat(),
                      rng.choice((15, 30, 60, 90)), ENGINEERS[rng.randrange(20)],
                      f"{day.isoformat()} 09:00:00.000000"))  # fmt: skip
        if len(batch) >= 100_000:
            _insert(db, batch)
            batch = []
    open_days = working_days(OPEN, date(2026, 12, 10))
    for n in range(600):  # the open month, the same in every ledger
        c = n % clients + 1
        day = open_days[n % len(open_days)].isoformat()
        batch.append((c, c, f"{names[c - 1]}-{n % 50}", day, 30, ENGINEERS[n % 20],
                      f"{day} 09:00:00.000000"))  # fmt: skip
    _insert(db, batch)
    for n in range(10):  # and its open incidents
        c = n + 1
        day = open_days[n % len(open_days)].isoformat()
        db.execute(
            "INSERT INTO incidents (contract_id, client_id, ticket, opened_at, created_at,"
            " created_by) VALUES (?, ?, ?, ?, ?, 'bench')",
            (c, c, f"{names[c - 1]}-{n}", f"{day} 07:00:00.000000", f"{day} 07:00:00.000000"),
        )
    opened = []
    for n in range(entries // 100):
        c = rng.randint(1, clients)
        day = days[n * len(days) // max(entries // 100, 1)]
        opened.append((c, f"{names[c - 1]}-{rng.randrange(50)}", day.isoformat()))
    for c, ticket, day in opened:
        cur = db.execute(
            "INSERT INTO incidents (contract_id, client_id, ticket, opened_at, created_at,"
            " created_by) VALUES (?, ?, ?, ?, ?, 'bench')",
            (c, c, ticket, f"{day} 07:00:00.000000", f"{day} 07:00:00.000000"),
        )
        i = cur.lastrowid
        db.executemany(
            "INSERT INTO incident_events (incident_id, kind, at, by, created_at)"
            " VALUES (?, ?, ?, 'bench', ?)",
            [(i, kind, f"{day} {hour}:00:00.000000", f"{day} {hour}:00:00.000000")
             for kind, hour in (("ack", "08"), ("start", "09"), ("resolve", "12"))],
        )  # fmt: skip
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _insert(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany(
        'INSERT INTO entries (contract_id, client_id, ticket, "on", minutes, type, category,'
        " kind, by, created_at) VALUES (?, ?, ?, ?, ?, 'work', 'work', 'support', ?, ?)",
        rows,
    )


def history_csv(path: Path, clients: int, rows: int) -> None:
    """``rows`` rows of a year's history: every client, every working day, by 20 engineers, or
    as many as it takes for none to log more than 8 h a day (half-hour entries)."""
    names, days = keys(clients), working_days(FIRST, OPEN)
    team = max(len(ENGINEERS), -(-rows // (len(days) * 16)))
    engineers = ENGINEERS if team == len(ENGINEERS) else [f"eng{n:03d}" for n in range(team)]
    rng = random.Random(7)
    lines = ["date,duration,ticket,kind,by,from,note\n"]
    for n in range(rows):
        day = days[n * len(days) // rows]
        key = names[rng.randrange(clients)]
        lines.append(f"{day.isoformat()},30m,{key}-{rng.randrange(50)},support,"
                     f"{engineers[n % team]},{9 + n % 8:02d}:00,row {n}\n")  # fmt: skip
    path.write_text("".join(lines), encoding="utf-8")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak memory in MB of one run (it must succeed), measured in a child of
    its own so that no other run's peak counts."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.stderr.write(r.stderr.decode(errors='replace')[-500:]); sys.exit(r.returncode)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *cmd], env={**os.environ, **env},
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[1:])}: {done.stderr}")
    took, peak = done.stdout.split()
    return float(took), int(peak) / 1024


# The open month is the same in every ledger: what grows is the history before it. The closed
# November (its share of the year's entries) and `verify` (every closed month) grow with it.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--version",),
    ("entries", "--month", "2026-12"),
    ("report", "--month", "2026-12", "--client", "ACME"),
    ("report", "--month", "2026-12"),
    ("timesheet", "--month", "2026-12"),
    ("export", "--month", "2026-12", "--format", "csv"),
    ("breaches", "--month", "2026-12"),
    ("incident", "list"),
    ("report", "--month", "2026-11", "--client", "ACME"),
    ("verify",),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,100000,1000000")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the ledgers here once, then reuse them")
    parser.add_argument("--only", help="time only the commands starting with these words")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    sla = sla_command()
    root = args.keep or Path(tempfile.mkdtemp(prefix="sla-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    config = root / "config.toml"
    if not config.exists():
        write_config(config, default_document())
    commands = COMMANDS
    if args.only:
        commands = tuple(c for c in COMMANDS if " ".join(c).startswith(args.only))
    envs = []
    print(f"{args.clients} clients, a year of working days; sizes {sizes}")
    for size in sizes:
        path = root / f"ledger-{size}-{args.clients}.db"
        env = {"SLA_CONFIG": str(config), "SLA_DATABASE_URL": f"sqlite:///{path}",
               "SLA_NOW": NOW, "SLA_USER": "bench"}  # fmt: skip
        envs.append(env)
        rolled = path.with_suffix(".rolled")  # written once the rollover succeeded
        if rolled.exists():
            print(f"{size:>9,} entries: reusing {path}")
            continue
        path.unlink(missing_ok=True)
        start = time.perf_counter()
        build(path, args.clients, size)
        print(f"{size:>9,} entries built in {time.perf_counter() - start:.1f} s")
        took, peak = timed([*sla, "rollover", "--month", "2026-11"], env)
        print(f"{'':>9}  rollover of the catch-up year (12 months × {args.clients} contracts):"
              f" {took:.1f} s, {peak:.0f} MB")  # fmt: skip
        rolled.touch()
    runs = [([*sla, *cmd], env) for cmd in commands for env in envs]
    medians = interleaved(runs, args.rounds)
    width = max(len(" ".join(c)) for c in commands)
    print(f"\n{'command':<{width}}  " + "  ".join(f"{s:>11,}" for s in sizes) + "  growth")
    for i, cmd in enumerate(commands):
        row = medians[i * len(sizes) : (i + 1) * len(sizes)]
        growth = row[-1] / row[0] if row[0] else float("nan")
        print(f"{' '.join(cmd):<{width}}  " + "  ".join(f"{t * 1000:>8.0f} ms" for t in row)
              + f"  {growth:5.2f}×")  # fmt: skip
    if args.only:
        return
    empty = root / "import.db"
    empty.unlink(missing_ok=True)
    build(empty, args.clients, 0)
    csv = root / "history.csv"
    history_csv(csv, args.clients, args.import_rows)
    env = {**envs[0], "SLA_DATABASE_URL": f"sqlite:///{empty}"}
    took, peak = timed([*sla, "import", str(csv)], env)
    print(f"\nimport of {args.import_rows:,} rows over {args.clients} clients and a year of "
          f"days: {took:.1f} s, peak {peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
