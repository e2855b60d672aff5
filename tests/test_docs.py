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


def _sla_script() -> Path:
    """The `sla` script of the environment the tests run in (what `pip install` made)."""
    import sys

    script = Path(sys.executable).with_name("sla")
    if not script.exists():
        pytest.skip("no sla script beside the interpreter (the project is not installed)")
    return script


def _run_as_script(text: str, tmp_path: Path, path_dir: Path | None) -> None:
    """Run ``text`` with bash, stopping at the first line that fails, on a new HOME."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLA_", "XDG_"))}
    env |= {"HOME": str(tmp_path / "home"), "SLA_USER": "anna", "COLUMNS": "100"}
    env["SLA_NOW"] = "2026-11-24T12:00:10+03:00"  # in the example contract's term, off :00
    if path_dir is not None:
        env["PATH"] = f"{path_dir}{os.pathsep}{env.get('PATH', '')}"
    script = tmp_path / "session.sh"
    script.write_text("set -euo pipefail\nset -x\n" + text + "\n", encoding="utf-8")
    r = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]


def test_the_readme_first_session_runs_as_typed(tmp_path: Path) -> None:
    """The README's "A first session", line by line with `sla` on the PATH, as it says."""
    section = README.split("## A first session", 1)[1]
    (block,) = re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)[:1]
    _run_as_script(block, tmp_path, _sla_script().parent)
    assert (tmp_path / "statement.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_the_demos_hints_run_as_printed(tmp_path: Path) -> None:
    """The demo's "Try it" lines name a program that runs without `sla` on the PATH."""
    import os
    import subprocess

    script = _sla_script()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLA_")}
    env |= {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin",
            "SLA_NOW": "2026-11-24T12:00:00+03:00"}  # fmt: skip
    demo = [str(script), "demo", "--dir", str(tmp_path / "demo")]
    out = subprocess.run(demo, env=env, capture_output=True, text=True, timeout=300, check=True)
    hints = out.stdout.split("Try it:\n", 1)[1].splitlines()
    assert hints and not hints[1].strip().startswith("sla ")  # sla is not on this PATH
    _run_as_script("\n".join(h.strip() for h in hints), tmp_path, None)
