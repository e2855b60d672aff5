"""A timesheet arranges sums by engineer, day and client, and totals them."""

from __future__ import annotations

from datetime import date

from sla_cli.domain.timesheet import timesheet


def test_engineers_days_clients_and_totals() -> None:
    sheet = timesheet([
        ("vera", "BETA", date(2026, 10, 2), 60),
        ("anna", "ACME", date(2026, 10, 2), 30),
        ("anna", "BETA", date(2026, 10, 1), 45),
        ("anna", "ACME", date(2026, 10, 1), 15),
    ])  # fmt: skip
    anna, vera = sheet.engineers
    assert (anna.by, anna.minutes, vera.minutes, sheet.minutes) == ("anna", 90, 60, 150)
    assert [(d.on.day, d.minutes, d.clients) for d in anna.days] == [
        (1, 60, (("ACME", 15), ("BETA", 45))),
        (2, 30, (("ACME", 30),)),
    ]
    assert anna.clients == (("ACME", 45), ("BETA", 45))
    assert sheet.clients == (("ACME", 45), ("BETA", 105))
    assert timesheet([]).minutes == 0
