"""What an incident's SLA clocks are computed with, beyond the incident itself: the schedule (and
its time zone), the share of a target that puts a clock at risk, and the clocks a wait pauses.

A month close seals them, so that a later change of the config (a holiday added, the time zone
moved) never rewrites a closed month's clocks: its statements are computed with what was
sealed, and `sla verify` says when the config would now give other clocks.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any, NamedTuple

from sla_cli.domain.schedule import Schedule, ScheduleError
from sla_cli.errors import LedgerError

__all__ = ["ClockTerms"]


class ClockTerms(NamedTuple):
    schedule: Schedule
    at_risk_percent: int
    pausing: frozenset[str]

    @property
    def timezone(self) -> str:
        return self.schedule.timezone

    def to_json(self) -> str:
        """One spelling of the terms (sorted, ISO dates and times), as a close stores them."""
        import json

        s = self.schedule
        return json.dumps(
            {
                "timezone": s.timezone,
                "day_start": s.day_start.isoformat(),
                "day_end": s.day_end.isoformat(),
                "weekdays": sorted(s.weekdays),
                "country": s.country,
                "extra_holidays": sorted(d.isoformat() for d in s.extra_holidays),
                "extra_workdays": sorted(d.isoformat() for d in s.extra_workdays),
                "shorten_preholiday": s.shorten_preholiday,
                "at_risk_percent": self.at_risk_percent,
                "pausing_clocks": sorted(self.pausing),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ClockTerms:
        """The terms a close stored; a value that cannot be read is a damaged ledger."""
        import json

        try:
            data: dict[str, Any] = json.loads(text)
            schedule = Schedule(
                timezone=data["timezone"],
                day_start=time.fromisoformat(data["day_start"]),
                day_end=time.fromisoformat(data["day_end"]),
                weekdays=data["weekdays"],
                country=data["country"],
                extra_holidays=[date.fromisoformat(d) for d in data["extra_holidays"]],
                extra_workdays=[date.fromisoformat(d) for d in data["extra_workdays"]],
                shorten_preholiday=bool(data["shorten_preholiday"]),
            )
            return cls(schedule, int(data["at_risk_percent"]), frozenset(data["pausing_clocks"]))
        except (ValueError, KeyError, TypeError, ScheduleError) as e:
            raise LedgerError(f"the clock terms a close sealed cannot be read: {e}") from None
