"""`sla notify` with nothing to send, against `sla breaches` on the same ledger.

    python bench/notify.py [--contracts N] [--incidents N] [--rounds N]

Builds an SQLite ledger of ``--contracts`` (default 500) variant 1 contracts and ``--incidents``
(default 10,000) open incidents, each opened five minutes before the moment the commands are
about (no level reached: nothing to send), with a route to a webhook nobody listens on. Then
`sla notify` and `sla breaches` run in turns ``--rounds`` times (default 5) and the medians are
printed with their ratio. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, sla_command

from sla_cli.config.defaults import default_document, write_config
from sla_cli.store.engine import open_ledger

NOW = "2026-11-24T12:00:00+03:00"
OPENED = "2026-11-24 08:55:00.000000"  # 11:55 in Moscow, in UTC
CREATED = "2026-11-01 09:00:00.000000"


def build(path: Path, contracts: int, incidents: int) -> None:
    open_ledger(f"sqlite:///{path}", create=True).engine.dispose()
    db = sqlite3.connect(path)
    for i in range(1, contracts + 1):
        db.execute(
            "INSERT INTO clients (id, key, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
            (i, f"C{i:04d}", f"Client {i}", CREATED, "bench"),
        )
        db.execute(
            "INSERT INTO contracts (id, client_id, variant, billing, burns, tier_key, tier_name,"
            " included_minutes, price_kopecks, prepay_discount_bp, hour_rate_kopecks,"
            ' hour_discount_bp, dev_cap_minutes, reaction_minutes, start_minutes, start, "end",'
            " months, prepaid_months, timezone, created_at, created_by, variant_name,"
            " variant_name_en, tier_name_en) VALUES (?, ?, 1, 'monthly', 1, 'basic', 'Базовый',"
            " 900, 4200000, 0, 300000, 0, 2400, 120, 240, '2026-11-01', '2027-11-01', 12, 1,"
            " NULL, ?, 'bench', 'Вариант', 'Variant', 'Basic')",
            (i, i, CREATED),
        )
    db.executemany(
        "INSERT INTO incidents (contract_id, client_id, ticket, opened_at, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, 'bench')",
        [(n % contracts + 1, n % contracts + 1, f"C{n % contracts + 1:04d}-{n}", OPENED, OPENED)
         for n in range(incidents)],
    )  # fmt: skip
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sla-notify-"))
    config = root / "config.toml"
    doc = default_document()
    doc["notify"]["routes"] = [{"name": "hook", "url": "json://127.0.0.1:9/"}]
    write_config(config, doc)
    build(root / "ledger.db", args.contracts, args.incidents)
    env = {"SLA_CONFIG": str(config), "SLA_DATABASE_URL": f"sqlite:///{root / 'ledger.db'}",
           "SLA_NOW": NOW, "SLA_USER": "bench"}  # fmt: skip
    sla = sla_command()
    notify, breaches = interleaved(
        [([*sla, "notify"], env), ([*sla, "breaches", "--month", "2026-11"], env)], args.rounds
    )
    print(f"{args.contracts} contracts, {args.incidents:,} open incidents, nothing to send")
    print(f"sla notify    {notify * 1000:7.0f} ms")
    print(f"sla breaches  {breaches * 1000:7.0f} ms")
    print(f"ratio         {notify / breaches:7.2f}×")


if __name__ == "__main__":
    main()
