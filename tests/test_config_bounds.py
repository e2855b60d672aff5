"""The config's numbers have bounds: what the ledger can hold and what makes sense."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sla_cli.config import load_settings
from sla_cli.errors import ConfigError

BIG = "92233720368547759"  # one rouble more than a 64-bit count of kopecks holds


def priority(key: str = "p", count: int = 1, resolve_hours: float = 10) -> str:
    """``count`` priorities of variant 1, the n-th keyed ``key`` with n in front but the first."""
    return "".join(
        f'[[variants.1.priorities]]\nkey = "{(str(n) + key)[: len(key)] if n else key}"\n'
        f"reaction_hours = 1\nstart_hours = 1\nresolve_hours = {resolve_hours}\n"
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[billing]\nincrement_minutes = 0\n", "billing.increment_minutes: must be a positive"),
        ("[billing]\nincrement_minutes = 61\n", "billing.increment_minutes: must be at most 60"),
        ("[schedule]\nweekdays = []\n", "schedule.weekdays: at least one working day"),
        (
            "[variants.1]\nreaction_hours = 5\nstart_hours = 4\n",
            "variants.1.reaction_hours: must not exceed start_hours",
        ),
        ("[variants.1]\ndev_cap_hours = -1\n", "variants.1.dev_cap_hours: must not be negative"),
        (f'[billing]\nhour_rate = "{BIG}"\n', "billing.hour_rate: must be at most"),
        ('[billing]\nhour_rate = "-1"\n', "billing.hour_rate: must not be negative"),
        (
            f'[[variants.1.tiers]]\nkey = "x"\nhours = 10\nprice = "{BIG}"\n',
            "variants.1.tiers[0].price: must be at most",
        ),
        (
            '[[variants.1.tiers]]\nkey = "x"\nprice = "100"\n',
            "variants.1.tiers[0].hours: a tier whose unused hours burn needs its hours",
        ),
        (
            '[[variants.3.tiers]]\nkey = "x"\nhours = 1000000\nprice = "100"\n',
            "variants.3.tiers[0].hours: must be at most 100000",
        ),
        (
            "[variants.1]\nreaction_hours = 10001\nstart_hours = 10001\n",
            "variants.1.reaction_hours: must be at most 10000",
        ),
        ("[variants.1]\nreaction_hours = 0.01\n", "variants.1.reaction_hours: must be at least"),
        (priority(key="k" * 33), "variants.1.priorities[0].key: must be at most 32 characters"),
        (
            priority(resolve_hours=0.5),
            "variants.1.priorities[0].resolve_hours: must not be less than start_hours",
        ),
        (priority(count=21), "variants.1.priorities: at most 20 a variant, got 21"),
    ],
)
def test_values_out_of_bounds_are_named(
    custom_config: Callable[[str], Path], text: str, message: str
) -> None:
    path = custom_config(text)
    with pytest.raises(ConfigError) as e:
        load_settings(path)
    assert str(path) in e.value.message and message in e.value.message


@pytest.mark.parametrize(
    "text",
    [
        "[billing]\nincrement_minutes = 60\n",
        "[schedule]\nweekdays = [6]\n",
        "[variants.1]\nreaction_hours = 4\nstart_hours = 4\n",
        "[variants.1]\ndev_cap_hours = 0\n",
        '[[variants.2.tiers]]\nkey = "x"\nprice = "92233720368547758.07"\n',  # unlimited: no burn
        "[variants.1]\nreaction_hours = 0.0167\nstart_hours = 10000\n",  # a minute; 10,000 h
        priority(key="k" * 32, count=20, resolve_hours=10_000),
    ],
)
def test_values_at_the_bounds_are_accepted(custom_config: Callable[[str], Path], text: str) -> None:
    load_settings(custom_config(text))


def test_a_byte_order_mark_is_accepted(custom_config: Callable[[str], Path]) -> None:
    path = custom_config("")
    path.write_bytes(b"\xef\xbb\xbf[billing]\nincrement_minutes = 15\n")
    assert load_settings(path).increment_minutes == 15


def test_the_most_priorities_fit_the_ledger(custom_config: Callable[[str], Path]) -> None:
    """A contract's snapshot of the most and longest priorities, and any key, fit its columns."""
    from sla_cli.store.convert import priorities_to_json
    from sla_cli.store.models import Contract, Incident, IncidentEvent

    settings = load_settings(custom_config(priority(key="k" * 32, count=20, resolve_hours=10_000)))
    table = settings.catalog.variant(1).priority_table
    assert len(table) == 20 and {len(p.key) for p in table} == {32}
    assert len(priorities_to_json(table)) <= Contract.__table__.c.priorities.type.length
    assert Incident.__table__.c.priority.type.length == 32
    assert IncidentEvent.__table__.c.value.type.length == 32
