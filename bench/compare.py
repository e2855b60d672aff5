"""Two installed versions of `sla` side by side: start-up and everyday commands, interleaved.

    python bench/compare.py BEFORE_SLA AFTER_SLA [runs]

Each argument is the path of an `sla` executable (for example two virtual environments, each
with `pip install .` of one commit). Both get a fresh config and ledger with one package
contract; then `--help`, `quote`, `log` and `entries` run in turn, one run of each version after
the other, and the medians are printed. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "--help": ["--help"],
    "quote": ["quote", "--variant", "1", "--months", "12"],
    "log": ["log", "15m", "ACME-99"],
    "entries": ["entries", "--month", "2026-11"],
}


def prepare(sla: str, folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(folder),
        "SLA_CONFIG": str(folder / "config.toml"),
        "SLA_DATABASE_URL": f"sqlite:///{folder / 'ledger.db'}",
        "SLA_NOW": "2026-11-24T12:00:00+03:00",
    }
    subprocess.run([sla, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [sla, "contract", "add", "Acme", "--key", "ACME", "--variant", "3", "--tier", "basic",
         "--start", "2026-11-01"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return env


def main() -> None:
    before, after = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    versions = {"before": before, "after": after}
    with tempfile.TemporaryDirectory() as tmp:
        envs = {}
        for name, sla in versions.items():
            (Path(tmp) / name).mkdir()
            envs[name] = prepare(sla, Path(tmp) / name)
        times: dict[tuple[str, str], list[float]] = {(v, c): [] for v in versions for c in COMMANDS}
        for _ in range(runs):
            for command, args in COMMANDS.items():
                for name, sla in versions.items():
                    start = time.perf_counter()
                    subprocess.run([sla, *args], env=envs[name], check=True, capture_output=True)
                    times[(name, command)].append(time.perf_counter() - start)
    print(f"runs: {runs} each, interleaved")
    for command in COMMANDS:
        b = statistics.median(times[("before", command)])
        a = statistics.median(times[("after", command)])
        ratio = a / b
        print(f"sla {command:8} before {b * 1000:6.1f} ms  after {a * 1000:6.1f} ms  {ratio:.2f}x")


if __name__ == "__main__":
    main()
