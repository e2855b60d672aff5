"""The TOML config: reading (tomllib) and checking it, writing (tomli-w), platform paths.

The built-in values live in ``sla_cli.config.defaults``; a key the file leaves out takes them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from sla_cli import APP_NAME
from sla_cli.config.defaults import DEFAULTS, HEADER
from sla_cli.config.engineers import SECTION as ENGINEERS
from sla_cli.config.engineers import engineer_costs
from sla_cli.config.intake import intake_terms
from sla_cli.config.notify import notify_terms
from sla_cli.config.toml_table import TomlTable as _Table
from sla_cli.domain.alerts import NotifyTerms
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.intake import IntakeTerms
from sla_cli.domain.kinds import Billing
from sla_cli.domain.requisites import Party, VatTerms, party_problems
from sla_cli.domain.schedule import Schedule, ScheduleError
from sla_cli.domain.tariffs import (
    MAX_PRIORITIES,
    MAX_PRIORITY_KEY,
    MAX_TARGET_HOURS,
    Catalog,
    PrepayDiscount,
    Priority,
    Tier,
    VariantTerms,
)
from sla_cli.errors import ConfigError
from sla_cli.timeparse import zone_exists

__all__ = ["DEFAULTS", "HEADER", "Settings", "config_path", "default_config_path",
           "load_settings", "parse_settings"]  # fmt: skip


class Settings(NamedTuple):
    """The config, parsed and checked."""

    company_name: str
    catalog: Catalog
    increment_minutes: int
    refuse_overdraft: bool
    at_risk_percent: int
    schedule: Schedule  # working days and hours, in the company time zone
    # seconds to wait for the database: to connect, for a lock, for one statement
    ledger_timeouts: tuple[int, int, int] = (10, 30, 120)
    # the SLA clocks that stop counting while an incident waits for the client
    pausing_clocks: frozenset[str] = frozenset({"start", "resolve"})
    source: Path | None = None  # the file it was read from; None for built-in defaults
    notify: NotifyTerms = NotifyTerms()  # `sla notify`
    supplier: Party = Party("")  # the company's details on closing documents
    vat: VatTerms = VatTerms()
    payment_days: int = 10
    intake: IntakeTerms = IntakeTerms()  # `sla intake`
    engineer_costs: tuple[tuple[str, Decimal], ...] | None = None  # [engineers], per hour

    @property
    def timezone(self) -> str:
        """The company time zone: months, the schedule and times without an offset are in it."""
        return self.schedule.timezone

    @property
    def clock_terms(self) -> ClockTerms:
        """What SLA clocks are computed with (a month close seals it)."""
        return ClockTerms(self.schedule, self.at_risk_percent, self.pausing_clocks)


# --- paths -----------------------------------------------------------------------------------


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config``, else ``SLA_CONFIG``, else the platform's user config folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("SLA_CONFIG")
    if env:
        return Path(env).expanduser()
    return default_config_path()


# --- reading -----------------------------------------------------------------------------------


def parse_settings(data: Mapping[str, Any], source: str = "built-in defaults") -> Settings:
    """Check a TOML document and turn it into ``Settings``; missing keys take the defaults."""
    _refuse_unknown_keys(_Table(source, data))
    merged = _Table(source, _merge(DEFAULTS, data))
    company = merged.table("company")
    billing = merged.table("billing")
    return Settings(
        company_name=company.get("name", str),
        catalog=Catalog(
            currency=company.get("currency", str),
            hour_rate=billing.money("hour_rate"),
            variants=_variants(merged.table("variants")),
        ),
        increment_minutes=billing.positive("increment_minutes", most=60),
        refuse_overdraft=billing.get("refuse_overdraft", bool),
        at_risk_percent=_at_risk(merged.table("sla")),
        schedule=_schedule(merged.table("schedule"), _zone(company, "timezone")),
        ledger_timeouts=_timeouts(merged.table("ledger")),
        pausing_clocks=_pausing(merged.table("sla")),
        notify=notify_terms(merged.table("notify")),
        supplier=_supplier(company),
        vat=_vat(billing),
        payment_days=billing.positive("payment_days", most=365),
        intake=intake_terms(merged.table("intake")),
        engineer_costs=engineer_costs(data, source),
    )


def _supplier(t: _Table) -> Party:
    """The company's details, each checked as it is written (an unset one is empty)."""
    values = {key: t.get(key, str).strip() for key in PARTY_KEYS}
    for key, problem in party_problems(values):
        raise t.fail(key, problem)
    return Party(name=values.pop("full_name") or t.get("name", str), **values)


def _vat(t: _Table) -> VatTerms:
    value = t.data.get("vat")
    included = t.get("vat_included", bool)
    if isinstance(value, str) and value.strip().lower() == "none":
        return VatTerms(None, included)
    problem = f'expected "none", or a rate in percent above 0 and below 100, got {value!r}'
    try:
        rate = t.percent("vat")
    except ConfigError:
        raise t.fail("vat", problem) from None
    if not 0 < rate < 100:
        raise t.fail("vat", problem)
    return VatTerms(rate, included)


CLOCKS = ("reaction", "start", "resolve")
PARTY_KEYS = (
    "full_name", "inn", "kpp", "ogrn", "address", "bank", "bik", "account", "corr_account",
    "signatory",
)  # fmt: skip


def _pausing(t: _Table) -> frozenset[str]:
    names = t.get("pausing_clocks", list)
    unknown = [n for n in names if n not in CLOCKS]
    if unknown:
        raise t.fail("pausing_clocks", f"unknown clock {unknown[0]!r}; known: {', '.join(CLOCKS)}")
    return frozenset(names)


def _timeouts(t: _Table) -> tuple[int, int, int]:
    """Whole seconds, 1 to an hour: long enough for a slow network, never forever."""
    keys = ("connect_timeout_seconds", "lock_timeout_seconds", "statement_timeout_seconds")
    connect, lock, statement = (t.positive(k, most=3600) for k in keys)
    return connect, lock, statement


def _schedule(t: _Table, timezone: str) -> Schedule:
    """The schedule, built once here, so a contradiction in it is an error of the config."""
    weekdays = t.get("weekdays", list)
    if not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in weekdays):
        raise t.fail("weekdays", f"expected ISO weekday numbers 1–7, got {weekdays!r}")
    if not weekdays:
        raise t.fail("weekdays", "at least one working day is needed, got []")
    try:
        return Schedule(
            timezone=timezone,
            day_start=t.clock("day_start"),
            day_end=t.clock("day_end"),
            weekdays=frozenset(d - 1 for d in weekdays),
            country=_country(t, "country"),
            extra_holidays=t.dates("extra_holidays"),
            extra_workdays=t.dates("extra_workdays"),
            shorten_preholiday=t.get("shorten_preholiday", bool),
        )
    except ScheduleError as e:
        raise t.fail(e.field, e.problem) from None


def _at_risk(t: _Table) -> int:
    value: int = t.get("at_risk_percent", int)
    if not 1 <= value <= 100:
        raise t.fail("at_risk_percent", f"must be between 1 and 100, got {value}")
    return value


def _zone(t: _Table, key: str) -> str:
    """An IANA time zone (looked up only when not the default, which is known good)."""
    name: str = t.get(key, str)
    if name != DEFAULTS["company"]["timezone"] and not zone_exists(name):
        raise t.fail(key, f"unknown time zone {name!r}")
    return name


def _country(t: _Table, key: str) -> str:
    """A production calendar the `holidays` package knows (checked only when not the default)."""
    code: str = t.get(key, str)
    if code != DEFAULTS["schedule"]["country"]:
        import holidays

        if code not in holidays.list_supported_countries():
            raise t.fail(key, f"no production calendar for {code!r}")
    return code


def _variants(t: _Table) -> tuple[VariantTerms, ...]:
    found = []
    for key in t.data:
        if not str(key).isdigit():
            raise t.fail(str(key), "variants are numbered: [variants.1], [variants.2], …")
        found.append(_variant(int(key), t.table(str(key))))
    return tuple(sorted(found, key=lambda v: v.number))


def _variant(number: int, t: _Table) -> VariantTerms:
    billing = t.get("billing", str, "monthly")
    if billing not in ("monthly", "package"):
        raise t.fail("billing", f"expected 'monthly' or 'package', got {billing!r}")
    burns = t.get("burns", bool, False)
    tiers = _tiers(t, burns)
    reaction, start = _minutes(t, "reaction_hours"), _minutes(t, "start_hours")
    if reaction > start:
        raise t.fail("reaction_hours", "must not exceed start_hours: reaction comes first")
    cap = t.get("dev_cap_hours", int, 0)
    if cap < 0:
        raise t.fail("dev_cap_hours", f"must not be negative (0: no cap), got {cap}")
    return VariantTerms(
        number=number,
        name=t.get("name", str, f"Variant {number}"),
        name_en=t.get("name_en", str, f"Variant {number}"),
        billing=Billing(billing),
        burns=burns,
        min_months=None if t.data.get("min_months") is None else t.positive("min_months"),
        prepay_discounts=_prepay_discounts(t),
        reaction_minutes=reaction,
        start_minutes=start,
        max_hour_discount=t.percent("max_hour_discount_percent", 0),
        dev_cap_hours=cap or None,
        tiers=tiers,
        priorities=_priorities(t),
    )


def _priorities(variant: _Table) -> tuple[Priority, ...]:
    """Incident priorities with their own targets; the first is the default."""
    found = []
    for p in variant.tables("priorities", "key, reaction_hours and start_hours"):
        key = p.get("key", str).strip().lower()
        if not key or not key.replace("-", "").replace("_", "").isalnum():
            raise p.fail("key", f"expected a word like urgent, got {key!r}")
        if len(key) > MAX_PRIORITY_KEY:
            raise p.fail("key", f"must be at most {MAX_PRIORITY_KEY} characters, got {len(key)}")
        reaction, start = _minutes(p, "reaction_hours"), _minutes(p, "start_hours")
        if reaction > start:
            raise p.fail("reaction_hours", "must not exceed start_hours: reaction comes first")
        resolve = None if p.data.get("resolve_hours") is None else _minutes(p, "resolve_hours")
        if resolve is not None and resolve < start:
            raise p.fail("resolve_hours", "must not be less than start_hours")
        found.append(Priority(key, reaction, start, resolve))
    if len(found) > MAX_PRIORITIES:
        raise variant.fail("priorities", f"at most {MAX_PRIORITIES} a variant, got {len(found)}")
    keys = [p.key for p in found]
    if len(set(keys)) != len(keys):
        raise variant.fail("priorities", f"a priority key is repeated: {', '.join(keys)}")
    return tuple(found)


def _prepay_discounts(variant: _Table) -> tuple[PrepayDiscount, ...]:
    found = [
        PrepayDiscount(min_months=d.positive("min_months"), percent=d.percent("percent"))
        for d in variant.tables("prepay_discounts", "min_months and percent")
    ]
    return tuple(sorted(found, key=lambda d: d.min_months))


MAX_TIER_HOURS = 100_000  # far beyond any month or package, well within the ledger's columns


def _tiers(variant: _Table, burns: bool) -> tuple[Tier, ...]:
    tiers = []
    for t in variant.tables("tiers", "key, name, hours and price"):
        key = t.get("key", str)
        name = t.get("name", str, key)
        price = t.money("price")
        if burns and t.data.get("hours") is None:
            raise t.fail("hours", "a tier whose unused hours burn needs its hours")
        hours = None if t.data.get("hours") is None else t.positive("hours", most=MAX_TIER_HOURS)
        name_en = t.get("name_en", str, name)
        tiers.append(Tier(key=key, name=name, name_en=name_en, hours=hours, price=price))
    if not tiers:
        raise variant.fail("tiers", "a variant needs at least one tier")
    keys = [t.key for t in tiers]
    if len(set(keys)) != len(keys):
        raise variant.fail("tiers", f"tier keys must differ: {', '.join(keys)}")
    return tuple(tiers)


def _minutes(t: _Table, key: str) -> int:
    """An SLA target in whole business minutes: at least one, at most ``MAX_TARGET_HOURS``."""
    hours = t.decimal(key)
    if hours <= 0:
        raise t.fail(key, f"must be positive, got {hours}")
    if hours > MAX_TARGET_HOURS:
        raise t.fail(key, f"must be at most {MAX_TARGET_HOURS}, got {hours}")
    if hours * 60 < 1:
        raise t.fail(key, f"must be at least a minute (1/60 of an hour), got {hours}")
    return int(hours * 60)


VARIANT_KEYS = frozenset(
    {
        "name", "name_en", "billing", "burns", "min_months", "reaction_hours", "start_hours",
        "max_hour_discount_percent", "dev_cap_hours", "prepay_discounts", "tiers", "priorities",
    }
)  # fmt: skip
TIER_KEYS = frozenset({"key", "name", "name_en", "hours", "price"})
PRIORITY_KEYS = frozenset({"key", "reaction_hours", "start_hours", "resolve_hours"})


def _refuse_unknown_keys(root: _Table) -> None:
    """A misspelt key would silently fall back to a default: name it instead."""
    for section, value in root.data.items():
        if section not in DEFAULTS and section != ENGINEERS:
            raise root.fail(section, f"unknown section; known: {', '.join(DEFAULTS)}")
        if section in ("variants", ENGINEERS) or not isinstance(value, Mapping):
            continue
        for key in value:
            if key not in DEFAULTS[section]:
                known = ", ".join(DEFAULTS[section])
                raise root.fail(f"{section}.{key}", f"unknown key; known: {known}")
    for number, variant in (root.data.get("variants") or {}).items():
        if not isinstance(variant, Mapping):
            continue
        for key in variant:
            if key not in VARIANT_KEYS:
                raise root.fail(f"variants.{number}.{key}", "unknown key")
        for items, allowed in (("tiers", TIER_KEYS), ("priorities", PRIORITY_KEYS)):
            for i, item in enumerate(variant.get(items) or []):
                for key in item if isinstance(item, Mapping) else ():
                    if key not in allowed:
                        raise root.fail(f"variants.{number}.{items}[{i}].{key}", "unknown key")


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else in ``override`` replaces the default."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


MAX_CONFIG_BYTES = 4 * 2**20  # far beyond any config; /dev/zero would never end


def load_settings(path: Path | None = None, *, required: bool = False) -> Settings:
    """Read the config at ``path``; a missing file gives the built-in defaults unless required."""
    from sla_cli.errors import InputError
    from sla_cli.files import read_regular

    target = path or config_path()
    try:
        raw = read_regular(target, "the config", MAX_CONFIG_BYTES)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"{target}: no such config file (`sla init` writes one)") from None
        return parse_settings({})
    except InputError as e:
        raise ConfigError(e.message) from None
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a byte order mark is allowed
    except UnicodeDecodeError:
        raise ConfigError(f"{target}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{target}: not valid TOML: {e}") from None
    return parse_settings(data, str(target))._replace(source=target)
