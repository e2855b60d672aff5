"""Month seals: each close's link in the chain (``domain.chain``), and the rows a link covers.

The queries are written once, here, for the store and for the revision that sealed the months
closed before it (``migrations/versions/0008``): ``WINDOW_INCIDENTS`` and ``WINDOW_EVENTS`` take
``:a`` and ``:b`` (a month's first moment and the first after it, UTC, as the database stores
moments) and ``:last`` (the newest incident event when the month closed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sla_cli.domain.chain import EVENT_FIELDS, INCIDENT_FIELDS, Link
from sla_cli.domain.month import Month
from sla_cli.store import sql
from sla_cli.store.base import Part
from sla_cli.store.db import moment

_OPENED_IN = "opened_at >= :a AND opened_at < :b"
_INCIDENT_COLUMNS = ", ".join(f'"{f}"' for f in INCIDENT_FIELDS)
_EVENT_COLUMNS = ", ".join(f'"{f}"' for f in EVENT_FIELDS)
WINDOW_INCIDENTS = f"SELECT {_INCIDENT_COLUMNS} FROM incidents WHERE {_OPENED_IN} ORDER BY id"
WINDOW_EVENTS = (
    f"SELECT {_EVENT_COLUMNS} FROM incident_events "
    'WHERE ("at" >= :a AND "at" < :b) '
    f"OR (id <= :last AND incident_id IN (SELECT id FROM incidents WHERE {_OPENED_IN})) "
    "ORDER BY id"
)
LAST_EVENT = "SELECT coalesce(max(id), 0) FROM incident_events"
SEAL_COLUMNS = (
    "month", "previous", "chain", "clocks_digest", "starts_at", "ends_at", "last_event_id",
    "late", "sealed_at", "sealed_by",
)  # fmt: skip


class Seals(Part):
    """Each closed month's link, and what verifying the chain reads."""

    def window_rows(self, a: datetime, b: datetime, last: int) -> tuple[list[Any], list[Any]]:
        """The incidents and incident events a month's link covers (``WINDOW_*``)."""
        params = {"a": a, "b": b, "last": last}
        return self.db.rows(WINDOW_INCIDENTS, params), self.db.rows(WINDOW_EVENTS, params)

    def last_event_id(self) -> int:
        return self.db.number(LAST_EVENT)

    def links(self) -> list[Link]:
        """Every month's link, oldest month first."""
        rows = self.db.rows(
            "SELECT month, previous, chain, clocks_digest, starts_at, ends_at, last_event_id, "
            "late FROM month_seals ORDER BY month"
        )
        return [
            Link(Month.parse(r.month), r.previous, r.chain, r.clocks_digest,
                 _moment(r.starts_at), _moment(r.ends_at), r.last_event_id, bool(r.late))
            for r in rows
        ]  # fmt: skip

    def head(self) -> Link | None:
        """The newest link: the chain's head."""
        found = self.links()
        return found[-1] if found else None

    def link_of(self, month: Month) -> Link | None:
        return next((x for x in self.links() if x.month == month), None)

    def add_link(self, link: Link, user: str) -> None:
        self.db.insert_many(
            "month_seals",
            [{"month": str(link.month), "previous": link.previous, "chain": link.chain,
             "clocks_digest": link.clocks_digest, "starts_at": link.starts_at,
             "ends_at": link.ends_at, "last_event_id": link.last_event_id, "late": link.late,
             "sealed_at": self.db.commit_clock(), "sealed_by": user}],
        )  # fmt: skip

    def close_of(self, month: Month) -> tuple[str | None, str | None, str] | None:
        """What a link covers of the month's close: its digest, clock terms and closer."""
        r = self.db.row(
            "SELECT digest, clock_terms, closed_by FROM closed_months WHERE month = :m",
            {"m": str(month)},
        )
        return None if r is None else (r.digest, r.clock_terms, r.closed_by)

    def late_events(self, after: int, before: datetime) -> list[Any]:
        """Events recorded after ``after`` that may change an earlier moment than their own
        (an undo, a reopening, a cancellation), or dated before ``before``: what may reach
        back into a closed month."""
        return self.db.rows(
            f"SELECT {_EVENT_COLUMNS} FROM incident_events "
            "WHERE id > :after AND (kind IN ('undo', 'reopen', 'cancel') OR \"at\" < :before) "
            "ORDER BY id",
            {"after": after, "before": before},
        )

    def close_posts_open(self) -> list[str]:
        """Months not closed that hold what only a close posts (a burn, an overage, a carry):
        a close removed after it posted them."""
        month = self.db.month_of('e."on"')
        return self.db.column(
            f"SELECT DISTINCT {month} AS m FROM entries e "
            "WHERE e.type IN ('burn', 'overage', 'carry') "
            f"AND NOT {sql.month_closed(month)} ORDER BY m"
        )


def _moment(value: Any) -> datetime:
    found = moment(value)
    assert found is not None
    return found
