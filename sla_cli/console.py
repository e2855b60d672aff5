"""The `sla` console script (and ``python -m sla_cli``).

Most of a quick command's start is importing Typer and the command's modules; the garbage
collector would walk every object they create again and again while nothing is garbage yet. So
it is off while they load, and `sla_cli.cli.app.main` turns it back on, collecting rarely.
"""

import gc


def main() -> None:
    gc.disable()
    from sla_cli.cli.app import main as run

    run()
