"""The commands a manager runs all day, against `sla --version`, on an empty and a large ledger.

    python bench/commands.py [--entries N] [--rounds N] [--watson-entries N]

Builds the two SQLite ledgers of `bench/ledger_scale.py`: the same 100 clients and contracts and
the same open month (November 2026: 60 entries, 10 open incidents), the large one with
``--entries`` (default 1,000,000) entries and 10,000 resolved incidents in the closed months
before it, the empty one with none. Then runs each command on both, in turns (one run of every
command after the other, ``--rounds`` times, default 9, after a warm-up round), and prints each
median with its ratio to the median of `sla --version` in the same rounds (start-up alone).
`sla log` writes to a copy of each ledger, and its entry is undone after every round.

Then `sla report --month` against `watson report -m` (td-watson: `pip install '.[bench]'`) on
empty stores and on stores of ``--watson-entries`` (default 100,000) entries and frames, in
turns, with the ratio. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, sla_command
from ledger_scale import NOW, OPEN_MONTH, build
from vs_watson import watson_command, watson_store

from sla_cli.config.defaults import default_document, write_config

CLIENT = "ACME"
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("report", "--month", OPEN_MONTH, "--client", CLIENT),
    ("report", "--month", OPEN_MONTH),
    ("breaches", "--month", OPEN_MONTH),
    ("incident", "list"),
    ("entries", "--month", OPEN_MONTH),
    ("contract", "list"),
    ("timesheet", "--month", OPEN_MONTH),
)
LOG = ("log", "1h", f"{CLIENT}-1")

Env = dict[str, str]


def environment(config: Path, ledger: Path) -> Env:
    return {"SLA_CONFIG": str(config), "SLA_NOW": NOW, "SLA_USER": "bench",
            "SLA_DATABASE_URL": f"sqlite:///{ledger}"}  # fmt: skip


def undo(sla: list[str], envs: list[Env]) -> Callable[[], None]:
    """Reverses the hour `sla log` logged on each ledger, so that the day never fills up."""

    def run() -> None:
        for env in envs:
            subprocess.run([*sla, "log", "--undo"], env={**os.environ, **env}, check=True,
                           capture_output=True)  # fmt: skip

    return run


def manager(sla: list[str], root: Path, config: Path, entries: int, rounds: int) -> None:
    """Every command on both ledgers and `sla --version`, in turns; medians and ratios."""
    ledgers = {"empty": root / "empty.db", "large": root / "large.db"}
    build(ledgers["empty"], 0)
    build(ledgers["large"], entries)
    envs = {name: environment(config, path) for name, path in ledgers.items()}
    logs = {}
    for name, path in ledgers.items():
        shutil.copy(path, root / f"log-{name}.db")
        logs[name] = environment(config, root / f"log-{name}.db")
    runs: list[tuple[list[str], Env | None]] = [([*sla, "--version"], None)]
    for args in COMMANDS:
        runs += [([*sla, *args], envs["empty"]), ([*sla, *args], envs["large"])]
    runs += [([*sla, *LOG], logs["empty"]), ([*sla, *LOG], logs["large"])]
    medians = interleaved(runs, rounds, after=undo(sla, list(logs.values())))
    version, rest = medians[0], medians[1:]
    print(f"medians of {rounds} rounds, interleaved; each ratio is to sla --version "
          f"({version * 1000:.1f} ms)")  # fmt: skip
    print(f"{'command':42} {'empty ledger':>18} {f'{entries:,} entries':>21}")
    for n, args in enumerate((*COMMANDS, LOG)):
        empty, large = rest[2 * n], rest[2 * n + 1]
        print(f"{'sla ' + ' '.join(args):42} {empty * 1000:8.1f} ms {empty / version:5.2f}x "
              f"{large * 1000:11.1f} ms {large / version:5.2f}x")  # fmt: skip


def against_watson(sla: list[str], root: Path, config: Path, entries: int, rounds: int) -> None:
    """`sla report --month` and `watson report -m`, in turns, on empty and full stores."""
    watson = watson_command()
    runs: list[tuple[list[str], Env | None]] = []
    for name, size in (("empty", 0), ("full", entries)):
        build(root / f"watson-sla-{name}.db", size)
        watson_store(root / f"watson-{name}", size)
        runs.append(([*sla, "report", "--month", OPEN_MONTH],
                     environment(config, root / f"watson-sla-{name}.db")))  # fmt: skip
        runs.append(([*watson, "report", "-m"], {"WATSON_DIR": str(root / f"watson-{name}")}))
    medians = interleaved(runs, rounds)
    print(f"sla report --month {OPEN_MONTH} against watson report -m, medians of {rounds} rounds,"
          " interleaved; the ratio is sla's time to Watson's")  # fmt: skip
    for n, label in enumerate(("empty stores", f"{entries:,} entries and frames")):
        ours, theirs = medians[2 * n], medians[2 * n + 1]
        print(f"{label:30} sla {ours * 1000:8.1f} ms   watson {theirs * 1000:8.1f} ms   "
              f"ratio {ours / theirs:5.2f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--watson-entries", type=int, default=100_000)
    args = parser.parse_args()
    sla = sla_command()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = root / "config.toml"
        write_config(config, default_document())
        manager(sla, root, config, args.entries, args.rounds)
        against_watson(sla, root, config, args.watson_entries, args.rounds)


if __name__ == "__main__":
    main()
