"""`sla import`: all or nothing, once per file, every rule of `sla log`; CSV and Watson."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
HEADER = "date,duration,ticket,client,kind,by,from,note\n"


def signed(sla: Sla) -> None:
    for key, variant, tier in (("ACME", "1", "extended"), ("PKG", "3", "maximal")):
        months = ["--months", "12"] if variant == "1" else []
        sla.ok("contract", "add", key, "--key", key, "--variant", variant, "--tier", tier,
               "--start", "2026-10-01", *months, env=NOW)  # fmt: skip


def big_csv(path: Path, rows: int, bad: int | None = None) -> Path:
    lines = [HEADER]
    for n in range(rows):
        day = f"2026-11-{n % 20 + 1:02d}"
        duration = "2x" if n == bad else ("15m", "1h", "0:30", "1ч30м")[n % 4]
        engineer = f"eng{n // 20 % 50}"  # ten rows a day each, under 24 h
        lines.append(f"{day},{duration},ACME-{n % 40},,support,{engineer},09:00,task {n}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def work_count(sla: Sla) -> int:
    return sum(e["type"] == "work" for e in sla.ok("entries", "-f", "json", env=NOW).json())


def test_ten_thousand_rows_at_once_and_never_twice(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    path = big_csv(tmp_path / "hours.csv", 10_000)
    r = ledger_sla.ok("import", str(path), env=NOW)  # bench/ times it
    assert "imported 10000 entries" in r.stdout
    assert work_count(ledger_sla) == 10_000
    again = ledger_sla("import", str(path), env=NOW)
    assert again.exit_code == 2 and "imported already" in again.stderr
    assert work_count(ledger_sla) == 10_000


def test_one_bad_row_among_ten_thousand_writes_nothing(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    path = big_csv(tmp_path / "hours.csv", 10_000, bad=7_345)
    r = ledger_sla("import", str(path), env=NOW)
    assert r.exit_code == 2
    assert "line 7347, duration:" in r.stderr and "nothing was written" in r.stderr
    assert work_count(ledger_sla) == 0


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("2026-11-02,1h,NOPE-1,,,,,", "line 2: unknown client key 'NOPE'"),
        ("2026-09-02,1h,ACME-1,,,,,", "line 2: ACME has no contract active on 2026-09-02"),
        ("2026-12-02,1h,ACME-1,,,,,", "line 2: --on 2026-12-02 is in the future"),
        ("2026-11-02,1h,ACME-1,,sales,,,", "line 2, kind: 'sales' is not one of"),
        ("2026-11-02,,ACME-1,,,,,", "line 2, duration: empty"),
    ],
)
def test_every_rule_of_log_applies(ledger_sla: Sla, tmp_path: Path, row: str, words: str) -> None:
    signed(ledger_sla)
    path = tmp_path / "one.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    r = ledger_sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and words in r.stderr, r.stderr
    assert work_count(ledger_sla) == 0


def test_rounding_closed_months_overdraft_and_a_dry_run(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    sla.ok("rollover", env=NOW)  # October is closed
    path = tmp_path / "late.csv"
    path.write_text(HEADER + "2026-10-30,1h,ACME-1,,,,,\n", encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "2026-10 is closed" in r.stderr
    path.write_text(HEADER + "2026-11-02,7m,ACME-1,,dev,vera,10:00,fix\n", encoding="utf-8")
    dry = sla.ok("import", str(path), "--dry-run", env=NOW)
    assert "would import 1 entries" in dry.stdout and work_count(sla) == 0
    sla.ok("import", str(path), env=NOW)
    (entry,) = [e for e in sla.ok("entries", "-f", "json").json() if e["type"] == "work"]
    assert (entry["minutes"], entry["by"], entry["kind"], entry["note"]) == (
        7,
        "vera",
        "dev",
        "fix",
    )


def test_watsons_frames_by_project_or_tag(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    frames = [
        {"id": "a", "start": "2026-11-02T10:00:00+03:00", "stop": "2026-11-02T11:30:00+03:00",
         "project": "ACME-3", "tags": ["PKG-1", "backup"]},
        {"id": "b", "start": "2026-11-03T07:00:00+00:00", "stop": "2026-11-03T07:45:00+00:00",
         "project": "ACME-4", "tags": ["PKG-2"]},
    ]  # fmt: skip
    path = tmp_path / "watson.json"
    path.write_text(json.dumps(frames), encoding="utf-8")
    sla.ok("import", str(path), "--dry-run", env=NOW)
    sla.ok("import", str(path), "--ticket-from", "tag", env=NOW)
    found = [(e["ticket"], e["minutes"], e["on"]) for e in
             sla.ok("entries", "-f", "json").json() if e["type"] == "work"]  # fmt: skip
    assert found == [("PKG-1", 90, "2026-11-02"), ("PKG-2", 45, "2026-11-03")]
    path.write_text(json.dumps([{**frames[0], "stop": "nope"}]), encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "frame 1, stop:" in r.stderr


def test_a_package_is_never_overdrawn_past_its_balance_by_an_import(
    sla: Sla, tmp_path: Path
) -> None:
    from sla_cli.config.defaults import default_document, write_config

    doc = default_document()
    doc["billing"]["refuse_overdraft"] = True
    doc["billing"]["increment_minutes"] = 15
    write_config(sla.config, doc, force=True)
    signed(sla)  # PKG holds 50 h
    path = tmp_path / "pkg.csv"
    rows = [f"2026-11-{n % 20 + 1:02d},50m,PKG-{n},,,,,\n" for n in range(60)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    # 50 minutes round up to 1 h: the 51st row (line 52) is the first past the 50 h
    assert r.exit_code == 2 and "line 52:" in r.stderr and "nothing was written" in r.stderr
    path.write_text(HEADER + "".join(rows[:50]), encoding="utf-8")
    sla.ok("import", str(path), env=NOW)
    assert {
        e["minutes"] for e in sla.ok("entries", "-f", "json").json() if e["type"] == "work"
    } == {60}


def frame(ident: str, start: str, stop: str, project: str = "ACME-3") -> dict[str, object]:
    return {"id": ident, "start": start, "stop": stop, "project": project, "tags": []}


A1 = frame("a1", "2026-11-02T10:00:00+03:00", "2026-11-02T11:00:00+03:00")
A2 = frame("a2", "2026-11-03T10:00:00+03:00", "2026-11-03T10:30:00+03:00")


def worked(sla: Sla) -> list[tuple[str, int]]:
    return [(e["on"], e["minutes"]) for e in sla.ok("entries", "-f", "json", env=NOW).json()
            if e["type"] == "work"]  # fmt: skip


def test_each_watson_frame_is_imported_once_whatever_file_it_comes_in(
    ledger_sla: Sla, tmp_path: Path
) -> None:
    signed(ledger_sla)
    (tmp_path / "w1.json").write_text(json.dumps([A1]), encoding="utf-8")
    (tmp_path / "w2.json").write_text(json.dumps([A1, A2]), encoding="utf-8")
    ledger_sla.ok("import", str(tmp_path / "w1.json"), env=NOW)
    r = ledger_sla("import", str(tmp_path / "w2.json"), env=NOW)
    assert r.exit_code == 2 and "line 1: imported already (entry" in r.stderr
    assert "Watson frame 'a1'" in r.stderr
    assert worked(ledger_sla) == [("2026-11-02", 60)]
    r = ledger_sla.ok("import", str(tmp_path / "w2.json"), "--skip-known", env=NOW)
    assert "imported 1 entries" in r.stdout and "skipped 1 row(s) imported before" in r.stdout
    assert worked(ledger_sla) == [("2026-11-02", 60), ("2026-11-03", 30)]
    again = ledger_sla.ok("import", str(tmp_path / "w2.json"), "--skip-known", env=NOW)
    assert "imported nothing" in again.stdout and "skipped 2" in again.stdout
    assert len(worked(ledger_sla)) == 2


ROWS = "2026-11-02,1h,ACME-1,,,anna,10:00,printer\n2026-11-03,30m,ACME-2,,,,,\n"


@pytest.mark.parametrize(
    "resaved",
    [
        ("\ufeff" + HEADER + ROWS).encode("utf-8"),  # a byte order mark
        (HEADER + ROWS).replace("\n", "\r\n").encode("utf-8"),  # CRLF
        (HEADER.replace(",", ";") + ROWS.replace(",", ";")).encode("cp1251"),  # Russian Excel
        (
            b"date,ticket,duration,note,by,from\n2026-11-02,acme-1,60m,printer,anna,10:00\n"
            b"2026-11-03,ACME-2,0:30,,,\n"
        ),  # columns in another order
    ],
    ids=["bom", "crlf", "excel-ru", "reordered"],
)
def test_a_csv_row_imported_before_is_known_however_the_file_is_saved(
    ledger_sla: Sla, tmp_path: Path, resaved: bytes
) -> None:
    signed(ledger_sla)
    first = tmp_path / "hours.csv"
    first.write_text(HEADER + ROWS, encoding="utf-8")
    ledger_sla.ok("import", str(first), env=NOW)
    before = worked(ledger_sla)
    other = tmp_path / "other.csv"
    other.write_bytes(resaved)
    r = ledger_sla("import", str(other), env=NOW)
    assert r.exit_code == 2 and "line 2: imported already (entry" in r.stderr, r.stderr
    assert worked(ledger_sla) == before
    r = ledger_sla.ok("import", str(other), "--skip-known", env=NOW)
    assert "skipped 2 row(s)" in r.stdout
    assert worked(ledger_sla) == before


def test_a_row_twice_in_one_file_is_refused_naming_both(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    path = tmp_path / "twice.csv"
    path.write_text(HEADER + ROWS + "2026-11-02,60m,ACME-1,,,anna,10:00,printer\n", "utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "line 4 repeats line 2" in r.stderr
    r = sla("import", str(path), "--skip-known", env=NOW)  # not imported before: not skipped
    assert r.exit_code == 2 and "line 4 repeats line 2" in r.stderr
    assert worked(sla) == []


def test_russian_excel_csv_is_read_and_said(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    path = tmp_path / "excel.csv"
    text = "date;duration;ticket;note\n02.11.2026;1,5h;ACME-1;Настройка принтера\n"
    path.write_bytes(text.encode("cp1251"))
    r = sla.ok("import", str(path), env=NOW)
    assert "read as Windows-1251" in r.stdout and "separated by ;" in r.stdout
    (e,) = [e for e in sla.ok("entries", "-f", "json", env=NOW).json() if e["type"] == "work"]
    assert (e["on"], e["minutes"], e["note"]) == ("2026-11-02", 90, "Настройка принтера")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEADER.replace("note", "date") + ROWS, "line 1: the column 'date' is named twice"),
        (HEADER + "2026-11-02,1h,ACME-1,,,,,,extra\n", "line 2: 9 fields, but the header names 8"),
        (
            HEADER + ROWS + '2026-11-04,1h,ACME-3,,,,,"never closed\n2026-11-05,1h,ACME-4,,,,,\n',
            "line 4: a quote opened here is never closed",
        ),
        (
            HEADER + "2026-11-02,1h,ACME-1,,,,," + "x" * 140_000 + "\n",
            "line 2: a field longer than 131,072 characters",
        ),
        ("SQLite format 3\x00", "not a text file"),
    ],
    ids=["column-twice", "row-too-long", "open-quote", "huge-field", "binary"],
)
def test_a_malformed_csv_is_refused_naming_the_line(
    sla: Sla, tmp_path: Path, text: str, words: str
) -> None:
    signed(sla)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and words in r.stderr and "nothing was written" in r.stderr, r.stderr
    assert "unexpected" not in r.stderr
    assert worked(sla) == []


def test_every_rule_of_log_holds_for_watson_frames_too(sla: Sla, tmp_path: Path) -> None:
    signed(sla)
    long = frame("long", "2026-11-02T08:00:00+03:00", "2026-11-03T09:00:00+03:00")
    path = tmp_path / "long.json"
    path.write_text(json.dumps([long]), encoding="utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "line 1: 25h is more than one entry may hold" in r.stderr
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    r = sla("import", str(deep), env=NOW)
    assert r.exit_code == 2 and "nested too deep" in r.stderr and "unexpected" not in r.stderr
    assert worked(sla) == []


def test_one_engineers_day_holds_at_most_24_hours(ledger_sla: Sla, tmp_path: Path) -> None:
    signed(ledger_sla)
    anna = {**NOW, "SLA_USER": "anna"}
    ledger_sla.ok("log", "20h", "ACME-1", "--on", "2026-11-02", env=anna)
    r = ledger_sla("log", "4h30m", "ACME-1", "--on", "2026-11-02", env=anna)
    assert r.exit_code == 2 and "2026-11-02 would hold 24:30 h" in r.stderr
    ledger_sla.ok("log", "4h30m", "ACME-1", "--on", "2026-11-02", env={**NOW, "SLA_USER": "bob"})
    ledger_sla.ok("log", "4h", "ACME-1", "--on", "2026-11-02", env=anna)  # 24 h exactly
    path = tmp_path / "day.csv"
    path.write_text(HEADER + "2026-11-02,15m,ACME-2,,,anna,,late\n", encoding="utf-8")
    r = ledger_sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "line 2: 2026-11-02 would hold 24:15 h" in r.stderr
    # a void frees the day again
    last = [e for e in ledger_sla.ok("entries", "-f", "json", env=NOW).json() if e["by"] == "anna"]
    ledger_sla.ok("void", str(last[-1]["id"]), env=NOW)
    ledger_sla.ok("import", str(path), env=NOW)


def _queries_importing(tmp_path: Path, sla: Sla, clients: int, days: int) -> int:
    """How many statements an import of a row per client a day issues."""
    import sqlalchemy as sa

    from sla_cli.config import parse_settings
    from sla_cli.domain.work import WorkPolicy
    from sla_cli.importing import read_csv
    from sla_cli.ops.imports import import_rows
    from sla_cli.store.engine import open_ledger

    for n in range(clients):
        sla.ok("contract", "add", f"C{n}", "--key", f"C{n}", "--variant", "1", "--tier",
               "basic", "--start", "2026-01-01", "--months", "12", env=NOW)  # fmt: skip
    first = date(2026, 1, 1)
    text = HEADER + "".join(
        f"{first + timedelta(days=d)},15m,C{n}-{d},,,eng{d % 3},,\n"
        for n in range(clients)
        for d in range(days)
    )
    rows, _ = read_csv(text, date(2026, 11, 24))
    ledger = open_ledger(sla.db_url)
    count = 0

    def counted(*_: object) -> None:
        nonlocal count
        count += 1

    sa.event.listen(ledger.engine, "before_cursor_execute", counted)
    tz = parse_settings({}).timezone
    now = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo(tz))
    with ledger.store() as s:
        done = import_rows(s, rows, "x" * 64, WorkPolicy(), tz, "anna", now, dry_run=False)
    ledger.engine.dispose()
    assert done.rows == clients * days
    return count


def test_an_import_of_a_years_history_asks_the_ledger_no_more_for_more_days(
    tmp_path: Path, sla: Sla
) -> None:
    """Each client's contracts, each month's close and each author's days are read once: the
    statements do not grow with the distinct days the rows name."""
    few = _queries_importing(tmp_path / "few", sla, clients=4, days=5)
    sla.env["SLA_DATABASE_URL"] = sla.db_url = f"sqlite:///{tmp_path / 'many.db'}"
    sla.ok("init", env=NOW)
    many = _queries_importing(tmp_path / "many", sla, clients=4, days=300)
    months = 10  # 300 days from January reach into October: one check each that it is open
    keys = 3  # the known rows are looked up 500 keys a query: 1,200 rows take 3 queries
    assert many <= few + months + keys, (few, many)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("0001-01-01T00:00:00+03:00", "out of range: years 2000"),
        ("2026-11-02T10:00:00-13:00", "offset"),
        ("2026-11-02T10:00:00", "not a time with an offset"),
    ],
)
def test_a_watson_frame_s_time_is_read_as_at_reads_one(
    sla: Sla, tmp_path: Path, start: str, words: str
) -> None:
    signed(sla)
    path = tmp_path / "w.json"
    path.write_text(json.dumps([frame("x", start, "2026-11-02T11:00:00+03:00")]), "utf-8")
    r = sla("import", str(path), env=NOW)
    assert r.exit_code == 2 and "frame 1, start:" in r.stderr and words in r.stderr, r.stderr


def test_an_import_and_a_close_leave_the_planners_statistics_current(
    sla: Sla, tmp_path: Path
) -> None:
    """Statistics refreshed with the writes that change much: the query planner picks the
    indexes of a ledger that grew, not those of the empty one it was created as."""
    import sqlite3

    signed(sla)
    ledger = Path(sla.db_url.removeprefix("sqlite:///"))

    def entries_sampled() -> int:
        with sqlite3.connect(ledger) as conn:
            found = conn.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'entries' AND idx = 'ix_entries_on'"
            ).fetchone()
        return 0 if found is None else int(found[0].split()[0])

    sla.ok("import", str(big_csv(tmp_path / "hours.csv", 500)), env=NOW)
    assert entries_sampled() >= 500  # the import's rows (and the package bought) counted
    sla.ok("rollover", "--month", "2026-10", env=NOW)
    assert entries_sampled() >= 500
