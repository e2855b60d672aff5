"""Input that harms nobody: typed text, authors, times and odd values on every command."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def acme(sla: Sla, name: str = "ACME Corp") -> None:
    sla.ok(
        "contract", "add", name, "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "12", env=NOV,
    )  # fmt: skip


def entries(sla: Sla) -> list[dict[str, object]]:
    out: list[dict[str, object]] = sla.ok("entries", "-f", "json", env=NOV).json()
    return out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("log", "1h", "ACME-1", "--note", "done\x1b[2J"), {}),
        (("log", "1h", "ACME-1", "--note", "line one\nline two"), {}),
        (("log", "1h", "ACME-1\r"), {}),
        (("log", "1h", "ACME-1", "--by", "an\x9bna"), {}),
        (("log", "1h", "ACME-1"), {"SLA_USER": "anna\x1b]0;pwned\x07"}),
        (("log", "1h", "ACME-1", "--by", ""), {}),
        (("log", "1h", "ACME-1", "--by", "   "), {}),
        (("log", "1h", "ACME-1"), {"SLA_USER": "  "}),
        (("incident", "open", "ACME-2", "--title", "down\x1b[31m"), {}),
        (("incident", "open", "ACME-\x1b2"), {}),
        (("void", "1", "--note", "oops\ttab"), {}),
        (
            (
                "contract",
                "add",
                "Evil\u202eCorp",
                "--key",
                "EVIL",
                "--variant",
                "2",
                "--tier",
                "standard",
                "--start",
                "2026-10-01",
            ),
            {},
        ),
        (
            (
                "contract",
                "add",
                "Evil\x1b[8m",
                "--key",
                "EVIL",
                "--variant",
                "2",
                "--tier",
                "standard",
                "--start",
                "2026-10-01",
            ),
            {},
        ),
    ],
)
def test_control_characters_and_blank_authors_exit_2_and_write_nothing(
    ledger_sla: Sla, args: tuple[str, ...], env: dict[str, str]
) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", env=NOV)
    before = entries(ledger_sla)
    r = ledger_sla(*args, env={**NOV, **env})
    assert r.exit_code == 2, r.stderr
    assert "\x1b" not in r.stderr and "\x9b" not in r.stderr and "unexpected" not in r.stderr
    assert r.stderr.count("\n") == 1
    assert entries(ledger_sla) == before
    assert ledger_sla.ok("incident", "list", "-f", "json", env=NOV).json() == []
    assert len(ledger_sla.ok("contract", "list", "-f", "json", env=NOV).json()) == 1


def test_an_author_is_stored_without_surrounding_blanks(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", "--by", " anna ", env=NOV)
    assert entries(ledger_sla)[-1]["by"] == "anna"


MARKUP = ("ACME [/b] & Co", "[link=https://evil.example]click[/link]", "C:\\[x]", "[bold red]x")


def test_text_is_never_read_as_rich_markup(ledger_sla: Sla) -> None:
    name, note, title, by = MARKUP
    acme(ledger_sla, name)
    ledger_sla.ok("incident", "open", "ACME-7", "--title", title, "--at", "2026-11-24 10:00",
                  env=NOV)  # fmt: skip
    ledger_sla.ok("log", "1h", "ACME-7", "--note", note, "--by", by, env=NOV)
    # wide enough for the note on one line beside "by X, entered by Y" (PostgreSQL)
    listing = ledger_sla.ok("entries", env={**NOV, "COLUMNS": "200"}).stdout
    assert note in listing and by in listing
    for columns in ("120", "80"):  # one summary table, or a table per client with its name
        report = ledger_sla.ok("report", "--month", "current", env={**NOV, "COLUMNS": columns})
        assert name in report.stdout and title in report.stdout


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
)
def test_csv_text_cannot_start_a_formula_but_numbers_stay_numbers(
    ledger_sla: Sla, note: str
) -> None:
    acme(ledger_sla)
    ledger_sla.ok("log", "1h", "ACME-1", "--note", note, env=NOV)
    ledger_sla.ok("log", "--undo", env=NOV)
    text = ledger_sla.ok("entries", "-f", "csv", env=NOV).stdout
    header, work, reversal = csv.reader(io.StringIO(text))
    assert work[header.index("note")] == "'" + note
    assert reversal[header.index("minutes")] == "-60"  # a negative number stays a number
    assert entries(ledger_sla)[-2]["note"] == note  # JSON keeps the text as typed


def test_times_take_an_offset_or_none_and_nothing_else(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    for at in ("2026-11-24 10:00 EST", "2026-11-24T10:00+25:00", "2026-11-24T10:00+03:60",
               "2026-11-24 10:00 Europe/Paris", "2026-11-24T10:00 UTC"):  # fmt: skip
        r = ledger_sla("incident", "open", "ACME-3", "--at", at, env=NOV)
        assert r.exit_code == 2, (at, r.stderr)
        assert "unexpected" not in r.stderr and "Warning" not in r.stderr
    assert ledger_sla.ok("incident", "list", "-f", "json", env=NOV).json() == []
    for at, opened in (
        ("2026-11-24T07:00Z", "2026-11-24T10:00:00+03:00"),
        ("2026-11-24 09:00 +02:00", "2026-11-24T10:00:00+03:00"),
    ):
        ledger_sla.ok("incident", "open", f"ACME-{at[-3:-1]}", "--at", at, env=NOV)
        assert opened in ledger_sla.ok("incident", "list", "-f", "json", env=NOV).stdout


@pytest.mark.parametrize("pinned", ["2026-11-24 12:00 EST", "2026-11-24T12:00+25:00", "soon"])
def test_a_bad_sla_now_is_named_and_exits_2(ledger_sla: Sla, pinned: str) -> None:
    acme(ledger_sla)
    r = ledger_sla("log", "1h", "ACME-1", env={"SLA_NOW": pinned})
    assert r.exit_code == 2 and r.stderr.startswith("sla: error: SLA_NOW: ")
    assert "Warning" not in r.stderr


def test_work_may_not_end_in_the_future(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    r = ledger_sla("log", "2h", "ACME-1", "--from", "11:00", env=NOV)
    assert r.exit_code == 2 and "after now" in r.stderr
    ledger_sla.ok("log", "1h", "ACME-1", "--from", "11:00", env=NOV)  # ends at 12:00, now
    assert len(entries(ledger_sla)) == 1


def test_created_at_is_the_real_clock_not_sla_now(ledger_sla: Sla) -> None:
    acme(ledger_sla)
    ledger_sla.ok("incident", "open", "ACME-5", "--at", "2026-11-24 09:00", env=NOV)
    ledger_sla.ok("log", "1h", "ACME-5", env=NOV)
    (e,) = entries(ledger_sla)
    written = datetime.fromisoformat(str(e["created_at"]))
    assert abs(written - datetime.now(UTC)) < timedelta(minutes=5)
    # the start of work is still the moment the command was about
    (i,) = ledger_sla.ok("incident", "list", "-f", "json", env=NOV).json()
    assert i["started_at"] == "2026-11-24T12:00:00+03:00"


@pytest.mark.parametrize(
    "args",
    [
        ("log", "1h", "ACME-1", "--on", ""),
        ("log", "1h", "ACME-1", "--from", ""),
        ("log", "1h", "ACME-1", "--client", ""),
        ("entries", "--client", ""),
        ("entries", "--month", ""),
        ("incident", "open", "ACME-1", "--at", ""),
        ("report", "--month", ""),
        ("report", "-f", "csv", "-o", ""),
        ("calendar", "--year", "1901"),
        ("--db", "://::", "entries"),
        ("--db", "", "entries"),
        ("--config", "", "entries"),
        ("incident", "open", "ACME-1", "--title", "x\udc85"),
    ],
)
def test_odd_values_exit_2_never_unexpected(ledger_sla: Sla, args: tuple[str, ...]) -> None:
    acme(ledger_sla)
    r = ledger_sla(*args, env=NOV)
    assert r.exit_code == 2, (args, r.stderr)
    assert r.stderr.count("\n") == 1 and "unexpected" not in r.stderr
