"""The built-in config: every number of the offer, the header `sla init` writes above it, and
writing a config (`sla init`, the demo).

A changed offer is a config edit, not a release; these are the values a missing key takes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HEADER = """\
# sla configuration.
#
# The numbers of the offer «Варианты уровней соглашения SLA»: tiers, minimum terms, prepayment
# discounts, SLA targets, hour-discount maxima and the custom-development cap.
#
# PRICES ARE EXAMPLES. The offer publishes no prices: `hour_rate` and every tier `price` below are
# placeholders to replace with your own before quoting anyone.
#
# Prepayment thresholds are read literally: «более 6 месяцев» is 7 months or more (min_months = 7),
# «более 12» is 13 or more, «3 месяца и более» is 3 or more.
#
# Money is written as a string ("3000.00") so that it stays exact.
#
# Invoices and acts (`sla invoice`, `sla act`) print the [company] details: full_name, inn (ИНН),
# kpp (КПП), ogrn (ОГРН/ОГРНИП), address, bank, bik (БИК), account, corr_account, signatory;
# each is checked as written (check digits, lengths, the accounts against the БИК). VAT:
# billing.vat = "none" prints «Без НДС»; a rate ("20") is included in the prices, or added on top
# with vat_included = false. An invoice is due billing.payment_days days after its date.
"""


def _tier(key: str, name: str, name_en: str, hours: int | None, price: str) -> dict[str, Any]:
    tier: dict[str, Any] = {"key": key, "name": name, "name_en": name_en}
    if hours is not None:
        tier["hours"] = hours
    tier["price"] = price
    return tier


DEFAULTS: dict[str, Any] = {
    "company": {
        "name": "КИТ Консалтинг",
        "timezone": "Europe/Moscow",
        "currency": "RUB",
        # the supplier's details on invoices and acts (`sla invoice`, `sla act`); empty: unset
        "full_name": "",
        "inn": "",
        "kpp": "",
        "ogrn": "",
        "address": "",
        "bank": "",
        "bik": "",
        "account": "",
        "corr_account": "",
        "signatory": "",
    },
    "billing": {
        "prices_are_examples": True,
        "hour_rate": "3000.00",
        "increment_minutes": 1,
        "refuse_overdraft": False,
        # VAT on invoices and acts: "none" («Без НДС»), or a rate in percent such as "20",
        # included in the prices or (vat_included = false) added on top
        "vat": "none",
        "vat_included": True,
        "payment_days": 10,  # an invoice is due this many days after its date
    },
    "sla": {
        "at_risk_percent": 75,
        # the clocks a wait for the client stops: reaction, start, resolve
        "pausing_clocks": ["start", "resolve"],
    },
    "notify": {  # `sla notify`: levels, routes (Apprise URLs) and hours alerts
        "lang": "ru",
        "retry_seconds": 120,  # a failed delivery is tried again after this, then twice as long
        "abandoned_seconds": 600,  # one begun by a run that died (killed), after this
        "routes": [],  # [[notify.routes]] name, url | url_env | url_file, always
        "levels": [
            {"name": "at_risk", "at_percent": 75},
            {"name": "breached", "after_breach_minutes": 0},
            {"name": "escalation", "after_breach_minutes": 120},
        ],
        "hours": {
            "used_percent": [80, 100],
            "package_below_hours": 5,
            "dev_cap_warn_hours": 5,
            "to": [],
        },
    },
    "intake": {  # `sla intake`: incidents from client mail
        "senders": {},  # [intake.senders] "name@example.ru" or "example.ru" = "CLIENT KEY"
        "priorities": {},  # [intake.priorities] a subject keyword = a priority ("срочно" = "high")
        "resume_waiting": True,  # a client's reply resumes an incident waiting for the client
        "reopen_days": 7,  # a reply this many days after the resolution reopens it (0: never)
        "max_message_mb": 25,  # a larger message is set aside
        # [intake.imap] host, port (993), user, folder (INBOX), password_env | password_file
        # (a file only its owner may read), ca_file
        "imap": {},
    },
    "ledger": {  # seconds a command waits before it says the ledger is unavailable (exit 75)
        "connect_timeout_seconds": 10,
        "lock_timeout_seconds": 30,
        "statement_timeout_seconds": 120,
    },
    "schedule": {
        "country": "RU",
        "day_start": "09:00",
        "day_end": "19:00",
        "weekdays": [1, 2, 3, 4, 5],
        "extra_holidays": [],
        "extra_workdays": [],
        "shorten_preholiday": False,
    },
    "variants": {
        "1": {
            "name": "Комплексное абонентское обслуживание",
            "name_en": "Comprehensive subscription support",
            "billing": "monthly",
            "burns": True,
            "min_months": 3,
            "reaction_hours": 2,
            "start_hours": 4,
            "max_hour_discount_percent": 15,
            "dev_cap_hours": 40,
            "prepay_discounts": [
                {"min_months": 7, "percent": 5},
                {"min_months": 13, "percent": 10},
            ],
            "tiers": [
                _tier("minimal", "Минимальный", "Minimal", 10, "28500.00"),
                _tier("basic", "Базовый", "Basic", 15, "42000.00"),
                _tier("optimal", "Оптимальный", "Optimal", 25, "67500.00"),
                _tier("extended", "Расширенный", "Extended", 40, "102000.00"),
            ],
        },
        "2": {
            "name": "Безлимитное комплексное абонентское обслуживание",
            "name_en": "Unlimited comprehensive subscription support",
            "billing": "monthly",
            "burns": False,
            "min_months": 1,
            "reaction_hours": 1,
            "start_hours": 3,
            "max_hour_discount_percent": 50,
            "prepay_discounts": [{"min_months": 3, "percent": 10}],
            "tiers": [_tier("standard", "Стандартный", "Standard", None, "250000.00")],
        },
        "3": {
            "name": "Сопровождение и поддержка без «сгорания часов»",
            "name_en": "Support without burning hours",
            "billing": "package",
            "burns": False,
            "reaction_hours": 3,
            "start_hours": 6,
            "max_hour_discount_percent": 15,
            "prepay_discounts": [],
            "tiers": [
                _tier("minimal", "Минимальный", "Minimal", 10, "29000.00"),
                _tier("basic", "Базовый", "Basic", 15, "42750.00"),
                _tier("optimal", "Оптимальный", "Optimal", 30, "81000.00"),
                _tier("maximal", "Максимальный", "Maximal", 50, "127500.00"),
            ],
        },
    },
}


def default_document() -> dict[str, Any]:
    """The config that `sla init` writes: the built-in defaults, every key spelled out (a
    copy: changing it leaves the defaults as they are)."""
    return copy.deepcopy(DEFAULTS)


def write_config(path: Path, document: Mapping[str, Any], *, force: bool = False) -> None:
    """Write the config atomically: a temporary file in the same folder, then a rename.

    A new config (and any folder made for it) is readable by its owner only; one that exists
    keeps its permissions."""
    import tomli_w  # only `sla init` and the demo write a config

    from sla_cli.errors import ConfigError

    if path.exists() and not force:
        raise ConfigError(f"{path}: a config exists already; `sla init --force` overwrites it")
    from sla_cli.files import atomic_write, private_dir  # only `sla init` and the demo write

    private_dir(path.parent)
    atomic_write(path, HEADER + "\n" + tomli_w.dumps(document), private=True)
