"""`sla` against Watson, the time tracker an engineer would compare it with.

    python bench/vs_watson.py [entries] [runs]

Needs Watson (`pip install '.[bench]'`). Builds, for each tool, an empty store and one holding
``entries`` (default 100,000) entries, then times, interleaved, `sla log 15m ACME-99` against
`watson add` and `sla report --month` against `watson report --month`, and prints the medians.
Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import sla_command
from ledger_scale import NOW, build

from sla_cli.config.defaults import default_document, write_config


def watson_command() -> list[str]:
    beside = Path(sys.executable).with_name("watson")
    found = str(beside) if beside.exists() else shutil.which("watson")
    if not found:
        sys.exit("Watson is not installed: pip install '.[bench]'")
    return [found]


def watson_store(folder: Path, frames: int) -> None:
    """A Watson folder holding ``frames`` frames, spread over the last eight years."""
    folder.mkdir(parents=True)
    rng = random.Random(7)
    now = int(time.time())
    rows = []
    for n in range(frames):
        start = now - rng.randint(3600, 8 * 365 * 86400)
        stop = start + rng.choice((15, 30, 60, 90)) * 60
        rows.append([start, stop, f"C{n % 100:03d}-{n % 50}", uuid.uuid4().hex, [], stop])
    rows.sort()
    (folder / "frames").write_text(json.dumps(rows), encoding="utf-8")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def race(
    a: tuple[list[str], dict[str, str]], b: tuple[list[str], dict[str, str]], runs: int
) -> tuple[float, float]:
    """Medians of the two commands, run in turns (one warm-up each)."""
    timed(*a)
    timed(*b)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(*a))
        tb.append(timed(*b))
    return statistics.median(ta), statistics.median(tb)


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    sla, watson = sla_command(), watson_command()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = root / "config.toml"
        write_config(config, default_document())
        for name, size in (("empty", 0), ("full", entries)):
            build(root / f"{name}.db", size)
            watson_store(root / f"watson-{name}", size)
        print(f"built: sla ledgers and Watson folders, empty and with {entries:,} entries")
        for name in ("empty", "full"):
            sla_env = {**os.environ, "SLA_CONFIG": str(config), "SLA_NOW": NOW,
                       "SLA_DATABASE_URL": f"sqlite:///{root / f'{name}.db'}"}  # fmt: skip
            w_env = {**os.environ, "WATSON_DIR": str(root / f"watson-{name}")}
            for title, ours, theirs in (
                ("log", [*sla, "log", "15m", "ACME-99"],
                 [*watson, "add", "-f", "10:00", "-t", "10:15", "ACME-99"]),
                ("report --month", [*sla, "report", "--month", "2026-11"],
                 [*watson, "report", "--month"]),
            ):  # fmt: skip
                a, b = race((ours, sla_env), (theirs, w_env), runs)
                print(f"{name:5} sla {title:15} {a * 1000:7.1f} ms   watson {b * 1000:7.1f} ms   "
                      f"sla is {b / a:5.2f}x as fast")  # fmt: skip


if __name__ == "__main__":
    main()
