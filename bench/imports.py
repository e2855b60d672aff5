"""How long `sla import` takes on a 10,000-row CSV, and to refuse the same file again.

    python bench/imports.py [--rows N] [--runs N]

Signs the contracts of `tests/cli/test_import.py` on a new SQLite ledger, writes a CSV of
``--rows`` (default 10,000) rows as that test does, then, ``--runs`` times (default 5) on a fresh
copy of the ledger, times the import and the same file imported again (refused, nothing
written), and prints the medians. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import sla_command, wall

from sla_cli.config.defaults import default_document, write_config

NOW = "2026-11-24T12:00:00+03:00"


def hours(path: Path, rows: int) -> None:
    """Support hours on November's first twenty days, ten rows a day per engineer."""
    lines = ["date,duration,ticket,client,kind,by,from,note\n"]
    for n in range(rows):
        duration = ("15m", "1h", "0:30", "1ч30м")[n % 4]
        lines.append(f"2026-11-{n % 20 + 1:02d},{duration},ACME-{n % 40},,support,"
                     f"eng{n // 20 % 50},09:00,task {n}\n")  # fmt: skip
    path.write_text("".join(lines), encoding="utf-8")


def signed(sla: list[str], env: dict[str, str]) -> None:
    """A new ledger with a variant 1 and a variant 3 contract since October."""
    for args in (
        ("init",),
        ("contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "extended",
         "--start", "2026-10-01", "--months", "12"),
        ("contract", "add", "PKG", "--key", "PKG", "--variant", "3", "--tier", "maximal",
         "--start", "2026-10-01"),
    ):  # fmt: skip
        subprocess.run([*sla, *args], env={**os.environ, **env}, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sla = sla_command()
    first, again = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_config(folder / "config.toml", default_document())
        env = {"SLA_CONFIG": str(folder / "config.toml"), "SLA_NOW": NOW,
               "SLA_DATABASE_URL": f"sqlite:///{folder / 'signed.db'}"}  # fmt: skip
        signed(sla, env)
        csv = folder / "hours.csv"
        hours(csv, args.rows)
        for n in range(args.runs):
            ledger = folder / f"run{n}.db"
            shutil.copy(folder / "signed.db", ledger)
            run_env = {**env, "SLA_DATABASE_URL": f"sqlite:///{ledger}"}
            first.append(wall([*sla, "import", str(csv)], run_env))
            again.append(wall([*sla, "import", str(csv)], run_env, check=False))
    print(f"sla import of {args.rows:,} CSV rows   median {statistics.median(first):5.2f} s "
          f"over {args.runs} runs")  # fmt: skip
    print(
        f"the same file again (refused)   median {statistics.median(again):5.2f} s, nothing written"
    )


if __name__ == "__main__":
    main()
