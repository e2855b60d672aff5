"""The notices the alerts decided on, and the attempts to deliver them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sla_cli.store.base import Part
from sla_cli.store.db import moment

# Deciding notices holds this PostgreSQL advisory lock (SQLite's writing transaction is the
# only one already), so two runs at once never decide the same notice.
NOTICE_LOCK = 0x51A_A1E


class NoticeRow(NamedTuple):
    id: int
    key: str
    route: str
    payload: str
    created_at: datetime
    attempts: int  # attempts begun
    last_begun: datetime | None  # when the latest began
    last_ended: bool  # whether it ended (with an outcome)
    delivered: datetime | None  # when an attempt succeeded, if one did
    error: str | None  # the latest failure's error


_NOTICES = """
SELECT n.id, n.key, n.route, n.payload, n.created_at,
  (SELECT count(*) FROM notice_attempts a WHERE a.notice_id = n.id AND a.ended IS NULL)
    AS attempts,
  (SELECT max(a.created_at) FROM notice_attempts a WHERE a.notice_id = n.id AND a.ended IS NULL)
    AS last_begun,
  (SELECT count(*) FROM notice_attempts e WHERE e.notice_id = n.id AND e.ended IS NOT NULL)
    AS ends,
  (SELECT min(e.created_at) FROM notice_attempts e WHERE e.notice_id = n.id AND e.ok)
    AS delivered,
  (SELECT e.error FROM notice_attempts e WHERE e.notice_id = n.id AND e.ended IS NOT NULL
   AND NOT e.ok ORDER BY e.id DESC LIMIT 1) AS error
FROM notices n"""


def _row(r: Any) -> NoticeRow:
    return NoticeRow(r.id, r.key, r.route, r.payload, r.created_at, int(r.attempts),
                     moment(r.last_begun), int(r.ends) >= int(r.attempts), moment(r.delivered),
                     r.error)  # fmt: skip


class Notices(Part):
    def lock_notices(self) -> None:
        self.db.lock(NOTICE_LOCK)

    def known_notices(self, keys: list[str]) -> set[tuple[str, str]]:
        """Which of the notices ``keys`` were decided before, as (key, route)."""
        found: set[tuple[str, str]] = set()
        for at in range(0, len(keys), 500):
            rows = self.db.rows("SELECT key, route FROM notices WHERE key IN (:keys)",
                                {"keys": keys[at : at + 500]})  # fmt: skip
            found.update((r.key, r.route) for r in rows)
        return found

    def contracts_told_lately(self) -> set[int]:
        """The contracts an hours notice was decided for in the last 24 hours (by the clock rows
        are stamped with)."""
        since = self.db.clock() - timedelta(days=1)
        keys = self.db.column(
            "SELECT key FROM notices WHERE key LIKE 'hours:%' AND created_at >= :since",
            {"since": since},
        )
        return {int(k.split(":")[1]) for k in keys}

    def add_notice(self, key: str, route: str, payload: str, by: str) -> int:
        return self.db.insert(
            "notices",
            {"key": key, "route": route, "payload": payload, "by": by,
             "created_at": self.db.clock()},
        )  # fmt: skip

    def undelivered(self) -> list[NoticeRow]:
        """Notices no attempt has delivered yet, oldest first."""
        rows = self.db.rows(f"SELECT * FROM ({_NOTICES}) x WHERE x.delivered IS NULL ORDER BY x.id")
        return [_row(r) for r in rows]

    def notices(self, limit: int) -> list[NoticeRow]:
        """The latest ``limit`` notices, oldest first."""
        rows = self.db.rows(f"{_NOTICES} ORDER BY n.id DESC LIMIT :limit", {"limit": limit})
        return [_row(r) for r in reversed(rows)]

    def begin_attempt(self, notice_id: int, attempt: int, by: str, conflict: Exception) -> int:
        """Record that delivery ``attempt`` of the notice begins (once: ``conflict`` when
        another run began it first)."""
        return self.db.insert(
            "notice_attempts",
            {"notice_id": notice_id, "attempt": attempt, "by": by,
             "created_at": self.db.clock()},
            conflict,
        )  # fmt: skip

    def end_attempt(
        self, attempt_id: int, notice_id: int, attempt: int, error: str | None, by: str
    ) -> None:
        """Record how the attempt ended: delivered (``error`` None) or not."""
        self.db.insert(
            "notice_attempts",
            {"notice_id": notice_id, "attempt": -attempt, "ended": attempt_id,
             "ok": error is None, "error": None if error is None else error[:500], "by": by,
             "created_at": self.db.clock()},
        )  # fmt: skip
