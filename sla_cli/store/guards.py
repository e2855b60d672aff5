"""The database's own guards: the triggers that keep the ledger append-only and closed months
final, and on PostgreSQL the functions they call.

The migrations create them, each from its own copy of the definitions (a migration says what
the schema was at its revision). This module says what every guard is at the current revision,
so that verifying a ledger checks each one is still in place, enabled, and defined as the
revisions created it (``Store.guard_problems``): on SQLite the ``CREATE TRIGGER`` text that
``sqlite_master`` keeps; on PostgreSQL each trigger's table, timing, events and level and the
function it calls, and each function's language and body.

A revision that adds guards adds them to the block "What the revisions created", and nowhere
else: a table whose rows are never changed or removed to ``LEDGER_TABLES`` (with the refusal its
triggers were created with), a trigger that refuses some INSERTs to ``INSERT_GUARDS``.
"""

from __future__ import annotations

from typing import NamedTuple


class Refusal(NamedTuple):
    """How a table's triggers refuse UPDATE and DELETE: the message SQLite's raise, and the
    function PostgreSQL's row trigger calls (which raises it)."""

    message: str
    function: str


class InsertGuard(NamedTuple):
    """A trigger that refuses an INSERT on ``table`` when a condition holds: SQLite's checks
    ``sqlite_when``, PostgreSQL's calls ``function``, which checks ``pg_condition``."""

    name: str
    table: str
    message: str
    sqlite_when: str
    function: str
    pg_condition: str


# -- What the revisions created -----------------------------------------------------------------

APPENDED = Refusal(  # revisions 0001 to 0003, and SQLite's rebuilds of their tables since
    "the ledger is append-only: post a reversing entry instead", "sla_append_only"
)
UNCHANGEABLE = Refusal(  # revision 0004 on
    "sla ledger rows are never changed or removed: record a change instead", "sla_unchangeable"
)
TRUNCATE = UNCHANGEABLE  # PostgreSQL's statement triggers that refuse TRUNCATE (revision 0004)

# Every table of the ledger: rows are added, never changed or deleted.
LEDGER_TABLES: dict[str, Refusal] = {
    "clients": UNCHANGEABLE,  # 0004
    "contracts": UNCHANGEABLE,  # 0004
    "contract_changes": APPENDED,  # 0003 (and SQLite's rebuild in 0005)
    "entries": APPENDED,  # 0001 (and SQLite's rebuild in 0002)
    "closed_months": APPENDED,  # 0001
    "closings": APPENDED,  # 0001
    "incidents": UNCHANGEABLE,  # 0004
    "incident_events": APPENDED,  # 0003 (and SQLite's rebuild in 0004)
    "timers": UNCHANGEABLE,  # 0004
    "timer_ends": UNCHANGEABLE,  # 0004
    "client_details": UNCHANGEABLE,  # 0006
    "documents": UNCHANGEABLE,  # 0006
    "payments": UNCHANGEABLE,  # 0006
    "notices": UNCHANGEABLE,  # 0007
    "notice_attempts": UNCHANGEABLE,  # 0007
    "month_seals": UNCHANGEABLE,  # 0008
    "mail_messages": UNCHANGEABLE,  # 0009
    "mail_decisions": UNCHANGEABLE,  # 0009
    "people": UNCHANGEABLE,  # 0012
}

CLOSED = "the month of this entry is closed: date the adjustment in an open month"
SEALED = "that time is in a closed month: its SLA clocks are final"  # 0008
INCIDENT_WHEN = "NEW.opened_at < (SELECT max(ends_at) FROM month_seals)"
EVENT_WHEN = (
    'NEW."at" < (SELECT max(ends_at) FROM month_seals) OR '
    '(SELECT u."at" FROM incident_events u WHERE u.id = NEW.undoes) '
    "< (SELECT max(ends_at) FROM month_seals)"
)
INSERT_GUARDS = (
    InsertGuard(  # 0004: no entry dated in a closed month
        "entries_open_month",
        "entries",
        CLOSED,
        sqlite_when='EXISTS (SELECT 1 FROM closed_months WHERE month = substr(NEW."on", 1, 7))',
        function="sla_open_month",
        pg_condition=(
            "EXISTS (SELECT 1 FROM closed_months WHERE month = to_char(NEW.\"on\", 'YYYY-MM'))"
        ),
    ),
    InsertGuard(  # 0008: no incident opened in a closed month
        "incidents_open_month",
        "incidents",
        SEALED,
        sqlite_when=INCIDENT_WHEN,
        function="sla_open_incident",
        pg_condition=INCIDENT_WHEN,
    ),
    InsertGuard(  # 0008: no event dated in a closed month, nor an undo of one dated there
        "incident_events_open_month",
        "incident_events",
        SEALED,
        sqlite_when=EVENT_WHEN,
        function="sla_open_event",
        pg_condition=EVENT_WHEN,
    ),
)
OPEN_MONTH = INSERT_GUARDS[0].name  # refuses an entry dated in a closed month

# 0011, PostgreSQL only: each table with an author, and its author's column; a trigger sets
# ``entered_by`` to ``session_user`` and refuses another author from anyone but a manager
AUTHORS: dict[str, str] = {
    "clients": "created_by",
    "contracts": "created_by",
    "contract_changes": "by",
    "entries": "by",
    "closed_months": "closed_by",
    "month_seals": "sealed_by",
    "incidents": "created_by",
    "incident_events": "by",
    "timers": "by",
    "timer_ends": "by",
    "client_details": "by",
    "documents": "by",
    "payments": "by",
    "notices": "by",
    "notice_attempts": "by",
    "mail_messages": "by",
    "mail_decisions": "by",
}
# the ledger's name, which its roles' names start with: the database, and the schema
PREFIX = (
    "current_database() || CASE current_schema() WHEN 'public' THEN '' "
    "ELSE '_' || current_schema() END"
)
MANAGER = f"{PREFIX} || '_manager'"
IS_MANAGER = f"pg_catalog.pg_has_role(session_user, {MANAGER}, 'MEMBER')"
# 0012: a login's name in the ledger (its latest row of ``people``), and the session role's
NAME_OF = "(SELECT p.name FROM people p WHERE p.login = {login} ORDER BY p.id DESC LIMIT 1)"
NAME = NAME_OF.format(login="session_user")
# 0012: what row-level security lets a role add to ``entries`` (its policy ``entries_add``
# calls it): a manager anything, anyone else work, and reversals of entries by themselves
ENTRY_ALLOWED = "sla_entry_allowed"
ENTRY_ALLOWED_BODY = (
    f"BEGIN RETURN {IS_MANAGER} OR entry_type = 'work' OR (entry_type = 'reversal' AND EXISTS "
    '(SELECT 1 FROM entries o WHERE o.id = reversed_id AND o."by" IN (session_user::text, '
    f"{NAME}))); END"
)

# -- The definitions they make ------------------------------------------------------------------

# pg_trigger.tgtype: the trigger's level, timing and events, as bits
ROW, BEFORE, INSTEAD = 1, 2, 64
EVENTS = {"INSERT": 4, "UPDATE": 16, "DELETE": 8, "TRUNCATE": 32}


class PgTrigger(NamedTuple):
    """A PostgreSQL trigger as the catalog holds it (``pg_trigger``)."""

    table: str
    type: int  # tgtype
    function: str  # in the ledger's schema

    def fires(self) -> str:
        return fires(self.type)


class PgFunction(NamedTuple):
    """A PostgreSQL function as the catalog holds it (``pg_proc``)."""

    language: str
    body: str  # prosrc, whitespace collapsed


def collapsed(text: str) -> str:
    """``text`` with every run of whitespace one space, none at either end."""
    return " ".join(text.split())


def tgtype(events: tuple[str, ...], row: bool) -> int:
    """The ``tgtype`` of a BEFORE trigger on ``events``, for each row or each statement."""
    return BEFORE | (ROW if row else 0) | sum(EVENTS[e] for e in events)


def fires(type_: int) -> str:
    """When a trigger of ``tgtype`` ``type_`` fires, as ``CREATE TRIGGER`` says it."""
    timing = "BEFORE" if type_ & BEFORE else "INSTEAD OF" if type_ & INSTEAD else "AFTER"
    events = " OR ".join(e for e, bit in EVENTS.items() if type_ & bit) or "no event"
    return f"{timing} {events} FOR EACH {'ROW' if type_ & ROW else 'STATEMENT'}"


def _sqlite_refusal(table: str, action: str, message: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def _sqlite_insert_guard(g: InsertGuard) -> str:
    return (
        f"CREATE TRIGGER {g.name} BEFORE INSERT ON {g.table} WHEN {g.sqlite_when} "
        f"BEGIN SELECT RAISE(ABORT, '{g.message}'); END"
    )


def _raises(message: str) -> str:
    return f"BEGIN RAISE EXCEPTION '{message}'; END"


def _raises_if(condition: str, message: str) -> str:
    return f"BEGIN IF {condition} THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END"


def author_body(column: str) -> str:
    """The body of the function that sets and checks the author in ``column`` (0012): the
    session role's name (``people``), or its login when it has none."""
    return (
        "DECLARE me text := coalesce(" + NAME + ", session_user); "
        "BEGIN NEW.entered_by := session_user; "
        f'IF NEW."{column}" IS NULL OR NEW."{column}" IN (session_user::text, me) THEN '
        f'NEW."{column}" := me; '
        f"ELSIF NOT {IS_MANAGER} THEN "
        f"RAISE EXCEPTION 'recording a row by % needs the manager role (%)', NEW.\"{column}\", "
        f"{MANAGER} USING ERRCODE = '42501'; "
        f'ELSE NEW."{column}" := coalesce((SELECT p.name FROM people p WHERE p.login = '
        f'NEW."{column}" ORDER BY p.id DESC LIMIT 1), NEW."{column}"); '
        "END IF; RETURN NEW; END"
    )


def sqlite_triggers() -> dict[str, str]:
    """Each guard trigger of an SQLite ledger, by name: the text ``sqlite_master`` holds."""
    out = {
        f"{table}_no_{action.lower()}": _sqlite_refusal(table, action, refusal.message)
        for table, refusal in LEDGER_TABLES.items()
        for action in ("UPDATE", "DELETE")
    }
    out.update((g.name, _sqlite_insert_guard(g)) for g in INSERT_GUARDS)
    return out


def pg_triggers() -> dict[str, PgTrigger]:
    """Each guard trigger of a PostgreSQL ledger, by name."""
    out = {}
    for table, refusal in LEDGER_TABLES.items():
        out[f"{table}_append_only"] = PgTrigger(
            table, tgtype(("UPDATE", "DELETE"), row=True), refusal.function
        )
        out[f"{table}_no_truncate"] = PgTrigger(
            table, tgtype(("TRUNCATE",), row=False), TRUNCATE.function
        )
    for g in INSERT_GUARDS:
        out[g.name] = PgTrigger(g.table, tgtype(("INSERT",), row=True), g.function)
    for table, column in AUTHORS.items():
        out[f"{table}_author"] = PgTrigger(
            table, tgtype(("INSERT",), row=True), f"sla_author_{column}"
        )
    return out


def pg_functions() -> dict[str, PgFunction]:
    """Each function a guard trigger of a PostgreSQL ledger calls, by name."""
    out = {
        r.function: PgFunction("plpgsql", _raises(r.message))
        for r in (*LEDGER_TABLES.values(), TRUNCATE)
    }
    out.update(
        (g.function, PgFunction("plpgsql", _raises_if(g.pg_condition, g.message)))
        for g in INSERT_GUARDS
    )
    out.update(
        (f"sla_author_{c}", PgFunction("plpgsql", collapsed(author_body(c))))
        for c in sorted(set(AUTHORS.values()))
    )
    out[ENTRY_ALLOWED] = PgFunction("plpgsql", collapsed(ENTRY_ALLOWED_BODY))
    return out


def expected(dialect: str) -> set[str]:
    """The guard triggers a ledger at the current revision has on ``dialect``."""
    return set(pg_triggers() if dialect == "postgresql" else sqlite_triggers())
