"""The config's optional ``[engineers]`` table: each engineer's cost per hour, as
``"NAME" = 1500`` (the name as entries record it, in the config's currency), for the margins
`sla trends` prints. No table: no margins."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sla_cli.config.toml_table import TomlTable

SECTION = "engineers"


def engineer_costs(data: Mapping[str, Any], source: str) -> tuple[tuple[str, Decimal], ...] | None:
    """Each engineer's cost per hour, by name; None without an ``[engineers]`` table."""
    if SECTION not in data:
        return None
    t = TomlTable(source, data).table(SECTION)
    return tuple((name, t.money(name)) for name in sorted(t.data))
