"""Peak memory of the listings and exports on a large ledger: do they stream?

    python bench/memory.py [entries] [--ledger FILE] [--all]

Builds the ledger of ``bench/ledger_scale.py`` (default 1,000,000 entries, 10,000 incidents;
``--ledger FILE`` keeps it in FILE, or reuses FILE when it exists), then runs each command once
with its output thrown away and prints its time and peak resident memory (the child's
``ru_maxrss``), against `sla --version` for the interpreter alone. ``--all`` adds `sla entries
--all` as a table, every entry (minutes at 1,000,000: Rich draws some 3,000 rows a second).
Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import sla_command
from ledger_scale import NOW, build

from sla_cli.config.defaults import default_document, write_config

COMMANDS = [
    ("--version",),
    ("entries", "--month", "2026-10"),
    ("entries", "--month", "2026-10", "--format", "json"),
    ("entries", "--format", "csv"),
    ("incident", "list", "--all"),
    ("incident", "list", "--all", "--format", "json"),
    ("export", "--format", "csv"),
    ("export", "--format", "csv", "-o", "{out}"),
    ("export", "--format", "timeclock", "-o", "{out}"),
]


# Each command runs under this small launcher: a child forked from the benchmark itself would
# count the benchmark's own memory as its peak (Linux keeps the larger of the two at exec).
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
code = os.waitstatus_to_exitcode(status)
if code:
    sys.stderr.write(child.stderr.read().decode())
print(usage.ru_maxrss, code)
"""


def peak(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one run of ``cmd``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-S", "-c", _LAUNCHER, *cmd], env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    kilobytes, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr}")
    return took, int(kilobytes) / 1024  # ru_maxrss is in kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("entries", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--ledger", type=Path)
    parser.add_argument("--all", action="store_true", help="also `entries --all` as a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = args.ledger or Path(tmp) / "large.db"
        if not ledger.exists():
            start = time.perf_counter()
            build(ledger, args.entries)
            print(f"built {ledger} in {time.perf_counter() - start:.0f} s")
        config = Path(tmp) / "config.toml"
        write_config(config, default_document())
        env = {**os.environ, "SLA_CONFIG": str(config), "SLA_NOW": NOW, "COLUMNS": "100",
               "SLA_DATABASE_URL": f"sqlite:///{ledger}"}  # fmt: skip
        commands = [*COMMANDS, *([("entries", "--all")] if args.all else [])]
        size = ledger.stat().st_size / 1e6
        print(f"ledger: {size:.0f} MB; peak resident memory of each command (target: < 100 MB)")
        for words in commands:
            typed = [w.replace("{out}", str(Path(tmp) / "out")) for w in words]
            took, mb = peak([*sla_command(), *typed], env)
            shown = " ".join(w.replace("{out}", "FILE") for w in words)
            print(f"  sla {shown:48} {mb:6.0f} MB {took:7.1f} s")


if __name__ == "__main__":
    main()
