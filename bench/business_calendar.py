"""Benchmark: BusinessCalendar.add against the businesstimedelta package.

Run with ``.venv/bin/python bench/business_calendar.py [--n 100000] [--seed 20250101]``.
Prints timings and the speed ratio; it is not a pass/fail test (the target is >= 20x).

businesstimedelta cannot express working Saturdays (e.g. 2025-11-01), so its rules are
Mon-Fri 9-19 minus the same RU holiday dates; results differing only because of a working
Saturday are counted separately from unexplained differences.
"""

from __future__ import annotations

import argparse
import random
import time as timer
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sla_cli.domain.calendar import BusinessCalendar

YEARS = range(2024, 2027)  # random starts fall in these years
HOLIDAY_YEARS = range(2024, 2028)  # targets up to 6000 min can spill into the next year
TZ_NAME = "Europe/Moscow"


def make_work(n: int, seed: int) -> list[tuple[datetime, int]]:
    """``n`` (start, minutes) pairs: random instants over 2024-2026, 1-6000 minutes."""
    rng = random.Random(seed)
    tz = ZoneInfo(TZ_NAME)
    lo = datetime(YEARS[0], 1, 1, tzinfo=tz).timestamp()
    hi = datetime(YEARS[-1] + 1, 1, 1, tzinfo=tz).timestamp()
    return [
        (datetime.fromtimestamp(rng.randrange(int(lo), int(hi)), tz), rng.randint(1, 6000))
        for _ in range(n)
    ]


def bench_ours(work: list[tuple[datetime, int]]) -> tuple[float, float, list[datetime]]:
    """Return (cold seconds for the first call, warm seconds for all calls, results)."""
    t0 = timer.perf_counter()
    cal = BusinessCalendar()
    cal.add(*work[0])
    cold = timer.perf_counter() - t0
    add = cal.add
    t0 = timer.perf_counter()
    results = [add(start, minutes) for start, minutes in work]
    return cold, timer.perf_counter() - t0, results


def bench_btd(work: list[tuple[datetime, int]]) -> tuple[float, list[datetime]]:
    import businesstimedelta as btd
    import holidays
    import pytz

    tz = pytz.timezone(TZ_NAME)
    ru = holidays.country_holidays("RU", years=HOLIDAY_YEARS)
    rule = btd.Rules(
        [
            btd.WorkDayRule(
                start_time=time(9), end_time=time(19), working_days=[0, 1, 2, 3, 4], tz=tz
            ),
            btd.HolidayRule(frozenset(ru), tz=tz),
        ]
    )
    t0 = timer.perf_counter()
    results = [start + btd.BusinessTimeDelta(rule, seconds=m * 60) for start, m in work]
    return timer.perf_counter() - t0, results


def working_saturdays() -> frozenset[date]:
    import holidays

    ru = holidays.country_holidays("RU", years=HOLIDAY_YEARS)
    return frozenset(getattr(ru, "weekend_workdays", ()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of add calls")
    parser.add_argument("--seed", type=int, default=20250101)
    args = parser.parse_args()

    work = make_work(args.n, args.seed)
    print(f"{args.n:,} add() calls, RU calendar, {TZ_NAME}, seed {args.seed}")

    cold, ours, our_results = bench_ours(work)
    print(f"BusinessCalendar.add : {ours:8.3f} s  ({ours / args.n * 1e6:7.2f} µs/call)")
    print(f"  first call (holidays import + index build): {cold * 1e3:.1f} ms")

    theirs, their_results = bench_btd(work)
    print(f"businesstimedelta    : {theirs:8.3f} s  ({theirs / args.n * 1e6:7.2f} µs/call)")
    print(f"ratio                : {theirs / ours:8.1f}x faster (target >= 20x)")

    saturdays = working_saturdays()
    same = explained = 0
    unexplained: list[tuple[datetime, int, datetime, datetime]] = []
    for (start, minutes), a, b in zip(work, our_results, their_results, strict=True):
        if a == b:
            same += 1
            continue
        first, last = start.date(), max(a, b).astimezone(a.tzinfo).date()
        if any(first <= d <= last for d in saturdays):
            explained += 1
        else:
            unexplained.append((start, minutes, a, b))
    print(
        f"agreement            : {same:,} equal, {explained:,} differ because of a working "
        f"Saturday, {len(unexplained):,} unexplained"
    )
    for start, minutes, a, b in unexplained[:5]:
        print(f"  {start.isoformat()} + {minutes} min: ours {a.isoformat()}, btd {b.isoformat()}")


if __name__ == "__main__":
    main()
