"""A 14-month ledger written by hand for `sla trends` (October 2025 – November 2026 closed,
December 2026 open), every figure of it worked out in the tests beside it.

Company schedule: Monday–Friday 9:00–19:00 Europe/Moscow, the Russian production calendar;
base rate 3000.00 an hour, no hour discounts, nothing prepaid. Engineers' costs per hour:
ivan 1500, petr 1000; olga has none.

ACME, variant 1 «Базовый» (15 h = 900 min a month, fee 42000.00), 2025-10-01 for 16 months;
priorities normal (2 h / 4 h) and urgent (30 min / 1 h / resolve 8 h):
    2025-10  ivan 10 h                  burns 5 h
    2025-11  nothing                    burns 15 h
    2025-12  petr 4 h                   burns 11 h
    2026-01 … 2026-09  nothing          burns 15 h each
    2026-10  ivan 12 h, petr 8 h        5 h beyond the tier: 5 × 3000 = 15000.00 (due 57000.00)
    2026-11  ivan 8 h + 7 h (16th, 17th)  exactly 15 h
    2026-12  ivan 3 h (1st), petr 3 h (14th): open
BETA, variant 3: «Минимальный» package (10 h, 29000.00) bought 2025-10-01, «Базовый» (15 h,
42750.00) on 2026-10-01:
    2025-10  olga 4 h                   carries 6 h
    2026-09  olga 8 h                   6 − 8 = −2 h: overdraft 2 × 3000 = 6000.00, back to 0
    2026-10  ivan 5 h, +15 h bought     carries 10 h
    2026-12  olga 3 h on the 1st, 2nd and 3rd: open
GAMMA, variant 2 «Стандартный» (unlimited, 250000.00 a month), 2026-06-01 for 6 months:
    2026-07  petr 3 h support, 2 h development: 2 × 3000 = 6000.00 (due 256000.00)

Incidents (business minutes to react and to start; outcome):
    ACME-1   Mon 2025-10-06 10:00 normal   ack 10:30 (30), start 11:00 (60): both met
    GAMMA-1  Sat 2026-07-04 11:00 normal   counts from Mon 9:00; ack 9:45 (45 ≤ 60),
             start 11:00 (120 ≤ 180): both met
    BETA-1   Mon 2026-09-14 09:00 normal   ack 13:00 (240 > 180), start Tue 10:00
             (600 + 60 = 660 > 360): both breached
    ACME-2   Mon 2026-10-05 18:00 normal   ack Tue 11:00 (60 + 120 = 180 > 120): breached;
             start Tue 12:00 (60 + 180 = 240 ≤ 240): met
    ACME-3   Fri 2026-11-13 14:00 urgent   ack 14:15 (15), start 15:00 (60 ≤ 60), resolved
             Mon 16th 12:00 (300 + 180 = 480 ≤ 480): all three met
"""

from __future__ import annotations

from pathlib import Path

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla

NOW = {"SLA_NOW": "2026-12-15T12:00:00+03:00"}  # a Tuesday
PRIORITIES = [
    {"key": "normal", "reaction_hours": 2, "start_hours": 4},
    {"key": "urgent", "reaction_hours": 0.5, "start_hours": 1, "resolve_hours": 8},
]

WORK = [  # duration, ticket, day, engineer, kind
    ("10h", "ACME-100", "2025-10-15", "ivan", "support"),
    ("4h", "ACME-100", "2025-12-10", "petr", "support"),
    ("12h", "ACME-101", "2026-10-06", "ivan", "support"),
    ("8h", "ACME-101", "2026-10-07", "petr", "support"),
    ("8h", "ACME-102", "2026-11-16", "ivan", "support"),
    ("7h", "ACME-102", "2026-11-17", "ivan", "support"),
    ("3h", "ACME-103", "2026-12-01", "ivan", "support"),
    ("3h", "ACME-103", "2026-12-14", "petr", "support"),
    ("4h", "BETA-50", "2025-10-20", "olga", "support"),
    ("8h", "BETA-50", "2026-09-15", "olga", "support"),
    ("5h", "BETA-51", "2026-10-08", "ivan", "support"),
    ("3h", "BETA-52", "2026-12-01", "olga", "support"),
    ("3h", "BETA-52", "2026-12-02", "olga", "support"),
    ("3h", "BETA-52", "2026-12-03", "olga", "support"),
    ("3h", "GAMMA-20", "2026-07-06", "petr", "support"),
    ("2h", "GAMMA-20", "2026-07-07", "petr", "dev"),
]

INCIDENTS = [  # ticket, priority, opened, ack, start, resolved
    ("ACME-1", "normal", "2025-10-06T10:00", "2025-10-06T10:30", "2025-10-06T11:00",
     "2025-10-06T15:00"),
    ("GAMMA-1", "normal", "2026-07-04T11:00", "2026-07-06T09:45", "2026-07-06T11:00",
     "2026-07-06T16:00"),
    ("BETA-1", "normal", "2026-09-14T09:00", "2026-09-14T13:00", "2026-09-15T10:00",
     "2026-09-15T18:00"),
    ("ACME-2", "normal", "2026-10-05T18:00", "2026-10-06T11:00", "2026-10-06T12:00",
     "2026-10-06T17:00"),
    ("ACME-3", "urgent", "2026-11-13T14:00", "2026-11-13T14:15", "2026-11-13T15:00",
     "2026-11-16T12:00"),
]  # fmt: skip


def configure(config: Path) -> None:
    doc = default_document()
    doc["variants"]["1"]["priorities"] = PRIORITIES
    doc["engineers"] = {"ivan": "1500", "petr": "1000"}
    write_config(config, doc, force=True)


def build(sla: Sla) -> None:
    """The ledger, through the command line as people would type it, then every month closed
    up to November 2026."""
    configure(sla.config)
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2025-10-01", "--months", "16", env=NOW)  # fmt: skip
    sla.ok("contract", "add", "Beta", "--key", "BETA", "--variant", "3", "--tier", "minimal",
           "--start", "2025-10-01", "--months", "24", env=NOW)  # fmt: skip
    sla.ok("contract", "add", "Gamma", "--key", "GAMMA", "--variant", "2", "--tier", "standard",
           "--start", "2026-06-01", "--months", "6", env=NOW)  # fmt: skip
    sla.ok("contract", "topup", "BETA", "--tier", "basic", "--on", "2026-10-01", env=NOW)
    for ticket, priority, opened, ack, start, resolved in INCIDENTS:
        sla.ok("incident", "open", ticket, "--at", opened, "--priority", priority, env=NOW)
        sla.ok("incident", "ack", ticket, "--at", ack, env=NOW)
        sla.ok("incident", "start", ticket, "--at", start, env=NOW)
        sla.ok("incident", "resolve", ticket, "--at", resolved, env=NOW)
    for duration, ticket, day, engineer, kind in WORK:
        sla.ok("log", duration, ticket, "--on", day, "--by", engineer, "--kind", kind, env=NOW)
    sla.ok("rollover", env=NOW)
