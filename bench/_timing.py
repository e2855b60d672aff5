"""Shared timing helpers for the benchmarks: medians of whole-process wall times."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def sla_command() -> list[str]:
    """The installed `sla` next to this interpreter, else ``python -m sla_cli``; its bytecode
    compiled first, as an install leaves it (PYTHONDONTWRITEBYTECODE would otherwise have every
    run compile the package from source)."""
    import compileall

    import sla_cli

    compileall.compile_dir(Path(sla_cli.__file__).parent, quiet=1)
    beside = Path(sys.executable).with_name("sla")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("sla")
    return [found] if found else [sys.executable, "-m", "sla_cli"]


def median_wall(cmd: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of ``cmd`` in seconds over ``runs`` runs (after one warm-up run)."""
    full_env = {**os.environ, **(env or {})}
    subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=full_env, check=True
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=full_env, check=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def wall(cmd: Sequence[str], env: dict[str, str] | None = None, check: bool = True) -> float:
    """The wall time of one run of ``cmd`` in seconds (``check``: it must exit 0)."""
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=full_env, check=check
    )
    return time.perf_counter() - start


def interleaved(
    commands: Sequence[tuple[Sequence[str], dict[str, str] | None]],
    rounds: int,
    after: Callable[[], None] | None = None,
) -> list[float]:
    """The median wall time of each command, run in turns (A, B, C, A, B, C, … ``rounds``
    times, after one warm-up run each), so that machine noise hits them all alike. ``after``
    runs, untimed, after the warm-ups and after each round (to undo what a command wrote)."""
    times: list[list[float]] = [[] for _ in commands]
    for n in range(rounds + 1):
        for spent, (cmd, env) in zip(times, commands, strict=True):
            took = wall(cmd, env)
            if n:
                spent.append(took)
        if after is not None:
            after()
    return [statistics.median(spent) for spent in times]


def side_by_side(
    ours: Sequence[str], baseline: Sequence[str], runs: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Interleave the two commands so that machine noise hits both alike."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(median_wall(ours, 1, env))
        b.append(median_wall(baseline, 1, env))
    return statistics.median(a), statistics.median(b)
