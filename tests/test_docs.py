"""Docs that cannot drift: the README names every command, and every command has help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from sla_cli.cli.app import app
from tests.conftest import Sla

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, ...]]:
    root = get_command(app)
    out: list[tuple[str, ...]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        if sub:
            out.extend((name, s) for s in sub)
        else:
            out.append((name,))
    return sorted(out)


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0] == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/sla demo"
    assert blocks[1] == (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and ".venv/bin/python -m pytest" in ci


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_is_in_the_readme_and_has_help(command: tuple[str, ...], sla: Sla) -> None:
    assert f"`sla {' '.join(command)}" in README
    r = sla.ok(*command, "--help")
    assert "Usage:" in r.stdout
    after_usage = r.stdout.split("Usage:", 1)[1].splitlines()[1:]
    summary = next(line for line in after_usage if line.strip())
    assert len(summary.split()) >= 4, summary  # a real sentence, not an empty docstring


def test_readme_quote_examples_run(sla: Sla) -> None:
    for line in re.findall(r"^sla (quote .*?)(?:\s+#.*)?$", README, flags=re.M):
        sla.ok(*line.split())
