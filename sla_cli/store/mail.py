"""The mail the intake read: one row per message, and the decisions on those that waited."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, NamedTuple

from sla_cli.store.base import Part
from sla_cli.store.db import moment

MAIL_LOCKS = 0x51A_3A1  # pg_advisory_xact_lock(int, int) on a message's key: read once at a time
_NUMBER = re.compile(r"^[A-Z][A-Z0-9_]*-(\d{1,9})$")


class AlreadyRead(Exception):
    """Another run recorded the message first (the unique ``key`` said so)."""


class MailRow(NamedTuple):
    id: int
    key: str
    sender: str | None
    subject: str | None
    written_at: datetime | None
    source: str
    outcome: str
    reason: str | None
    client: str | None  # the client's key
    ticket: str | None  # the incident's
    created_at: datetime
    decided: str | None  # a pending message's decision: the client assigned, or "dismissed"


_MAIL = """
SELECT m.id, m.key, m.sender, m.subject, m.written_at, m.source, m.outcome, m.reason,
  c.key AS client, i.ticket, m.created_at,
  (SELECT coalesce(dc.key, 'dismissed') FROM mail_decisions d
   LEFT JOIN clients dc ON dc.id = d.client_id WHERE d.message_id = m.id) AS decided
FROM mail_messages m
LEFT JOIN clients c ON c.id = m.client_id
LEFT JOIN incidents i ON i.id = m.incident_id"""


def _row(r: Any) -> MailRow:
    return MailRow(r.id, r.key, r.sender, r.subject, moment(r.written_at), r.source, r.outcome,
                   r.reason, r.client, r.ticket, r.created_at, r.decided)  # fmt: skip


class Mail(Part):
    def lock_mail(self, key: str) -> None:
        """Wait for any other run acting on the message ``key`` to commit."""
        self.db.lock(MAIL_LOCKS, key)

    def mail_read(self, keys: list[str]) -> set[str]:
        """Which of the messages ``keys`` were read before."""
        found: set[str] = set()
        for at in range(0, len(keys), 500):
            found.update(self.db.column("SELECT key FROM mail_messages WHERE key IN (:keys)",
                                        {"keys": keys[at : at + 500]}))  # fmt: skip
        return found

    def mail_incident(self, client_id: int, keys: tuple[str, ...]) -> int | None:
        """The incident of the first of the messages ``keys`` (nearest first) that has one of
        the client's."""
        if not keys:
            return None
        rows = self.db.rows(
            "SELECT m.key, m.incident_id FROM mail_messages m "
            "WHERE m.key IN (:keys) AND m.client_id = :client AND m.incident_id IS NOT NULL "
            "UNION ALL SELECT m.key, d.incident_id FROM mail_messages m "
            "JOIN mail_decisions d ON d.message_id = m.id "
            "WHERE m.key IN (:keys) AND d.client_id = :client AND d.incident_id IS NOT NULL",
            {"keys": list(keys), "client": client_id},
        )
        found = {r.key: int(r.incident_id) for r in rows}
        return next((found[k] for k in keys if k in found), None)

    def add_mail(self, values: dict[str, Any]) -> int:
        """Record a message read, stamped by the real clock; ``AlreadyRead`` when another run
        recorded it first."""
        return self.db.insert(
            "mail_messages", {**values, "created_at": self.db.clock()}, AlreadyRead()
        )

    def mail_message(self, message_id: int) -> MailRow | None:
        found = self.db.rows(f"{_MAIL} WHERE m.id = :id", {"id": message_id})
        return _row(found[0]) if found else None

    def pending_mail(self) -> list[MailRow]:
        """Messages that wait for a decision (from unknown senders, or set aside), oldest first."""
        rows = self.db.rows(
            f"{_MAIL} WHERE m.outcome IN ('pending', 'set_aside') AND NOT EXISTS "
            "(SELECT 1 FROM mail_decisions d WHERE d.message_id = m.id) ORDER BY m.id"
        )
        return [_row(r) for r in rows]

    def add_mail_decision(
        self, message_id: int, client_id: int | None, incident_id: int | None, by: str
    ) -> None:
        self.db.insert(
            "mail_decisions",
            {"message_id": message_id, "client_id": client_id, "incident_id": incident_id,
             "by": by, "created_at": self.db.clock()},
            AlreadyRead(),
        )  # fmt: skip

    def next_ticket_number(self, client_id: int) -> int:
        """One more than the highest number of the client's tickets (incidents' and hours')."""
        tickets = self.db.column(
            "SELECT DISTINCT ticket FROM incidents WHERE client_id = :c UNION "
            "SELECT DISTINCT ticket FROM entries WHERE client_id = :c",
            {"c": client_id},
        )
        numbers = [int(m[1]) for t in tickets if t and (m := _NUMBER.match(t.upper()))]
        return max(numbers, default=0) + 1
