"""The production calendar: a country's holidays, moved days off and weekend days worked.

Read from the ``holidays`` package, imported on first need; ``source`` is what the business
calendar asks, ``production_year`` unless ``use`` names another (one that keeps the years it
read, say). This module imports nothing of its own, so that naming a source costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    # A year of a country's production calendar: its holidays and moved days off, its weekend
    # days worked, its public holidays alone (ТК РФ art. 112), and the days off moved by decree,
    # each as (the weekend day worked in its place, the day off).
    Days = frozenset[date]
    ProductionYear = tuple[Days, Days, Days, tuple[tuple[date, date], ...]]


def production_year(country: str, year: int) -> ProductionYear:
    """``year`` of ``country``'s production calendar, from the ``holidays`` package (imported
    here, on first need: importing it and its countries costs ~70 ms)."""
    from datetime import datetime as moment

    import holidays

    from sla_cli.domain.schedule import ScheduleError

    try:
        data = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        raise ScheduleError("country", f"no production calendar for {country!r}") from None
    listed = frozenset(d for d in data if d.year == year)
    weekend = getattr(data, "weekend_workdays", ())
    worked = frozenset(d for d in weekend if d.year == year)
    # The public holidays themselves, without the days off moved to follow them (a holiday on
    # a weekend, observed later) or moved by decree: each of those is named for the weekend
    # day it was moved from, which is worked in its place.
    data = holidays.country_holidays(country, years=year, observed=False)
    label = getattr(data, "substituted_label", None)
    fmt = getattr(data, "substituted_date_format", None)
    head, _, tail = data.tr(label).partition("%s") if label and fmt else ("", "", "")
    written = data.tr(fmt) if fmt else ""
    public = set()
    moved: list[tuple[date, date]] = []
    for d in data:
        names = data.get_list(d)
        shifted = [n for n in names if head and n.startswith(head) and n.endswith(tail)]
        if len(shifted) < len(names):
            public.add(d)
        for name in shifted:
            try:
                instead = moment.strptime(name[len(head) : len(name) - len(tail)], written)
            except ValueError:
                continue
            moved.append((instead.date(), d))
    return listed, worked, frozenset(d for d in public if d.year == year), tuple(moved)


source: Callable[[str, int], ProductionYear] = production_year


def use(found: Callable[[str, int], ProductionYear]) -> None:
    """Have every calendar read its production years from ``found`` (the command line keeps
    them on disk, so that a command need not import ``holidays``)."""
    global source
    source = found
