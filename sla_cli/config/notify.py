"""The config's `[notify]`: the levels `sla notify` sends, where to, and the hours alerts."""

from __future__ import annotations

from sla_cli.config.toml_table import TomlTable
from sla_cli.domain.alerts import HoursTerms, Level, NotifyTerms, Route

LEVEL_KEYS = frozenset({"name", "at_percent", "before_minutes", "after_breach_minutes", "clocks",
                        "to"})  # fmt: skip
ROUTE_KEYS = frozenset({"name", "url", "url_env", "url_file", "always"})
HOURS_KEYS = frozenset({"used_percent", "package_below_hours", "dev_cap_warn_hours", "to"})
CLOCKS = ("reaction", "start", "resolve")


def notify_terms(t: TomlTable) -> NotifyTerms:
    lang = t.get("lang", str)
    if lang not in ("ru", "en"):
        raise t.fail("lang", f"ru or en, got {lang!r}")
    routes = tuple(_route(r) for r in t.tables("routes", "name and url, url_env or url_file"))
    names = [r.name for r in routes]
    if len(set(names)) != len(names):
        raise t.fail("routes", "two routes have the same name")
    levels = tuple(_level(x, names) for x in t.tables("levels", "name and one threshold"))
    if len({x.name for x in levels}) != len(levels):
        raise t.fail("levels", "two levels have the same name")
    retry, abandoned = t.get("retry_seconds", int), t.get("abandoned_seconds", int)
    if not 0 <= retry <= 3600:
        raise t.fail("retry_seconds", f"0 to 3600, got {retry}")
    if not 1 <= abandoned <= 86400:
        raise t.fail("abandoned_seconds", f"1 to 86400, got {abandoned}")
    return NotifyTerms(lang, routes, levels, _hours(t.table("hours"), names), retry, abandoned)


def _known(t: TomlTable, allowed: frozenset[str]) -> None:
    for key in t.data:
        if key not in allowed:
            raise t.fail(key, f"unknown key; known: {', '.join(sorted(allowed))}")


def _to(t: TomlTable, names: list[str]) -> tuple[str, ...]:
    to = tuple(str(x) for x in t.get("to", list, []))
    for name in to:
        if name not in names:
            raise t.fail("to", f"no route is named {name!r}")
    return to


def _route(t: TomlTable) -> Route:
    _known(t, ROUTE_KEYS)
    sources = [k for k in ("url", "url_env", "url_file") if t.data.get(k)]
    if len(sources) != 1:
        raise t.fail("url", "give one of url, url_env (a variable holding it), url_file")
    return Route(
        name=t.get("name", str),
        url=t.get("url", str, ""),
        url_env=t.get("url_env", str, ""),
        url_file=t.get("url_file", str, ""),
        always=t.get("always", bool, False),
    )


def _level(t: TomlTable, names: list[str]) -> Level:
    _known(t, LEVEL_KEYS)
    given = [k for k in ("at_percent", "before_minutes", "after_breach_minutes") if k in t.data]
    if len(given) != 1:
        raise t.fail("name", "give one of at_percent, before_minutes, after_breach_minutes")
    value = t.get(given[0], int)
    if value < 0 or (given[0] == "at_percent" and not 0 < value < 100):
        raise t.fail(given[0], f"out of range: {value}")
    clocks = frozenset(str(c) for c in t.get("clocks", list, list(CLOCKS)))
    if not clocks <= set(CLOCKS):
        raise t.fail("clocks", f"any of {', '.join(CLOCKS)}")
    return Level(t.get("name", str), clocks=clocks, to=_to(t, names), **{given[0]: value})


def _hours(t: TomlTable, names: list[str]) -> HoursTerms:
    _known(t, HOURS_KEYS)
    used = tuple(int(p) for p in t.get("used_percent", list))
    if any(not 0 < p <= 1000 for p in used):
        raise t.fail("used_percent", "shares in percent, above 0")
    return HoursTerms(
        used,
        int(t.decimal("package_below_hours") * 60),
        int(t.decimal("dev_cap_warn_hours") * 60),
        _to(t, names),
    )
