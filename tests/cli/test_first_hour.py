"""A newcomer's first hour: what the terminal shows is whole, wrapped, and says what it means."""

from __future__ import annotations

import inspect
import re

import pytest

from sla_cli.cli.app import app, paragraphs
from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-20T12:00:00+03:00"}


def acme(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOV)  # fmt: skip


def test_nothing_to_show_is_a_sentence_not_an_empty_table(sla: Sla) -> None:
    acme(sla)
    assert sla.ok("status", env=NOV).stdout == "no timer running for you\n"
    assert sla.ok("breaches", env=NOV).stdout == "no breaches\n"
    assert sla.ok("entries", env=NOV).stdout == "no entries\n"


@pytest.mark.parametrize("columns", ["0", "1", "39", "abc"])
def test_a_width_too_small_to_show_anything_is_taken_as_80(sla: Sla, columns: str) -> None:
    out = sla.ok("tariffs", env={"COLUMNS": columns}).stdout.splitlines()
    assert out and max(len(line) for line in out) <= 80
    assert any("Минимальный" in line for line in out)


def test_the_preview_banner_wraps_at_the_terminals_width(sla: Sla) -> None:
    acme(sla)
    for columns in ("80", "60"):
        out = sla.ok("report", "--month", env={**NOV, "COLUMNS": columns}).stdout.splitlines()
        assert out[0].startswith("ПРЕДВАРИТЕЛЬНЫЙ")
        assert max(len(line.rstrip()) for line in out) <= int(columns), out


def test_a_package_statement_adds_up_on_screen(sla: Sla) -> None:
    """Opening, bought, used, overdraft and closing, in that order across the table."""
    sla.ok("contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-10-01", env=NOV)  # fmt: skip
    sla.ok("log", "3h", "GAMMA-1", "--on", "2026-10-05", env=NOV)
    sla.ok("rollover", "--month", "2026-10", env=NOV)
    sla.ok("contract", "topup", "GAMMA", "--on", "2026-11-02", env=NOV)
    sla.ok("log", "2h", "GAMMA-2", "--on", "2026-11-03", env=NOV)
    out = sla.ok(
        "report", "--month", "2026-11", "--lang", "en", env={**NOV, "COLUMNS": "160"}
    ).stdout
    header = next(line for line in out.splitlines() if "Opening" in line)
    order = [header.index(k) for k in ("Opening", "Included", "Used", "Extra", "Balance")]
    assert order == sorted(order)
    row = next(line for line in out.splitlines() if line.startswith("│ GAMMA"))
    # after the tier cell (which names the package bought, with its hours)
    assert re.findall(r"\d+:\d\d", row)[-5:] == ["7:00", "10:00", "2:00", "0:00", "15:00"]


def _commands() -> list[tuple[str, ...]]:
    from tests.test_docs import all_commands

    return all_commands()


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_help_is_paragraphs_that_wrap_not_lines_of_the_source(
    sla: Sla, command: tuple[str, ...]
) -> None:
    from typer.main import get_command

    group = get_command(app)
    cmd = group
    for name in command:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    doc = inspect.getdoc(cmd.callback) or ""
    shown = sla.ok(*command, "--help", env={"COLUMNS": "400"}).stdout.splitlines()
    text = {line.strip() for line in shown}
    for para in paragraphs(doc).split("\n\n"):
        whole = " ".join(para.split())
        if "- " in para or "`" in whole or "[" in whole or len(whole) > 390:
            continue  # a list, or markup Typer renders its own way
        assert whole in text, (command, whole)  # one line at 400 columns: no break inside
