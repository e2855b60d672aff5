"""`sla trends` on the hand-written 14-month ledger (tests/trends_ledger.py): every figure
against arithmetic done by hand, and each month's figures against that month's statement."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sla, sqlite_url
from tests.trends_ledger import NOW, build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, empty_ledger: Path) -> Path:
    folder = tmp_path_factory.mktemp("trends")
    shutil.copy(empty_ledger, folder / "ledger.db")
    sla = Sla(folder / "config.toml", sqlite_url(folder / "ledger.db"))
    sla.env["HOME"] = str(folder / "home")
    build(sla)
    return folder


@pytest.fixture
def ledger(built: Path, tmp_path: Path) -> Sla:
    for path in built.iterdir():
        if path.is_file():  # the ledger, its anchor, the config
            shutil.copy(path, tmp_path / path.name)
    sla = Sla(tmp_path / "config.toml", sqlite_url(tmp_path / "ledger.db"))
    sla.env["HOME"] = str(tmp_path / "home")
    return sla


def trends(sla: Sla, *args: str) -> Any:
    return sla.ok("trends", "--format", "json", *args, env=NOW).json()


def by_client(data: Any) -> dict[str, Any]:
    return {c["client"]: c for c in data["clients"]}


def test_the_default_span_is_the_last_twelve_closed_months(ledger: Sla) -> None:
    data = trends(ledger)
    # closed up to November 2026 (December is open): December 2025 – November 2026
    assert (data["from"], data["to"]) == ("2025-12", "2026-11")
    assert [m["month"] for m in data["company"]["months"]][:2] == ["2025-12", "2026-01"]
    assert all(m["closed"] for m in data["company"]["months"])
    assert data["base_hour_rate"] == "3000.00" and data["currency"] == "RUB"


def test_hours_and_money_over_the_twelve_months(ledger: Sla) -> None:
    data = trends(ledger)
    acme, beta, gamma = (by_client(data)[k]["total"] for k in ("ACME", "BETA", "GAMMA"))
    # ACME, 12 months of 900 min: included 10800; used 240 (Dec) + 1200 (Oct) + 900 (Nov)
    # = 2340; burned 660 (Dec) + 9 × 900 (Jan–Sep) = 8760; 300 beyond the tier in October;
    # billed 11 × 42000 + 57000 = 519000; 2340 / 10800 = 21.7 %; 519000 × 60 / 2340 = 13307.69
    assert acme["included_minutes"] == 10800 and acme["used_minutes"] == 2340
    assert acme["burned_minutes"] == 8760 and acme["overage_minutes"] == 300
    assert acme["billed"] == "519000.00" and acme["utilisation_percent"] == 21.7
    assert acme["revenue_per_hour"] == "13307.69" and acme["carried_minutes"] == 0
    # ACME's cost: ivan 720 + 900 = 1620 min = 27 h × 1500 = 40500, petr 240 + 480 = 720
    # min = 12 h × 1000 = 12000: 52500; margin 519000 − 52500 = 466500
    assert acme["cost"] == "52500.00" and acme["margin"] == "466500.00"
    # BETA: 900 bought (October); used 480 (Sep) + 300 (Oct) = 780 (86.7 %); the September
    # overdraft of 120 min billed 6000, plus the package 42750: 48750; 48750 × 60 / 780 =
    # 3750; carries 600 at November's end; cost: ivan 5 h × 1500 = 7500, olga's 480 uncosted
    assert beta["included_minutes"] == 900 and beta["used_minutes"] == 780
    assert beta["utilisation_percent"] == 86.7 and beta["overage_minutes"] == 120
    assert beta["billed"] == "48750.00" and beta["revenue_per_hour"] == "3750.00"
    assert beta["carried_minutes"] == 600 and beta["burned_minutes"] == 0
    assert beta["cost"] == "7500.00" and beta["margin"] == "41250.00"
    assert beta["uncosted_minutes"] == 480
    # GAMMA: unlimited (no utilisation); 300 used, 120 of them development billed 6000:
    # 5 × 250000 + 256000 = 1506000; × 60 / 300 = 301200; cost petr 5 h × 1000 = 5000
    assert gamma["included_minutes"] == 0 and gamma["utilisation_percent"] is None
    assert gamma["used_minutes"] == 300 and gamma["overage_minutes"] == 120
    assert gamma["billed"] == "1506000.00" and gamma["revenue_per_hour"] == "301200.00"
    assert gamma["cost"] == "5000.00" and gamma["margin"] == "1501000.00"
    company = data["company"]["total"]
    # included 10800 + 900 = 11700; used 2340 + 780 + 300 = 3420, of which 3120 on contracts
    # that include hours: 3120 / 11700 = 26.7 %; billed 519000 + 48750 + 1506000 = 2073750;
    # 2073750 × 60 / 3420 = 36381.58; cost 52500 + 7500 + 5000 = 65000
    assert company["included_minutes"] == 11700 and company["used_minutes"] == 3420
    assert company["utilisation_percent"] == 26.7 and company["burned_minutes"] == 8760
    assert company["overage_minutes"] == 540 and company["carried_minutes"] == 600
    assert company["billed"] == "2073750.00" and company["revenue_per_hour"] == "36381.58"
    assert company["cost"] == "65000.00" and company["margin"] == "2008750.00"


def test_one_month_of_the_company(ledger: Sla) -> None:
    october = trends(ledger)["company"]["months"][10]
    # October 2026: ACME 900 + BETA's 900 bought = 1800 included; 1200 + 300 = 1500 used
    # (83.3 %); billed 57000 + 42750 + 250000 = 349750; × 60 / 1500 = 13990; cost ivan
    # (720 + 300) min = 17 h × 1500 = 25500 + petr 8 h × 1000 = 8000 = 33500
    assert october["month"] == "2026-10"
    assert (october["included_minutes"], october["used_minutes"]) == (1800, 1500)
    assert october["utilisation_percent"] == 83.3 and october["billed"] == "349750.00"
    assert october["revenue_per_hour"] == "13990.00" and october["cost"] == "33500.00"
    assert october["margin"] == "316250.00"
    # ACME-2 opened in October: reaction breached, start met
    clocks = {c["clock"]: (c["met"], c["breached"]) for c in october["clocks"]}
    assert clocks == {"reaction": (0, 1), "start": (1, 0)}


def test_sla_per_clock_and_priority_times_and_breaches(ledger: Sla) -> None:
    sla = trends(ledger)["company"]["sla"]
    # December 2025 – November 2026: GAMMA-1, BETA-1, ACME-2, ACME-3 (ACME-1 is October 2025)
    # reaction met GAMMA-1, ACME-3, breached BETA-1, ACME-2: 2 of 4; start met all but
    # BETA-1: 3 of 4; ACME-3's resolution met
    clocks = {c["clock"]: (c["met"], c["breached"], c["percent_met"]) for c in sla["clocks"]}
    assert clocks == {"reaction": (2, 2, 50.0), "start": (3, 1, 75.0), "resolve": (1, 0, 100.0)}
    priorities = {
        (p["priority"], c["clock"]): (c["met"], c["breached"], c["percent_met"])
        for p in sla["priorities"]
        for c in p["clocks"]
    }
    assert priorities == {
        ("normal", "reaction"): (1, 2, 33.3),  # GAMMA-1 met; BETA-1, ACME-2 breached
        ("normal", "start"): (2, 1, 66.7),  # GAMMA-1, ACME-2 met; BETA-1 breached
        ("urgent", "reaction"): (1, 0, 100.0),
        ("urgent", "start"): (1, 0, 100.0),
        ("urgent", "resolve"): (1, 0, 100.0),
    }
    # reactions 15, 45, 180, 240: median (45 + 180) / 2 = 112.5, rounded half to even 112;
    # the 90th percentile by nearest rank: ceil(0.9 × 4) = the 4th, 240
    assert (sla["median_reaction_minutes"], sla["p90_reaction_minutes"]) == (112, 240)
    # starts 60, 120, 240, 660: median 180, 90th percentile 660
    assert (sla["median_start_minutes"], sla["p90_start_minutes"]) == (180, 660)
    # BETA-1 (two clocks) opened Monday 9:00, ACME-2 (one) Monday 18:00
    assert sla["breaches_by_weekday"] == [3, 0, 0, 0, 0, 0, 0]
    assert sla["breaches_by_hour"][9] == 2 and sla["breaches_by_hour"][18] == 1
    assert sum(sla["breaches_by_hour"]) == 3


def test_fourteen_months_with_since(ledger: Sla) -> None:
    data = trends(ledger, "--since", "2025-10")
    assert len(data["company"]["months"]) == 14
    total = data["company"]["total"]
    # adds October 2025 (ACME 900 included, 600 used, 300 burned, 42000; BETA 600 bought,
    # 240 used, 29000) and November 2025 (ACME 900 burned, 42000): included 11700 + 900 +
    # 900 + 600 = 14100; used 3420 + 600 + 240 = 4260; burned 8760 + 300 + 900 = 9960;
    # billed 2073750 + 42000 + 29000 + 42000 = 2186750
    assert (total["included_minutes"], total["used_minutes"]) == (14100, 4260)
    assert total["burned_minutes"] == 9960 and total["billed"] == "2186750.00"
    sla = data["company"]["sla"]
    # ACME-1 adds a reaction of 30 and a start of 60: reactions 15, 30, 45, 180, 240 (median
    # 45, the 5th of 5 at 90 %: 240); starts 60, 60, 120, 240, 660 (median 120, 660)
    assert (sla["median_reaction_minutes"], sla["p90_reaction_minutes"]) == (45, 240)
    assert (sla["median_start_minutes"], sla["p90_start_minutes"]) == (120, 660)


def test_one_client_and_until(ledger: Sla) -> None:
    data = trends(ledger, "--client", "BETA", "--since", "2026-09", "--until", "2026-10")
    assert [c["client"] for c in data["clients"]] == ["BETA"]
    months = data["company"]["months"]
    # September: 480 used, nothing bought, overdraft 120 billed 6000, carries 0; October:
    # 900 bought, 300 used, carries 600, billed 42750
    assert [(m["used_minutes"], m["overage_minutes"], m["carried_minutes"], m["billed"])
            for m in months] == [(480, 120, 0, "6000.00"), (300, 0, 600, "42750.00")]  # fmt: skip
    assert [f["client"] for f in data["forecasts"]] == ["BETA"]


def test_engineers_minutes_cost_revenue_and_margin(ledger: Sla) -> None:
    engineers = {e["name"]: e for e in trends(ledger)["engineers"]}
    # ivan: ACME 720 (Oct) + 900 (Nov), BETA 300 (Oct) = 1920 min = 32 h × 1500 = 48000;
    # revenue: ACME October 57000 × 720 / 1200 = 34200, ACME November 42000 (all his),
    # BETA October 42750 (all his): 118950; margin 70950
    ivan = engineers["ivan"]
    assert (ivan["minutes"], ivan["cost"], ivan["revenue"], ivan["margin"]) == (
        1920, "48000.00", "118950.00", "70950.00")  # fmt: skip
    assert ivan["clients"] == [{"client": "ACME", "minutes": 1620},
                               {"client": "BETA", "minutes": 300}]  # fmt: skip
    # petr: ACME 240 (Dec) + 480 (Oct), GAMMA 300 (Jul) = 1020 min = 17 h × 1000 = 17000;
    # revenue: ACME December 42000, ACME October 57000 × 480 / 1200 = 22800, GAMMA July
    # 256000: 320800; margin 303800
    petr = engineers["petr"]
    assert (petr["minutes"], petr["cost"], petr["revenue"], petr["margin"]) == (
        1020, "17000.00", "320800.00", "303800.00")  # fmt: skip
    # olga: BETA September 480 min, its 6000 overdraft; no cost per hour: no margin
    olga = engineers["olga"]
    assert (olga["minutes"], olga["cost"], olga["revenue"], olga["margin"]) == (
        480, None, "6000.00", None)  # fmt: skip
    assert list(engineers) == ["ivan", "petr", "olga"]  # most minutes first


def test_an_entry_voided_by_another_stays_its_authors(ledger: Sla) -> None:
    """petr voids 2 h that ivan logged in a month still open: ivan's minutes drop by 120 and
    petr's do not (he did not work them, nor lose them)."""
    span = ("--since", "2026-12", "--until", "2026-12")
    before = {e["name"]: e["minutes"] for e in trends(ledger, *span)["engineers"]}
    logged = ledger.ok("log", "2h", "ACME-90", "--on", "2026-12-08", "--by", "ivan", env=NOW)
    entry = logged.stdout.split(":")[0].removeprefix("entry ")
    ledger.ok("void", entry, env={**NOW, "SLA_USER": "petr"})
    after = {e["name"]: e["minutes"] for e in trends(ledger, *span)["engineers"]}
    assert after == before


def test_a_negative_margin_charts_below_the_rest(ledger: Sla) -> None:
    """Costs above what a month billed: the margin row's sparkline starts from the lowest
    month, and the table prints."""
    text = ledger.config.read_text(encoding="utf-8")
    ledger.config.write_text(text.replace('ivan = "1500"', 'ivan = "900000"'), encoding="utf-8")
    data = trends(ledger)
    margins = [m["margin"] for m in data["company"]["months"]]
    assert any(m is not None and m.startswith("-") for m in margins)
    out = ledger.ok("trends", env={**NOW, "COLUMNS": "80"}).stdout
    assert "Margin" in out


def test_without_engineers_costs_no_cost_nor_margin(ledger: Sla) -> None:
    text = ledger.config.read_text(encoding="utf-8")
    head, _, _ = text.partition("[engineers]")
    ledger.config.write_text(head, encoding="utf-8")
    data = trends(ledger)
    assert data["company"]["total"]["cost"] is None and data["company"]["total"]["margin"] is None
    assert data["engineers"][0]["cost"] is None
    out = ledger.ok("trends", env={**NOW, "COLUMNS": "80"}).stdout
    assert "Margin" not in out and "Engineer" not in out


def test_forecasts_as_contract_show_gives_them(ledger: Sla) -> None:
    forecasts = {f["client"]: f for f in trends(ledger)["forecasts"]}
    assert list(forecasts) == ["ACME", "BETA"]  # GAMMA ended in November
    acme = forecasts["ACME"]
    # 16 November – 15 December: 22 working days (16–20, 23–27, 30 Nov; 1–4, 7–11, 14–15
    # Dec), ACME worked 480 + 420 + 180 + 180 = 1260 min: 57.3 a working day. December:
    # 360 of 900 used, 540 left: 540 / 57.27 = 9.4, the 10th working day after the 15th is
    # the 29th (16, 17, 18, 21–25, 28, 29). 360 / 900 = 40 % against 11 of December's 22
    # working days gone (50 %): more than 5 points behind
    assert (acme["kind"], acme["status"], acme["used_minutes"]) == ("month", "behind", 360)
    recent = acme["recent"]
    assert (recent["from"], recent["working_days"], recent["minutes"]) == ("2026-11-16", 22, 1260)
    assert recent["minutes_per_working_day"] == 57.3 and recent["runs_out_on"] == "2026-12-29"
    # December 2025: 240 min over its 22 working days, 10.9 a day: 540 would take 49.5 days,
    # past the month's end
    last = acme["last_year"]
    assert (last["basis"], last["minutes"], last["working_days"]) == ("2025-12", 240, 22)
    assert last["runs_out_on"] is None and last["until"] == "2026-12-31"
    beta = forecasts["BETA"]["recent"]
    # BETA: 600 carried, 540 worked on 1–3 December: 60 left; 540 / 22 = 24.5 a working day;
    # 60 / 24.55 = 2.4: the 3rd working day after the 15th, the 18th
    assert (beta["left_minutes"], beta["minutes_per_working_day"]) == (60, 24.5)
    assert beta["runs_out_on"] == "2026-12-18" and forecasts["BETA"]["last_year"] is None
    shown = ledger.ok("contract", "show", "ACME", "--format", "json", env=NOW).json()["forecast"]
    assert {k: v for k, v in acme.items() if k != "client"} == shown


def test_each_month_equals_its_statement(ledger: Sla) -> None:
    data = trends(ledger, "--since", "2025-10")
    clients = by_client(data)
    for n, month in enumerate(m["month"] for m in data["company"]["months"]):
        report = ledger.ok("report", "--month", month, "--format", "json", env=NOW).json()
        for st in report["statements"]:
            mine = clients[st["client"]]["months"][n]
            assert mine["month"] == month
            assert mine["used_minutes"] == st["used_minutes"], (month, st["client"])
            assert mine["included_minutes"] == (st["included_minutes"] or 0)
            assert mine["burned_minutes"] == st["burned_minutes"]
            assert mine["overage_minutes"] == st["overage_minutes"]
            assert mine["billed"] == st["amount_due"]
            assert mine["carried_minutes"] == (st["closing_balance_minutes"] or 0)
            ours = {c["clock"]: (c["met"], c["breached"], c["running"]) for c in mine["clocks"]}
            theirs = {c["clock"]: (c["met"], c["breached"], c["running"])
                      for c in st["compliance"]["month"]}  # fmt: skip
            assert ours == theirs, (month, st["client"])


def test_the_table_fits_80_columns_with_a_sparkline_a_row(ledger: Sla) -> None:
    out = ledger.ok("trends", env={**NOW, "COLUMNS": "80"}).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "SLA met" in out and "Hours used" in out and "Margin" in out
    # the twelve months of ACME's burned hours: 660 in December, 900 in nine months, none in
    # October and November: the full block for 900
    row = next(line for line in out.splitlines() if line.startswith("│ Burned"))
    assert "▆█████████▁▁" in row
    assert "the month's hours run out on" in out and "2026-12-29" in out


def test_csv_a_row_a_scope_and_month(ledger: Sla) -> None:
    out = ledger.ok("trends", "--format", "csv", env=NOW).stdout.splitlines()
    assert out[0].startswith("client,month,closed,included_minutes,used_minutes")
    assert len(out) == 1 + 12 * 4  # the company and three clients, twelve months each
    assert out[11].startswith(",2026-10,true,1800,1500,")


def test_bad_spans_are_refused(ledger: Sla) -> None:
    r = ledger("trends", "--since", "2026-11", "--until", "2026-10", env=NOW)
    assert r.exit_code == 2 and "after" in r.stderr
    r = ledger("trends", "--since", "2010-01", env=NOW)
    assert r.exit_code == 2 and "at most 120 months" in r.stderr


def test_status_shows_the_forecast_of_a_running_timer(ledger: Sla) -> None:
    ledger.ok("start", "BETA-60", env=NOW)
    out = ledger.ok("status", env={**NOW, "COLUMNS": "200"}).stdout
    # as in trends: 60 min left at 24.5 a working day run out on the 18th
    assert "BETA: forecast at 0:25 a working day (last 30 days: 9:00 over 22 working days): " \
           "the package runs out on 2026-12-18" in out  # fmt: skip
    records = ledger.ok("status", "--format", "json", env=NOW).json()
    assert "forecast" not in records[0]  # the JSON shape stays as it was


def test_the_same_figures_on_postgresql(ledger: Sla, tmp_path: Path) -> None:
    from sla_cli.store.engine import open_ledger
    from tests.conftest import pg_schema

    with pg_schema() as url:
        open_ledger(url, create=True).engine.dispose()
        pg = Sla(tmp_path / "pg.toml", url)
        pg.env["HOME"] = str(tmp_path / "home")
        build(pg)
        for args in ((), ("--since", "2025-10"), ("--client", "ACME")):
            assert trends(pg, *args) == trends(ledger, *args), args


def test_html_and_pdf_go_to_files(ledger: Sla, tmp_path: Path) -> None:
    page = ledger.ok("trends", "--format", "html", env=NOW).stdout
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="sheet">') == 4
    assert ledger("trends", "--format", "pdf", env=NOW).exit_code == 2  # a PDF needs -o
    assert ledger("trends", "-o", str(tmp_path / "t.txt"), env=NOW).exit_code == 2
    pytest.importorskip("weasyprint")
    pdf = tmp_path / "trends.pdf"
    r = ledger("trends", "--format", "pdf", "-o", str(pdf), env=NOW)
    if r.exit_code == 2 and "Pango" in r.stderr:
        pytest.skip(r.stderr)
    assert r.exit_code == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_engineers_cost_is_checked(ledger: Sla) -> None:
    text = ledger.config.read_text(encoding="utf-8")
    ledger.config.write_text(text.replace('ivan = "1500"', 'ivan = "-5"'), encoding="utf-8")
    r = ledger("trends", env=NOW)
    assert r.exit_code == 2 and "engineers.ivan" in r.stderr


def test_with_fewer_closed_months_than_twelve_the_span_is_those_there_are(sla: Sla) -> None:
    """September to November closed, nothing before: the default span is those three months,
    not nine empty ones before them."""
    dec2 = {"SLA_NOW": "2026-12-02T10:00:00+03:00"}
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-09-01", "--months", "12", env=dec2)  # fmt: skip
    sla.ok("rollover", env=dec2)
    data = sla.ok("trends", "--format", "json", env=dec2).json()
    assert (data["from"], data["to"]) == ("2026-09", "2026-11")
    assert [m["month"] for m in data["company"]["months"]] == ["2026-09", "2026-10", "2026-11"]
    asked = sla.ok("trends", "--format", "json", "--since", "2026-06", env=dec2).json()
    assert asked["from"] == "2026-06"  # what is asked for is given
