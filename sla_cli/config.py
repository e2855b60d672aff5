"""The TOML config: reading (tomllib) and checking it, writing (tomli-w), platform paths.

The built-in values live in ``sla_cli.defaults``; a key the file leaves out takes them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sla_cli.defaults import APP_NAME, DEFAULTS, HEADER
from sla_cli.domain.kinds import Billing
from sla_cli.domain.money import to_decimal
from sla_cli.domain.tariffs import Catalog, PrepayDiscount, Tier, VariantTerms
from sla_cli.errors import ConfigError, InputError

if TYPE_CHECKING:
    from sla_cli.domain.calendar import Schedule


@dataclass(frozen=True)
class Settings:
    """The config, parsed and checked."""

    company_name: str
    timezone: str
    catalog: Catalog
    increment_minutes: int
    refuse_overdraft: bool
    at_risk_percent: int
    day_start: time
    day_end: time
    weekdays: frozenset[int]  # Monday = 0
    country: str
    extra_holidays: frozenset[date]
    extra_workdays: frozenset[date]
    shorten_preholiday: bool
    source: Path | None = None  # the file it was read from; None for built-in defaults

    def schedule(self) -> Schedule:
        from sla_cli.domain.calendar import Schedule

        return Schedule(
            timezone=self.timezone,
            day_start=self.day_start,
            day_end=self.day_end,
            weekdays=self.weekdays,
            country=self.country,
            extra_holidays=self.extra_holidays,
            extra_workdays=self.extra_workdays,
            shorten_preholiday=self.shorten_preholiday,
        )


# --- paths -----------------------------------------------------------------------------------


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config``, else ``SLA_CONFIG``, else the platform's user config folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("SLA_CONFIG")
    if env:
        return Path(env).expanduser()
    return default_config_path()


# --- reading -----------------------------------------------------------------------------------


class _Reader:
    """Typed access to a TOML table that names the file and the key in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {problem}")

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a table, got {type(value).__name__}")
        return value

    def get(self, data: Mapping[str, Any], key: str, path: str, kind: type, default: Any) -> Any:
        value = data.get(key, default)
        if kind is int and isinstance(value, bool):
            raise self.fail(path, f"expected a whole number, got {value!r}")
        if not isinstance(value, kind):
            names = {int: "a whole number", str: "a string", bool: "true or false", list: "a list"}
            raise self.fail(path, f"expected {names.get(kind, kind.__name__)}, got {value!r}")
        return value

    def decimal(self, data: Mapping[str, Any], key: str, path: str, default: Any) -> Decimal:
        value = data.get(key, default)
        try:
            result = to_decimal(value)
        except ValueError:
            raise self.fail(path, f"expected a number, got {value!r}") from None
        if result < 0:
            raise self.fail(path, f"must not be negative, got {value!r}")
        return result

    def positive(self, data: Mapping[str, Any], key: str, path: str, default: Any) -> int:
        value: int = self.get(data, key, path, int, default)
        if value <= 0:
            raise self.fail(path, f"must be a positive whole number, got {value!r}")
        return value

    def clock(self, data: Mapping[str, Any], key: str, path: str, default: str) -> time:
        text = self.get(data, key, path, str, default)
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise self.fail(path, f"expected a time like 09:00, got {text!r}")
        return time(int(m[1]), int(m[2]))

    def dates(self, data: Mapping[str, Any], key: str, path: str) -> frozenset[date]:
        out = set()
        for item in self.get(data, key, path, list, []):
            if isinstance(item, date):
                out.add(item)
                continue
            try:
                out.add(date.fromisoformat(str(item)))
            except ValueError:
                raise self.fail(path, f"expected dates like 2026-01-09, got {item!r}") from None
        return frozenset(out)


def _variant(r: _Reader, number: int, data: Mapping[str, Any]) -> VariantTerms:
    p = f"variants.{number}"
    billing: str = r.get(data, "billing", f"{p}.billing", str, "monthly")
    if billing not in ("monthly", "package"):
        raise r.fail(f"{p}.billing", f"expected 'monthly' or 'package', got {billing!r}")
    discounts = []
    for i, d in enumerate(r.get(data, "prepay_discounts", f"{p}.prepay_discounts", list, [])):
        dp = f"{p}.prepay_discounts[{i}]"
        if not isinstance(d, Mapping):
            raise r.fail(dp, "expected a table with min_months and percent")
        percent = r.decimal(d, "percent", f"{dp}.percent", None)
        if percent > 100:
            raise r.fail(f"{dp}.percent", f"must be at most 100, got {percent}")
        discounts.append(
            PrepayDiscount(r.positive(d, "min_months", f"{dp}.min_months", None), percent)
        )
    tiers = []
    for i, t in enumerate(r.get(data, "tiers", f"{p}.tiers", list, [])):
        tp = f"{p}.tiers[{i}]"
        if not isinstance(t, Mapping):
            raise r.fail(tp, "expected a table with key, name, hours and price")
        key = r.get(t, "key", f"{tp}.key", str, None)
        name = r.get(t, "name", f"{tp}.name", str, key)
        hours = None if t.get("hours") is None else r.positive(t, "hours", f"{tp}.hours", None)
        tiers.append(
            Tier(
                key=key,
                name=name,
                name_en=r.get(t, "name_en", f"{tp}.name_en", str, name),
                hours=hours,
                price=r.decimal(t, "price", f"{tp}.price", None),
            )
        )
    if not tiers:
        raise r.fail(f"{p}.tiers", "a variant needs at least one tier")
    keys = [t.key for t in tiers]
    if len(set(keys)) != len(keys):
        raise r.fail(f"{p}.tiers", f"tier keys must differ: {', '.join(keys)}")
    min_months = data.get("min_months")
    max_discount = r.decimal(data, "max_hour_discount_percent", f"{p}.max_hour_discount_percent", 0)
    if max_discount > 100:
        raise r.fail(f"{p}.max_hour_discount_percent", f"must be at most 100, got {max_discount}")
    cap = r.get(data, "dev_cap_hours", f"{p}.dev_cap_hours", int, 0)
    return VariantTerms(
        number=number,
        name=r.get(data, "name", f"{p}.name", str, f"Variant {number}"),
        name_en=r.get(data, "name_en", f"{p}.name_en", str, f"Variant {number}"),
        billing=billing_of(billing),
        burns=r.get(data, "burns", f"{p}.burns", bool, False),
        min_months=None
        if min_months is None
        else r.positive(data, "min_months", f"{p}.min_months", 1),
        prepay_discounts=tuple(sorted(discounts, key=lambda d: d.min_months)),
        reaction_minutes=_minutes(r, data, "reaction_hours", p),
        start_minutes=_minutes(r, data, "start_hours", p),
        max_hour_discount=max_discount,
        dev_cap_hours=cap or None,
        tiers=tuple(tiers),
    )


def billing_of(text: str) -> Billing:
    return Billing(text)


def _minutes(r: _Reader, data: Mapping[str, Any], key: str, p: str) -> int:
    hours = r.decimal(data, key, f"{p}.{key}", None)
    if hours <= 0:
        raise r.fail(f"{p}.{key}", f"must be positive, got {hours}")
    return int(hours * 60)


VARIANT_KEYS = frozenset(
    {
        "name", "name_en", "billing", "burns", "min_months", "reaction_hours", "start_hours",
        "max_hour_discount_percent", "dev_cap_hours", "prepay_discounts", "tiers",
    }
)  # fmt: skip
TIER_KEYS = frozenset({"key", "name", "name_en", "hours", "price"})


def _refuse_unknown_keys(r: _Reader, data: Mapping[str, Any]) -> None:
    """A misspelt key would silently fall back to a default: name it instead."""
    for section, value in data.items():
        if section not in DEFAULTS:
            raise r.fail(section, f"unknown section; known: {', '.join(DEFAULTS)}")
        if section == "variants" or not isinstance(value, Mapping):
            continue
        for key in value:
            if key not in DEFAULTS[section]:
                known = ", ".join(DEFAULTS[section])
                raise r.fail(f"{section}.{key}", f"unknown key; known: {known}")
    for number, variant in (data.get("variants") or {}).items():
        if not isinstance(variant, Mapping):
            continue
        for key in variant:
            if key not in VARIANT_KEYS:
                raise r.fail(f"variants.{number}.{key}", "unknown key")
        for i, tier in enumerate(variant.get("tiers") or []):
            for key in tier if isinstance(tier, Mapping) else ():
                if key not in TIER_KEYS:
                    raise r.fail(f"variants.{number}.tiers[{i}].{key}", "unknown key")


def parse_settings(data: Mapping[str, Any], source: str = "built-in defaults") -> Settings:
    """Check a TOML document and turn it into ``Settings``; missing keys take the defaults."""
    r = _Reader(source)
    _refuse_unknown_keys(r, data)
    merged = _merge(DEFAULTS, data)
    company = r.table(merged, "company", "company")
    billing = r.table(merged, "billing", "billing")
    sla = r.table(merged, "sla", "sla")
    schedule = r.table(merged, "schedule", "schedule")
    variants_table = r.table(merged, "variants", "variants")
    hour_rate = r.decimal(billing, "hour_rate", "billing.hour_rate", "0")
    variants = []
    for key, value in variants_table.items():
        if not str(key).isdigit():
            raise r.fail(f"variants.{key}", "variants are numbered: [variants.1], [variants.2], …")
        if not isinstance(value, Mapping):
            raise r.fail(f"variants.{key}", "expected a table")
        variants.append(_variant(r, int(key), value))
    tz = r.get(company, "timezone", "company.timezone", str, "Europe/Moscow")
    if tz != DEFAULTS["company"]["timezone"]:  # the default is known good; skip the lookup
        _check_zone(r, tz, "company.timezone")
    weekdays = r.get(schedule, "weekdays", "schedule.weekdays", list, [1, 2, 3, 4, 5])
    if not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in weekdays):
        raise r.fail("schedule.weekdays", f"expected ISO weekday numbers 1–7, got {weekdays!r}")
    day_start = r.clock(schedule, "day_start", "schedule.day_start", "09:00")
    day_end = r.clock(schedule, "day_end", "schedule.day_end", "19:00")
    if day_end <= day_start:
        raise r.fail("schedule.day_end", "the working day must end after it starts")
    at_risk = r.get(sla, "at_risk_percent", "sla.at_risk_percent", int, 75)
    if not 1 <= at_risk <= 100:
        raise r.fail("sla.at_risk_percent", f"must be between 1 and 100, got {at_risk}")
    return Settings(
        company_name=r.get(company, "name", "company.name", str, ""),
        timezone=tz,
        catalog=Catalog(
            currency=r.get(company, "currency", "company.currency", str, "RUB"),
            hour_rate=hour_rate,
            variants=tuple(sorted(variants, key=lambda v: v.number)),
        ),
        increment_minutes=r.positive(billing, "increment_minutes", "billing.increment_minutes", 1),
        refuse_overdraft=r.get(
            billing, "refuse_overdraft", "billing.refuse_overdraft", bool, False
        ),
        at_risk_percent=at_risk,
        day_start=day_start,
        day_end=day_end,
        weekdays=frozenset(d - 1 for d in weekdays),
        country=_country(r, r.get(schedule, "country", "schedule.country", str, "RU")),
        extra_holidays=r.dates(schedule, "extra_holidays", "schedule.extra_holidays"),
        extra_workdays=r.dates(schedule, "extra_workdays", "schedule.extra_workdays"),
        shorten_preholiday=r.get(
            schedule, "shorten_preholiday", "schedule.shorten_preholiday", bool, False
        ),
    )


def _country(r: _Reader, code: str) -> str:
    """A production calendar the `holidays` package knows (checked only when not the default)."""
    if code != DEFAULTS["schedule"]["country"]:
        import holidays

        if code not in holidays.list_supported_countries():
            raise r.fail("schedule.country", f"no production calendar for {code!r}")
    return code


def _check_zone(r: _Reader, name: str, key: str) -> None:
    from sla_cli.timeparse import zone_exists

    if not zone_exists(name):
        raise r.fail(key, f"unknown time zone {name!r}")


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else in ``override`` replaces the default."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def load_settings(path: Path | None = None, *, required: bool = False) -> Settings:
    """Read the config at ``path``; a missing file gives the built-in defaults unless required."""
    target = path or config_path()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{target}: no such config file (`sla init` writes one)") from None
        return parse_settings({})
    except OSError as e:
        raise ConfigError(f"{target}: cannot read: {e.strerror}") from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{target}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{target}: not valid TOML: {e}") from None
    settings = parse_settings(data, str(target))
    return Settings(**{**settings.__dict__, "source": target})


# --- writing -----------------------------------------------------------------------------------


def default_document() -> dict[str, Any]:
    """The config that `sla init` writes: the built-in defaults, every key spelled out."""
    return _merge(DEFAULTS, {})


def write_config(path: Path, document: Mapping[str, Any], *, force: bool = False) -> None:
    """Write the config atomically: a temporary file in the same folder, then a rename."""
    import tomli_w

    if path.exists() and not force:
        raise ConfigError(f"{path}: a config exists already; `sla init --force` overwrites it")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, HEADER + "\n" + tomli_w.dumps(document))


def atomic_write(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    if not path.parent.is_dir():
        raise InputError(f"{path}: no folder {path.parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
