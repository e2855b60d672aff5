"""How fast Tab completes `sla log 1h <Tab>` (open tickets and client keys) on a large ledger.

    python bench/completion.py [entries] [runs]

Builds an SQLite ledger of ``entries`` (default 1,000,000) entries, as `bench/ledger_scale.py`
does, then times the completion run bash makes on every Tab, against `sla --version` (the same
start-up, no ledger). Prints medians; not a pass/fail test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import median_wall, sla_command
from ledger_scale import build


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    sla = sla_command()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.db"
        build(path, entries)
        env = {"SLA_DATABASE_URL": f"sqlite:///{path}", "HOME": tmp}
        tab = {**env, "_SLA_COMPLETE": "complete_bash", "COMP_WORDS": "sla log 1h ",
               "COMP_CWORD": "3"}  # fmt: skip
        completion = median_wall(sla, runs, tab)
        version = median_wall([*sla, "--version"], runs, env)
    print(f"{entries:,} entries, {runs} runs each")
    print(f"sla log 1h <Tab>   median {completion * 1000:6.1f} ms (target: at most 100 ms)")
    print(f"sla --version      median {version * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
