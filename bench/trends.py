"""`sla trends` over the twelve closed months of a big ledger against `sla report --month`.

    python bench/trends.py [--entries N] [--clients N] [--rounds N] [--keep DIR]

Builds the ledger of bench/scale.py (a year of working days, December 2025 – November 2026,
one incident in a hundred entries, 20 engineers, one client in ten on a variant 3 package) at
``--entries`` (default 1,000,000) over ``--clients`` (default 500) contracts, closes the
year with `sla rollover`, and then times, interleaved ``--rounds`` times (default 3):

- `sla trends` (the table) and `sla trends --format json`: the twelve closed months;
- `sla report --month` (the open December, every client) and `sla report --month 2026-11`
  (the last closed month, every client: one twelfth of the history, its seal checked);

and prints each median and the ratio of `trends` to each report. Not a pass/fail test. With
``--keep DIR`` the ledger is built (and rolled over) once and reused.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, sla_command
from scale import NOW, build, timed

from sla_cli.config.defaults import default_document, write_config

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("trends",),
    ("trends", "--format", "json"),
    ("report", "--month"),
    ("report", "--month", "2026-11"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the ledger here once, then reuse it")
    args = parser.parse_args()
    sla = sla_command()
    root = args.keep or Path(tempfile.mkdtemp(prefix="sla-trends-"))
    root.mkdir(parents=True, exist_ok=True)
    config = root / "config.toml"
    if not config.exists():
        doc = default_document()
        doc["engineers"] = {f"eng{n:02d}": 1000 + 50 * n for n in range(20)}
        write_config(config, doc)
    path = root / f"ledger-{args.entries}-{args.clients}.db"
    env = {"SLA_CONFIG": str(config), "SLA_DATABASE_URL": f"sqlite:///{path}",
           "SLA_NOW": NOW, "SLA_USER": "bench", "COLUMNS": "80"}  # fmt: skip
    rolled = path.with_suffix(".rolled")
    if rolled.exists():
        print(f"reusing {path}")
    else:
        path.unlink(missing_ok=True)
        start = time.perf_counter()
        build(path, args.clients, args.entries)
        print(f"{args.entries:,} entries over {args.clients} contracts built in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        took, peak = timed([*sla, "rollover", "--month", "2026-11"], env)
        print(f"rollover of the year (12 months × {args.clients} contracts): {took:.1f} s, "
              f"{peak:.0f} MB")  # fmt: skip
        rolled.touch()
    for cmd in COMMANDS:
        took, peak = timed([*sla, *cmd], env)
        print(f"  one run of sla {' '.join(cmd)}: {took * 1000:.0f} ms, peak {peak:.0f} MB")
    medians = interleaved([([*sla, *cmd], env) for cmd in COMMANDS], args.rounds)
    width = max(len(" ".join(c)) for c in COMMANDS) + 4
    print(f"\nmedians of {args.rounds} interleaved rounds, {args.entries:,} entries, "
          f"{args.clients} contracts:")  # fmt: skip
    for cmd, t in zip(COMMANDS, medians, strict=True):
        print(f"  {'sla ' + ' '.join(cmd):<{width}} {t * 1000:>8.0f} ms")
    trends, as_json, report_open, report_closed = medians
    print(f"\ntrends / report --month:          {trends / report_open:.2f}× "
          f"(json {as_json / report_open:.2f}×)")  # fmt: skip
    print(f"trends / report --month 2026-11:  {trends / report_closed:.2f}× "
          f"(json {as_json / report_closed:.2f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
