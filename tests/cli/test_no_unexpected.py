"""No input ends in "unexpected": every command and option, given values a hostile user would
type, exits 0, 1 or 2 with one line, never a crash; and a terminal that cannot show Cyrillic
gets what can be shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}

# the commands, with {} where a value goes
COMMANDS = [
    ("log", "{}", "ACME-1"), ("log", "1h", "{}"), ("log", "1h", "ACME-1", "--on", "{}"),
    ("log", "1h", "ACME-1", "--from", "{}"), ("log", "1h", "ACME-1", "--note", "{}"),
    ("log", "1h", "ACME-1", "--by", "{}"), ("log", "1h", "ACME-1", "--kind", "{}"),
    ("entries", "--limit", "{}"), ("entries", "--month", "{}"), ("entries", "--since", "{}"),
    ("entries", "--ticket", "{}"), ("entries", "--by", "{}"), ("void", "{}"),
    ("incident", "open", "{}"), ("incident", "open", "ACME-2", "--at", "{}"),
    ("incident", "open", "ACME-3", "--title", "{}"), ("incident", "ack", "{}"),
    ("incident", "priority", "ACME-2", "{}"), ("breaches", "--month", "{}"),
    ("report", "--month", "{}"), ("report", "--month", "2026-11", "--client", "{}"),
    ("quote", "--variant", "{}"), ("quote", "--variant", "1", "--months", "{}"),
    ("quote", "--variant", "1", "--tier", "{}"), ("calendar", "--year", "{}"),
    ("calendar", "--month", "{}"), ("contract", "add", "{}", "--key", "NEW", "--variant", "1",
    "--tier", "basic", "--start", "2026-12-01"), ("contract", "add", "X", "--key", "{}",
    "--variant", "1", "--tier", "basic", "--start", "2026-12-01"), ("contract", "add", "X",
    "--key", "NEW", "--variant", "1", "--tier", "basic", "--start", "{}"), ("contract", "add",
    "X", "--key", "NEW", "--variant", "1", "--tier", "basic", "--start", "2026-12-01",
    "--months", "{}"), ("contract", "add", "X", "--key", "NEW", "--variant", "1", "--tier",
    "basic", "--start", "2026-12-01", "--hour-discount", "{}"), ("contract", "show", "{}"),
    ("contract", "end", "ACME", "--on", "{}"), ("contract", "prepay", "ACME", "--months", "{}"),
    ("contract", "topup", "ACME", "--on", "{}"), ("start", "{}"), ("stop", "--note", "{}"),
    ("timesheet", "--month", "{}"), ("export", "--month", "{}"), ("rollover", "--month", "{}"),
    ("import", "{}"), ("backup", "{}"), ("--db", "{}", "entries"), ("--config", "{}", "tariffs"),
]  # fmt: skip

VALUES = [
    "", " ", "-", "--", "0", "-1", "1e309", "nan", "99999999999999999999999999",
    str(2**63), str(-(2**63) - 1), "2026-13-01", "2026-02-30", "0000-01-01", "9999-12-31",
    "31.12.9999", "25:00", "23:60", "1h99m", "24h1m", "ЧЧ", "ACME-", "-ACME", "ＡＣＭＥ-1",
    "a\u200bb", "\x1b[2J", "a\nb", "\ud800", "x" * 5000, "/dev/zero", "/", ".", "~",
    "%s%n", "{}", "../../etc/passwd", "sqlite:///", "postgresql://x@127.0.0.1:1/y",
]  # fmt: skip
NASTY = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@pytest.fixture
def sla(sla: Sla, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sla:
    """The runner, in a folder of its own: a value that names a file (`backup -`) is one there."""
    monkeypatch.chdir(tmp_path)
    return sla


def signed(sla: Sla) -> None:
    if not sla.ok("contract", "list", "-f", "json", env=NOW).json():
        sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
               "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip


def check(sla: Sla, command: tuple[str, ...], value: str) -> None:
    r = sla(*(value if part == "{}" else part for part in command), env=NOW)
    assert r.exit_code in (0, 1, 2, 75), (command, value, r.exit_code, r.stderr)
    assert not r.stderr.startswith("sla: error: unexpected "), (command, value, r.stderr)
    assert "Traceback" not in r.stderr, (command, value)
    if r.exit_code:
        assert len(r.stderr.strip().splitlines()) <= 1 or "Usage:" in r.stderr, r.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_hostile_value_of_any_option_ends_in_unexpected(
    sla: Sla, command: tuple[str, ...]
) -> None:
    signed(sla)
    for value in VALUES:
        check(sla, command, value)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), value=NASTY)
def test_no_value_of_any_option_ends_in_unexpected(
    sla: Sla, command: tuple[str, ...], value: str
) -> None:
    signed(sla)
    if "\x00" not in value:  # no command line can hold a NUL
        check(sla, command, value)


def test_a_terminal_that_cannot_show_cyrillic_gets_what_can_be_shown(sla: Sla) -> None:
    env = {**os.environ, **sla.env, **NOW, "PYTHONIOENCODING": "latin-1"}
    for args in (
        ("tariffs",),
        ("report", "--month", "2026-11"),
        ("calendar", "--month", "2026-11"),
    ):
        r = subprocess.run([sys.executable, "-m", "sla_cli", *args], env=env,
                           capture_output=True, timeout=120)  # fmt: skip
        assert r.returncode == 0, (args, r.stderr)
        assert b"unexpected" not in r.stderr and r.stdout
