"""The work report the offer promises («Заказчик всегда знает, сколько часов и на что они были
потрачены»): every ticket of the month, with or without an incident, with its hours by kind,
engineers, days and log, adding up to the statement's hours used, in every format.

October 2026, built by hand (figures computed by hand below):
- ACME, variant 1 Basic: ACME-12 (an incident, «Не формируется счёт-фактура»): anna 2:00
  support on the 5th, boris 1:30 development on the 6th, anna 0:30 support on the 7th; ACME-40
  (no incident): vera 1:00 support on the 8th, note «Права доступа»; a 3:00 entry on ACME-40
  voided. Used: 5:00, 3:30 support and 1:30 development.
- BETA, variant 2 Standard: BETA-3 (no incident) 4:00 development by boris.
- GAMMA, variant 3 minimal package: GAMMA-1 (an incident, no title) 0:45 support by vera.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def _build(sla: Sla) -> None:
    for name, key, variant, tier, months in (
        ("Acme", "ACME", "1", "basic", ("--months", "12", "--start", "2026-09-01")),
        ("Beta", "BETA", "2", "standard", ("--months", "12")),
        ("Gamma", "GAMMA", "3", "minimal", ()),
    ):
        start = () if "--start" in months else ("--start", "2026-10-01")
        sla.ok("contract", "add", name, "--key", key, "--variant", variant, "--tier", tier,
               *start, *months, env=NOW)  # fmt: skip
    sla.ok("incident", "open", "ACME-12", "--at", "2026-10-05T10:00",
           "--title", "Не формируется счёт-фактура", env=NOW)  # fmt: skip
    sla.ok("incident", "ack", "ACME-12", "--at", "2026-10-05T10:30", env=NOW)
    sla.ok("incident", "open", "GAMMA-1", "--at", "2026-10-09T10:00", env=NOW)
    # September: reacted after 4 business hours (the target is 2), never started
    sla.ok("incident", "open", "ACME-5", "--at", "2026-09-15T10:00", env=NOW)
    sla.ok("incident", "ack", "ACME-5", "--at", "2026-09-15T14:00", env=NOW)
    logs = (
        ("2h", "ACME-12", "2026-10-05 --from 11:00", "anna", "support", "Разбор ошибки"),
        ("1h30m", "ACME-12", "2026-10-06", "boris", "dev", "Исправление"),
        ("30m", "ACME-12", "2026-10-07", "anna", "support", None),
        ("1h", "ACME-40", "2026-10-08", "vera", "support", "Права доступа"),
        ("4h", "BETA-3", "2026-10-12", "boris", "dev", "Отчёт по складу"),
        ("45m", "GAMMA-1", "2026-10-09", "vera", "support", "Диагностика"),
    )
    for duration, ticket, on, by, kind, note in logs:
        extra = ("--note", note) if note else ()
        sla.ok("log", duration, ticket, "--on", *on.split(), "--kind", kind, *extra,
               env={**NOW, "SLA_USER": by})  # fmt: skip
    logged = sla.ok("log", "3h", "ACME-40", "--on", "2026-10-08",
                    env={**NOW, "SLA_USER": "vera"}).text  # fmt: skip
    found = re.match(r"entry (\d+):", logged)
    assert found is not None, logged
    sla.ok("void", found[1], env=NOW)


def _statements(sla: Sla) -> dict[str, dict[str, Any]]:
    report = sla.ok("report", "--month", "2026-10", "-f", "json", env=NOW).json()
    return {st["client"]: st for st in report["statements"]}


def test_every_ticket_has_its_hours_engineers_days_and_log(sla: Sla) -> None:
    _build(sla)
    acme = _statements(sla)["ACME"]
    assert [t["ticket"] for t in acme["work"]] == ["ACME-12", "ACME-40"]  # most hours first
    twelve, forty = acme["work"]
    assert (twelve["title"], twelve["incident"]) == ("Не формируется счёт-фактура", True)
    assert (twelve["minutes"], twelve["support_minutes"], twelve["dev_minutes"]) == (240, 150, 90)
    assert twelve["engineers"] == ["anna", "boris"]
    assert twelve["days"] == ["2026-10-05", "2026-10-06", "2026-10-07"]
    assert [(e["on"], e["minutes"], e["kind"], e["by"], e["note"]) for e in twelve["entries"]] == [
        ("2026-10-05", 120, "support", "anna", "Разбор ошибки"),
        ("2026-10-06", 90, "dev", "boris", "Исправление"),
        ("2026-10-07", 30, "support", "anna", None),
    ]
    # no incident: titled by its first note; the voided 3 h and its void are left out
    assert (forty["title"], forty["incident"], forty["minutes"]) == ("Права доступа", False, 60)
    assert len(forty["entries"]) == 1
    # the tickets add up to the hours used, by kind too
    assert sum(t["minutes"] for t in acme["work"]) == acme["used_minutes"] == 300
    assert sum(t["support_minutes"] for t in acme["work"]) == acme["support_minutes"] == 210
    assert sum(t["dev_minutes"] for t in acme["work"]) == acme["dev_minutes"] == 90


def test_each_variant_and_a_closed_month_keep_the_same_report(sla: Sla) -> None:
    _build(sla)
    before = _statements(sla)
    beta, gamma = before["BETA"], before["GAMMA"]
    assert [(t["ticket"], t["dev_minutes"], t["incident"]) for t in beta["work"]] == [
        ("BETA-3", 240, False)
    ]
    # an incident without a title: the first note of its work
    assert [(t["ticket"], t["title"], t["incident"], t["minutes"]) for t in gamma["work"]] == [
        ("GAMMA-1", "Диагностика", True, 45)
    ]
    assert gamma["used_minutes"] == 45
    sla.ok("rollover", "--month", "2026-10", env=NOW)
    after = _statements(sla)
    assert {k: st["work"] for k, st in after.items()} == {k: st["work"] for k, st in before.items()}


def test_the_documents_show_the_work_report_as_detailed_as_asked(sla: Sla) -> None:
    _build(sla)
    month = ("report", "--month", "2026-10", "--client", "ACME")
    md = sla.ok(*month, "-f", "md", env=NOW).text
    assert "### Работы за месяц" in md
    assert (
        "| ACME-12 | Не формируется счёт-фактура | 2:30 | 1:30 | 4:00 | anna, boris | 5, 6, 7 |"
        in md
    )
    assert "| ACME-40 | Права доступа | 1:00 | 0:00 | 1:00 | vera | 8 |" in md
    assert "| **Итого** |  | **3:30** | **1:30** | **5:00** |  |  |" in md
    assert "Журнал работ" not in md  # the log only with --detail entries
    full = sla.ok(*month, "-f", "md", "--detail", "entries", env=NOW).text
    assert "- 06.10.2026 · 1:30 · boris · разработка · Исправление" in full
    assert "Работы за месяц" not in sla.ok(*month, "-f", "md", "--detail", "summary", env=NOW).text
    html = sla.ok(*month, "-f", "html", "--lang", "en", env=NOW).text
    assert '<table class="work">' in html and "<td>ACME-12</td>" in html
    assert "Work this month" in html
    # the terminal shows it when asked
    table = sla.ok(*month, "--detail", "tickets", env=NOW).text
    assert "Работы за месяц" in table and "ACME-40" in table
    assert "Работы за месяц" not in sla.ok(*month, env=NOW).text


def test_csv_gives_a_row_a_ticket_or_an_entry(sla: Sla) -> None:
    _build(sla)
    month = ("report", "--month", "2026-10", "-f", "csv")
    summary = list(csv.DictReader(io.StringIO(sla.ok(*month, env=NOW).text)))
    assert len(summary) == 3 and "work" not in summary[0]  # a row a client, as before
    tickets = list(csv.DictReader(io.StringIO(sla.ok(*month, "--detail", "tickets", env=NOW).text)))
    assert [(r["client"], r["ticket"], r["minutes"]) for r in tickets] == [
        ("ACME", "ACME-12", "240"),
        ("ACME", "ACME-40", "60"),
        ("BETA", "BETA-3", "240"),
        ("GAMMA", "GAMMA-1", "45"),
    ]
    assert tickets[0]["engineers"] == "anna; boris" and tickets[0]["incident"] == "true"
    entries = list(csv.DictReader(io.StringIO(sla.ok(*month, "--detail", "entries", env=NOW).text)))
    assert len(entries) == 6
    assert sum(int(r["minutes"]) for r in entries if r["client"] == "ACME") == 300


def tally(met: int, breached: int, running: int = 0) -> dict[str, object]:
    decided = met + breached
    percent = None if not decided else round(100 * met / decided, 1)
    return {"met": met, "breached": breached, "running": running, "count": decided + running,
            "percent_met": percent}  # fmt: skip


def test_sla_compliance_for_the_month_and_the_twelve_months(sla: Sla) -> None:
    """ACME-12 (October): reacted in 0:30, work began at 11:00 (1:00), both in time; ACME-5
    (September): reacted after 4:00 (2 h allowed), never started: both breached. GAMMA-1: no
    reaction, its work recorded only later: both breached."""
    _build(sla)
    found = _statements(sla)
    acme, gamma = found["ACME"]["compliance"], found["GAMMA"]["compliance"]
    assert acme["month"] == [
        {"clock": "reaction", **tally(1, 0)},
        {"clock": "start", **tally(1, 0)},
    ]
    assert acme["year"] == [{"clock": "reaction", **tally(1, 1)}, {"clock": "start", **tally(1, 1)}]
    assert (acme["median_reaction_minutes"], acme["median_start_minutes"]) == (30, 60)
    trend = {t["month"]: t["clocks"] for t in acme["trend"]}
    assert [t["month"] for t in acme["trend"]][::11] == ["2025-11", "2026-10"]  # twelve months
    assert trend["2026-09"] == [
        {"clock": "reaction", **tally(0, 1)},
        {"clock": "start", **tally(0, 1)},
    ]
    assert trend["2026-08"] == []
    assert gamma["month"] == [
        {"clock": "reaction", **tally(0, 1)},
        {"clock": "start", **tally(0, 1)},
    ]
    terminal = sla.ok("report", "--month", "2026-10", "--client", "ACME", env=NOW).text
    assert "Соблюдение сроков SLA: Acme (ACME)" in terminal
    assert re.search(
        r"Реакция\s+│\s+1 из 1 в срок \(100 %\)\s+│\s+1 из 2 в срок \(50 %\)", terminal
    )
    assert "Медиана: реакция 0:30, начало работ 1:00" in terminal
    beta = ("report", "--month", "2026-10", "--client", "BETA")
    assert "Соблюдение" not in sla.ok(*beta, env=NOW).text  # no incident: only when asked
    md = sla.ok("report", "--month", "2026-10", "--client", "ACME", "-f", "md", env=NOW).text
    assert "| Реакция | 1 из 1 в срок (100 %) | 1 из 2 в срок (50 %) |" in md
    assert "Медиана: реакция 0:30, начало работ 1:00 (рабочее время)." in md


def test_each_statement_counts_its_own_incidents_and_the_trend_the_clients(sla: Sla) -> None:
    """DELTA's first package ends on 14 October and a second begins on the 15th: DELTA-1 (on
    the first, 5 October 10:00, acknowledged at 10:20: met) and DELTA-2 (on the second, 20
    October 10:00, acknowledged at 15:00, five business hours for three: breached). Each
    statement's month and medians are its own incidents'; the twelve months are the client's."""
    sla.ok("contract", "add", "Delta", "--key", "DELTA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-09-01", env=NOW)  # fmt: skip
    sla.ok("contract", "end", "DELTA", "--on", "2026-10-14", env=NOW)
    sla.ok("contract", "add", "Delta", "--key", "DELTA", "--variant", "3", "--tier", "minimal",
           "--start", "2026-10-15", env=NOW)  # fmt: skip
    for ticket, opened, acked in (("DELTA-1", "2026-10-05T10:00", "2026-10-05T10:20"),
                                  ("DELTA-2", "2026-10-20T10:00", "2026-10-20T15:00")):  # fmt: skip
        sla.ok("incident", "open", ticket, "--at", opened, env=NOW)
        sla.ok("incident", "ack", ticket, "--at", acked, env=NOW)
    statements = sla.ok("report", "--month", "2026-10", "-f", "json", env=NOW).json()["statements"]
    first, second = (st["compliance"] for st in statements)
    assert [st["incidents"][0]["ticket"] for st in statements] == ["DELTA-1", "DELTA-2"]
    assert first["month"][0] == {"clock": "reaction", **tally(1, 0)}
    assert second["month"][0] == {"clock": "reaction", **tally(0, 1)}
    assert (first["median_reaction_minutes"], second["median_reaction_minutes"]) == (20, 300)
    for c in (first, second):
        assert c["year"][0] == {"clock": "reaction", **tally(1, 1)}
        assert c["trend"][-1] == {"month": "2026-10", "clocks": c["year"]}


def test_a_resolution_without_a_reaction_is_no_time_to_react(sla: Sla) -> None:
    """ACME-1 acknowledged after 40 minutes; ACME-2 resolved after 10 minutes without an
    acknowledgement (its clocks stop, met, but nobody reacted): the median reaction is 40."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("incident", "open", "ACME-1", "--at", "2026-10-05T10:00", env=NOW)
    sla.ok("incident", "ack", "ACME-1", "--at", "2026-10-05T10:40", env=NOW)
    sla.ok("incident", "open", "ACME-2", "--at", "2026-10-06T10:00", env=NOW)
    sla.ok("incident", "resolve", "ACME-2", "--at", "2026-10-06T10:10", env=NOW)
    (st,) = sla.ok("report", "--month", "2026-10", "-f", "json", env=NOW).json()["statements"]
    assert st["compliance"]["month"][0] == {"clock": "reaction", **tally(2, 0)}
    assert (
        st["compliance"]["median_reaction_minutes"],
        st["compliance"]["median_start_minutes"],
    ) == (40, None)
    md = sla.ok("report", "--month", "2026-10", "-f", "md", env=NOW).text
    assert "Медиана: реакция 0:40, начало работ — (рабочее время)." in md  # none started


def test_a_ticket_is_titled_only_by_incidents_opened_by_the_end_of_the_month(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "1h", "ACME-9", "--on", "2026-10-05", "--note", "Настройка VPN", env=NOW)
    october = ("report", "--month", "2026-10", "-f", "json")
    before = sla.ok(*october, env=NOW).json()["statements"][0]["work"]
    sla.ok("incident", "open", "ACME-9", "--at", "2026-11-02T10:00", "--title", "Другое", env=NOW)
    (ticket,) = sla.ok(*october, env=NOW).json()["statements"][0]["work"]
    assert ticket == before[0]
    assert (ticket["title"], ticket["incident"]) == ("Настройка VPN", False)
