"""The production calendar's years, kept in the user's cache folder once read.

Importing ``holidays`` and its countries costs a command ~70 ms, and a year's calendar is the
same on every run: so the CLI reads each (country, year) from ``holidays`` once and keeps it as
a line of dates a file, under the release of ``holidays`` that wrote it. Another release, a
file that cannot be read or parsed, or a folder that cannot be written: the year is read from
``holidays`` again, as without a cache.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sla_cli.domain.production import production_year

if TYPE_CHECKING:
    from sla_cli.domain.production import ProductionYear


def cache_folder() -> Path:
    """The user's cache folder for the tool (XDG_CACHE_HOME, else ~/.cache, on Linux and
    the BSDs: what ``platformdirs`` says, without importing it; its answer elsewhere)."""
    from sla_cli import APP_NAME

    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(base if base else Path.home() / ".cache") / APP_NAME
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def holidays_release() -> str | None:
    """The installed release of ``holidays`` (its dist-info folder's name), found without
    importing it; None when it cannot be told, and nothing is cached."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    site = os.path.dirname(os.path.dirname(spec.origin))
    try:
        with os.scandir(site) as entries:
            found = sorted(
                e.name
                for e in entries
                if e.name.startswith("holidays-") and e.name.endswith(".dist-info")
            )
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def _dates(line: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(d) for d in line.split())


def _read(path: Path, release: str) -> ProductionYear | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    rows = text.split("\n")
    if len(rows) != 6 or rows[0] != release or rows[5] != "":
        return None
    try:
        moved = tuple(
            (date.fromisoformat(a), date.fromisoformat(b))
            for a, _, b in (pair.partition(":") for pair in rows[4].split())
        )
        return _dates(rows[1]), _dates(rows[2]), _dates(rows[3]), moved
    except ValueError:
        return None


def _write(path: Path, release: str, year: ProductionYear) -> None:
    listed, worked, public, moved = year
    rows = [
        release,
        *(" ".join(sorted(d.isoformat() for d in days)) for days in (listed, worked, public)),
        " ".join(f"{a.isoformat()}:{b.isoformat()}" for a, b in moved),
    ]
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text("\n".join(rows) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def cached_year(country: str, year: int) -> ProductionYear:
    """``production_year(country, year)``, from the cache when ``holidays`` wrote it there."""
    release = holidays_release()
    if release is None or not country.isalnum():
        return production_year(country, year)
    try:
        path = cache_folder() / f"calendar-{country}-{year}.txt"
    except RuntimeError:  # no home folder to keep it in
        return production_year(country, year)
    found = _read(path, release)
    if found is None:
        found = production_year(country, year)
        _write(path, release, found)
    return found
