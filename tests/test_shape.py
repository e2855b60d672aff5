"""The shape of the package: readable modules, and layers that point one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sla_cli"
MODULES = sorted(
    p for p in PACKAGE.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE).parts
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_sizes(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long == []


def test_the_domain_needs_no_database_terminal_or_cli() -> None:
    for path in (PACKAGE / "domain").glob("*.py"):
        heavy = {
            m
            for m in _imports(path)
            if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "rich", "typer")
            or m.startswith(("sla_cli.store", "sla_cli.cli", "sla_cli.ops", "sla_cli.config"))
        }
        assert heavy == set(), path.name


def test_the_store_makes_no_decision_a_user_reads() -> None:
    """No message of the store names a flag or a command, and it never reads the config."""
    for path in (PACKAGE / "store").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"--[a-z]", source), path.name
        assert "`sla " not in source, path.name
        assert not any(m.startswith("sla_cli.config") for m in _imports(path)), path.name
