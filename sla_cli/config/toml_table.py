"""One table of the TOML config and where it sits, so that every error names the file and key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from sla_cli.domain.money import MAX_MONEY, to_decimal
from sla_cli.domain.text import control_character
from sla_cli.errors import ConfigError, InputError

__all__ = ["TomlTable"]

_KINDS = {int: "a whole number", str: "a string", bool: "true or false", list: "a list"}


class TomlTable:
    """One TOML table and where it sits, so that every error names the file and the key."""

    def __init__(self, source: str, data: Mapping[str, Any], path: str = "") -> None:
        self.source = source
        self.data = data
        self.path = path

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self.key(key)}: {problem}")

    def table(self, key: str) -> TomlTable:
        value = self.data.get(key, {})
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected a table, got {type(value).__name__}")
        return TomlTable(self.source, value, self.key(key))

    def tables(self, key: str, hint: str) -> list[TomlTable]:
        """An array of tables, such as ``[[variants.1.tiers]]``."""
        out = []
        for i, item in enumerate(self.get(key, list, [])):
            path = f"{self.key(key)}[{i}]"
            if not isinstance(item, Mapping):
                raise ConfigError(f"{self.source}: {path}: expected a table with {hint}")
            out.append(TomlTable(self.source, item, path))
        return out

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        value = self.data.get(key, default)
        if kind is int and isinstance(value, bool):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        if not isinstance(value, kind):
            raise self.fail(key, f"expected {_KINDS.get(kind, kind.__name__)}, got {value!r}")
        if isinstance(value, str):
            at = control_character(value)
            if at is not None:  # names reach statements, terminals and other people's screens
                code = f"U+{ord(value[at]):04X}"
                raise self.fail(key, f"holds a control character ({code}); write plain text")
        return value

    def decimal(self, key: str, default: Any = None) -> Decimal:
        value = self.data.get(key, default)
        try:
            result = to_decimal(value)
        except InputError:
            raise self.fail(key, f"expected a number, got {value!r}") from None
        if result < 0:
            raise self.fail(key, f"must not be negative, got {value!r}")
        return result

    def money(self, key: str) -> Decimal:
        """An amount the ledger can hold: not negative, at most a 64-bit count of kopecks."""
        value = self.decimal(key)
        if value > MAX_MONEY:
            raise self.fail(key, f"must be at most {MAX_MONEY}, got {value}")
        return value

    def percent(self, key: str, default: Any = None) -> Decimal:
        value = self.decimal(key, default)
        if value > 100:
            raise self.fail(key, f"must be at most 100, got {value}")
        return value

    def positive(self, key: str, default: Any = None, most: int | None = None) -> int:
        value: int = self.get(key, int, default)
        if value <= 0:
            raise self.fail(key, f"must be a positive whole number, got {value!r}")
        if most is not None and value > most:
            raise self.fail(key, f"must be at most {most}, got {value!r}")
        return value

    def clock(self, key: str) -> time:
        text = self.get(key, str)
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise self.fail(key, f"expected a time like 09:00, got {text!r}")
        return time(int(m[1]), int(m[2]))

    def dates(self, key: str) -> frozenset[date]:
        out = set()
        for item in self.get(key, list, []):
            if isinstance(item, date):
                out.add(item)
                continue
            try:
                out.add(date.fromisoformat(str(item)))
            except ValueError:
                raise self.fail(key, f"expected dates like 2026-01-09, got {item!r}") from None
        return frozenset(out)
