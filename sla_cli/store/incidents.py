"""Incidents: loading them with the facts their clocks need, saving what was recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from sla_cli.domain.month import Month
from sla_cli.store import sql
from sla_cli.store.base import Part
from sla_cli.store.contracts import with_changes
from sla_cli.store.convert import event_record, incident_record
from sla_cli.store.db import moment
from sla_cli.store.selects import contracts_sql

if TYPE_CHECKING:  # loaded by the conversions that need them: logging hours loads no incidents
    from sla_cli.domain.incident_events import IncidentEvent
    from sla_cli.domain.incidents import IncidentRecord, NewEvent
    from sla_cli.domain.records import ContractRecord
    from sla_cli.store.db import Db


def _first_work(db: Db) -> str:
    """When work on the incident's ticket began. Hours logged after the incident was opened
    count, from their start time (or when they were recorded); a reversed entry does not count,
    so undoing a log puts the clock back. "After" is any of: the entry's row was written in a
    later second than the incident's (both stamped by the real clock, to the second: rows of the
    same second are told apart by what follows), its work began at or after the opening (both
    moments the commands were about, which ``SLA_NOW`` may pin), or its work was still going at
    the opening (begun at a start time given before it, for longer than the time between), so
    that which was recorded first changes nothing. A timer still running is work still going,
    whenever it began (a stopped one counts through the entry it logged, a discarded one not at
    all). Work begun before the opening counts from the opening, and whether it began before the
    resolution is the domain's to judge."""
    going = db.still_going("e.started_at", "e.minutes", "i.opened_at")
    return f"""
 (SELECT min(coalesce(e.started_at, e.created_at)) FROM entries e
  WHERE e.ticket = i.ticket AND e.client_id = i.client_id AND {sql.work_counts()}
    AND (e.created_at > i.created_at OR coalesce(e.started_at, e.created_at) >= i.opened_at
         OR (e.started_at IS NOT NULL AND {going}))
 ) AS logged_at,
 (SELECT min(t.started_at) FROM timers t
  WHERE t.ticket = i.ticket AND t.client_id = i.client_id
    AND NOT EXISTS (SELECT 1 FROM timer_ends x WHERE x.timer_id = t.id)) AS timer_at"""


# Who wrote the mail the incident was opened from (by the intake, or by a decision on a pending
# message); NULL: it was opened by hand.
_MAIL_FROM = """
 (SELECT coalesce(m.sender, '') FROM mail_messages m
  WHERE m.incident_id = i.id AND m.outcome = 'opened'
  UNION ALL
  SELECT coalesce(m.sender, '') FROM mail_decisions d JOIN mail_messages m ON m.id = d.message_id
  WHERE d.incident_id = i.id LIMIT 1) AS mail_from"""
STREAM_BATCH = 500  # incidents read at a time, with their events


class IncidentQuery(NamedTuple):
    """Which incidents to load; days are in the zone ``zone``."""

    zone: tzinfo
    client_id: int | None = None
    open_only: bool = False
    opened_from: date | None = None
    opened_before: date | None = None
    also_unresolved: bool = False  # keep unresolved ones opened before ``opened_from``
    incident_id: int | None = None
    ticket: str | None = None
    with_cancelled: bool = False  # cancelled ones too (they are left out otherwise)
    in_force: bool = False  # only those on contracts in force (not cancelled)
    first_work: bool = True  # False: their first hours logged are not looked up (left None)
    incident_ids: tuple[int, ...] | None = None  # only these
    client_ids: tuple[int, ...] | None = None  # only these clients'

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The query as a condition on ``incidents i``, with its parameters."""
        conditions: list[str] = ["1 = 1"]
        params: dict[str, Any] = {}
        for name, value in (("id", self.incident_id), ("client_id", self.client_id),
                            ("ticket", self.ticket)):  # fmt: skip
            if value is not None:
                conditions.append(f"i.{name} = :{name}")
                params[name] = value
        if not self.with_cancelled:
            conditions.append(f"NOT {sql.cancelled()}")
        if self.in_force:
            conditions.append(sql.in_force_id("i.contract_id"))
        if self.client_ids is not None:
            conditions.append("i.client_id IN (:client_ids)")
            params["client_ids"] = list(self.client_ids)
        if self.incident_ids is not None:
            conditions.append("i.id IN (:incident_ids)")
            params["incident_ids"] = list(self.incident_ids)
        if self.open_only:
            conditions.append(sql.is_open())
        if self.opened_from is not None:
            params["from"] = self._start(self.opened_from)
            after = "i.opened_at >= :from"
            also = f"({after} OR NOT {sql.resolved()})"
            conditions.append(also if self.also_unresolved else after)
        if self.opened_before is not None:
            params["before"] = self._start(self.opened_before)
            conditions.append("i.opened_at < :before")
        return " AND ".join(conditions), params

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=self.zone)


_MOST_RENEWALS = 24  # contracts followed one after another from an incident's own
_CLOSES = "SELECT month, closed_at FROM closed_months"
Renewals = tuple[date | None, ...]


def _known(follower: ContractRecord, before: ContractRecord, closes: dict[str, Any]) -> bool:
    """A contract that follows ``before`` carries its SLA on unless it was signed after the
    month ``before`` ended in had closed: what that close saw of the clocks stays so."""
    assert before.end is not None
    closed = closes.get(str(Month.of(before.end - timedelta(days=1))))
    return closed is None or follower.created_at < closed


class Incidents(Part):
    """Incidents and their append-only logs of events."""

    def iter_incidents(self, q: IncidentQuery) -> Iterator[IncidentRecord]:
        """Incidents, oldest first, read a batch at a time with their events and contracts (a
        server-side cursor on PostgreSQL), so that listing every one keeps memory flat."""
        where, params = q.sql()
        work = _first_work(self.db) if q.first_work else "NULL AS logged_at, NULL AS timer_at"
        rows = self.db.stream(
            f"SELECT i.*, {work}, {_MAIL_FROM} FROM incidents i WHERE {where} "
            "ORDER BY i.opened_at, i.id",
            params,
            STREAM_BATCH,
        )
        contracts: dict[int, ContractRecord] = {}
        renewals: dict[int, Renewals] = {}
        while batch := list(islice(rows, STREAM_BATCH)):
            events = self._events([r.id for r in batch])
            renewals |= self._load_contracts({r.contract_id for r in batch} - contracts.keys(),
                                             contracts)  # fmt: skip
            for r in batch:
                logged, timer = moment(r.logged_at), moment(r.timer_at)
                first = logged if timer is None else timer if logged is None else min(timer, logged)
                c = contracts[r.contract_id]
                yield incident_record(r, c, first, events[r.id], renewals.get(c.id, ()))

    def _load_contracts(
        self, ids: set[int], into: dict[int, ContractRecord]
    ) -> dict[int, Renewals]:
        """Load the contracts ``ids`` into ``into``; for each that ends, the ends of the
        client's contracts (not cancelled) that follow it without a gap, each from the day the
        one before ends (``IncidentRecord.renewals``)."""
        if not ids:
            return {}
        rows = self.db.rows(f"{contracts_sql(self.db)} WHERE c.id IN (:ids)", {"ids": sorted(ids)})
        loaded = with_changes(self.db, rows)
        into.update((c.id, c) for c in loaded)
        chains: dict[int, list[ContractRecord]] = {c.id: [c] for c in loaded if c.end is not None}
        closes = {r.month: moment(r.closed_at) for r in self.db.rows(_CLOSES)} if chains else {}
        for _ in range(_MOST_RENEWALS):
            last = {first: chain[-1] for first, chain in chains.items()}
            ending = [c for c in last.values() if c.end is not None]
            if not ending:
                break
            rows = self.db.rows(
                f"{contracts_sql(self.db)} WHERE c.client_id IN (:clients) AND c.start IN (:days)",
                {"clients": sorted({c.client.id for c in ending}),
                 "days": sorted({c.end for c in ending if c.end is not None})},
            )  # fmt: skip
            follow = {(n.client.id, n.start): n for n in with_changes(self.db, rows)
                      if not n.cancelled}  # fmt: skip
            grown = False
            for first, tail in last.items():
                found = None if tail.end is None else follow.get((tail.client.id, tail.end))
                if found is not None and found.id != tail.id and _known(found, tail, closes):
                    chains[first].append(found)
                    grown = True
            if not grown:
                break
        return {first: tuple(n.end for n in chain[1:]) for first, chain in chains.items()
                if len(chain) > 1}  # fmt: skip

    def _events(self, ids: list[int]) -> dict[int, tuple[IncidentEvent, ...]]:
        found: dict[int, list[IncidentEvent]] = {i: [] for i in ids}
        rows = self.db.rows(
            "SELECT * FROM incident_events WHERE incident_id IN (:ids) ORDER BY id", {"ids": ids}
        )
        for r in rows:
            found[r.incident_id].append(event_record(r))
        return {i: tuple(events) for i, events in found.items()}

    def incidents(self, q: IncidentQuery) -> list[IncidentRecord]:
        """Incidents, oldest first."""
        return list(self.iter_incidents(q))

    def incident(self, incident_id: int) -> IncidentRecord:
        (found,) = self.incidents(IncidentQuery(UTC, incident_id=incident_id, with_cancelled=True))
        return found

    def latest_incident(
        self, client_id: int, ticket: str, open_only: bool
    ) -> IncidentRecord | None:
        """The ticket's latest incident not cancelled (or its open one)."""
        where = f"i.ticket = :ticket AND i.client_id = :client AND NOT {sql.cancelled()}"
        if open_only:
            where += f" AND NOT {sql.resolved()}"
        found = self.db.value(
            f"SELECT i.id FROM incidents i WHERE {where} "
            "ORDER BY i.opened_at DESC, i.id DESC LIMIT 1",
            {"ticket": ticket, "client": client_id},
        )
        return None if found is None else self.incident(found)

    def ticket_incidents(self, client_id: int, ticket: str) -> list[IncidentRecord]:
        """Every incident of the ticket, cancelled ones too, oldest first."""
        return self.incidents(
            IncidentQuery(UTC, client_id=client_id, ticket=ticket, with_cancelled=True)
        )

    def ticket_titles(
        self, client_ids: list[int], tickets: list[str], before: datetime
    ) -> dict[int, dict[str, str | None]]:
        """The title of each ticket's latest incident not cancelled opened before ``before``
        (a statement's: the end of its month, so that a later incident never changes it), by
        client id and ticket (only the tickets that have one)."""
        out: dict[int, dict[str, str | None]] = {}
        for at in range(0, len(tickets), 500):
            rows = self.db.rows(
                "SELECT i.client_id, i.ticket, i.title FROM incidents i "
                f"WHERE i.client_id IN (:clients) AND i.ticket IN (:tickets) "
                f"AND i.opened_at < :before AND NOT {sql.cancelled()} ORDER BY i.opened_at, i.id",
                {"clients": client_ids, "tickets": tickets[at : at + 500], "before": before},
            )
            for r in rows:  # the latest wins
                out.setdefault(r.client_id, {})[r.ticket] = r.title
        return out

    def contract_incidents(self, contract_id: int) -> list[str]:
        """Tickets of the contract's incidents not cancelled."""
        return self.db.column(
            f"SELECT i.ticket FROM incidents i WHERE i.contract_id = :contract "
            f"AND NOT {sql.cancelled()} ORDER BY i.opened_at",
            {"contract": contract_id},
        )

    def open_tickets(self, prefix: str) -> list[str]:
        """Tickets of open incidents matching the LIKE pattern ``prefix`` (completion)."""
        return self.db.column(
            f"SELECT DISTINCT i.ticket FROM incidents i WHERE i.ticket LIKE :prefix ESCAPE '\\' "
            f"AND {sql.is_open()} ORDER BY i.ticket LIMIT 200",
            {"prefix": prefix},
        )

    def add_incident(
        self, contract: ContractRecord, ticket: str, title: str | None, at: datetime,
        user: str, priority: str | None = None,
    ) -> IncidentRecord:  # fmt: skip
        incident_id = self.db.insert(
            "incidents",
            {"contract_id": contract.id, "client_id": contract.client.id, "ticket": ticket,
             "title": title, "opened_at": at, "created_at": self.db.clock(),
             "created_by": user, "priority": priority},
        )  # fmt: skip
        return self.incident(incident_id)

    def add_event(self, incident_id: int, new: NewEvent, by: str) -> IncidentRecord:
        """Append an event to the incident's log, stamped by the real clock; the incident as
        it stands after it."""
        self.db.insert(
            "incident_events",
            {"incident_id": incident_id, "kind": new.kind.value, "at": new.at,
             "undoes": None if new.undoes is None else new.undoes.id, "note": new.note,
             "by": by, "created_at": self.db.clock(), "value": new.value},
        )  # fmt: skip
        return self.incident(incident_id)
