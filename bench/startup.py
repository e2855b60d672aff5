"""How fast `sla quote` starts, next to the bare imports of Typer and Rich.

    python bench/startup.py [runs]

Prints medians; not a pass/fail test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import side_by_side, sla_command


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory() as tmp:
        env = {"HOME": tmp, "XDG_CONFIG_HOME": tmp}  # no config file: the built-in defaults
        quote = [*sla_command(), "quote", "--variant", "1", "--months", "12"]
        bare = [sys.executable, "-c", "import typer, rich.table, rich.console"]
        ours, base = side_by_side(quote, bare, runs, env)
    print(f"runs: {runs} each, interleaved")
    print(f"sla quote --variant 1 --months 12      median {ours * 1000:7.1f} ms")
    print(f"python -c 'import typer, rich.table, rich.console'  median {base * 1000:7.1f} ms")
    print(f"ratio: {ours / base:.2f}x (target: at most 1.5x)")


if __name__ == "__main__":
    main()
