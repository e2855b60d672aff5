"""`contract show`'s forecasts on the Russian production calendar, computed by hand."""

from __future__ import annotations

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-13T18:00:00+03:00"}  # Friday
# November 2026's working days up to the 13th: 2, 3, 5, 6, 9–13 (the 4th is a public holiday)
WORKED = ["02", "03", "05", "06", "09", "10", "11", "12", "13"]


def test_a_variant_1_month_ahead_of_its_working_days_and_the_day_its_hours_run_out(
    sla: Sla,
) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-11-01", "--months", "12", env=NOW)  # fmt: skip
    for n, day in enumerate(WORKED):
        sla.ok("log", "1h", f"ACME-{n + 1}", "--on", f"2026-11-{day}", env=NOW)
    out = sla.ok("contract", "show", "ACME", env=NOW).stdout
    # 9 h of 15 (60 %) with 9 of November's 20 working days gone (45 %)
    assert "this month: 9:00 of 15:00 used: ahead" in out
    # 1 h a working day since the start: 6 h left are spent on 16–20 and the 23rd
    assert (
        "forecast at 1:00 a working day (last 30 days: 9:00 over 9 working days): the month's "
        "hours run out on 2026-11-23"
    ) in out
    data = sla.ok("contract", "show", "ACME", "--format", "json", env=NOW).json()["forecast"]
    assert data["kind"] == "month" and data["status"] == "ahead" and data["used_minutes"] == 540
    assert data["recent"]["runs_out_on"] == "2026-11-23"
    assert data["recent"]["from"] == "2026-11-01" and data["recent"]["working_days"] == 9
    assert data["last_year"] is None


def test_a_package_runs_out_at_the_pace_of_the_last_30_days(sla: Sla) -> None:
    sla.ok("contract", "add", "Beta", "--key", "BETA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    for n, day in enumerate(WORKED):
        sla.ok("log", "30m", f"BETA-{n + 1}", "--on", f"2026-11-{day}", env=NOW)
    data = sla.ok("contract", "show", "BETA", "--format", "json", env=NOW).json()
    recent = data["forecast"]["recent"]
    # 15 October – 13 November: 21 working days, 4:30 worked: 12.9 minutes a working day;
    # 5:30 left last 25.7 working days: the 26th after the 13th is 21 December
    assert (recent["from"], recent["working_days"], recent["minutes"]) == ("2026-10-15", 21, 270)
    assert recent["minutes_per_working_day"] == 12.9
    assert data["balance_minutes"] == 330 and recent["runs_out_on"] == "2026-12-21"
    out = sla.ok("contract", "show", "BETA", env=NOW).stdout
    assert "the package runs out on 2026-12-21" in out


def test_no_forecast_from_fewer_than_five_working_days(sla: Sla) -> None:
    """A package signed on Tuesday the 10th: four working days by Friday."""
    sla.ok("contract", "add", "Beta", "--key", "BETA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-11-10", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "1h", "BETA-1", "--on", "2026-11-10", env=NOW)
    out = sla.ok("contract", "show", "BETA", env=NOW).stdout
    assert "forecast: fewer than 5 working days of data in the last 30 days" in out
    data = sla.ok("contract", "show", "BETA", "--format", "json", env=NOW).json()
    assert data["forecast"]["recent"] is None
