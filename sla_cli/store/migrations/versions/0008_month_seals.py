"""The seal's chain: each close's link over its incidents, its figures and the close before it.

``month_seals`` holds one row per closed month (``domain.chain``): the digest of the month's
incidents and incident events (``clocks_digest``, over the window ``starts_at``–``ends_at`` and
the events recorded up to ``last_event_id``), the link before it (``previous``) and its own
(``chain``). It refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL), as every ledger table
does. ``incidents_open_month`` and ``incident_events_open_month`` refuse an incident opened, an
event dated, or an undo of an event dated, before the end of the newest sealed month, as
``entries_open_month`` refuses entries. ``ix_incident_events_at`` finds a month's events.

Months closed before this revision are sealed by it, oldest first, marked ``late`` (their
digests are of the rows as they stand at the upgrade).

The names and messages are copied here as literals: a migration says what the schema was at its
revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from sla_cli.store.db import Db, Params, expand, sqlite_value

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CLOSED = "that time is in a closed month: its SLA clocks are final"
INCIDENT_WHEN = "NEW.opened_at < (SELECT max(ends_at) FROM month_seals)"
EVENT_WHEN = (
    'NEW."at" < (SELECT max(ends_at) FROM month_seals) OR '
    '(SELECT u."at" FROM incident_events u WHERE u.id = NEW.undoes) '
    "< (SELECT max(ends_at) FROM month_seals)"
)


def upgrade() -> None:
    op.create_table(
        "month_seals",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=True),
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.Column("clocks_digest", sa.String(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sealed_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["month"], ["closed_months.month"]),
        sa.PrimaryKeyConstraint("month"),
        sa.UniqueConstraint("chain"),
    )
    op.create_index("ix_incident_events_at", "incident_events", ["at"])
    _seal_closed_months()
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()
    else:
        _sqlite_guards()


def _seal_closed_months() -> None:
    """Chain every month closed before this revision, oldest first, marked late."""
    from sla_cli.domain.month import Month
    from sla_cli.ops.seals import seal_link
    from sla_cli.store.store import Store

    bind = op.get_bind()
    s = Store(_Connection(bind))
    for (label,) in bind.execute(sa.text("SELECT month FROM closed_months ORDER BY month")):
        seal_link(s, Month.parse(label), "sla upgrade", late=True)


class _Connection(Db):
    """The store's driver over the migration's connection (its rows and parameters as the
    store's own drivers give and take them)."""

    def __init__(self, bind: sa.Connection) -> None:
        super().__init__("the ledger")
        self.bind = bind
        self.dialect = bind.dialect.name  # type: ignore[misc]

    def _value(self, v: Any) -> Any:
        return sqlite_value(v) if self.dialect == "sqlite" else v

    def _execute(self, sql: str, params: dict[str, Any]) -> Any:
        return self.bind.execute(sa.text(sql), {k: self._value(v) for k, v in params.items()})

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            names = ", ".join(f'"{n}"' for n in r)
            marks = ", ".join(f":{n}" for n in r)
            self._execute(*expand(f"INSERT INTO {table} ({names}) VALUES ({marks})", r))

    def month_of(self, column: str) -> str:
        if self.dialect == "sqlite":
            return f"strftime('%Y-%m', {column})"
        return f"to_char({column}, 'YYYY-MM')"

    def clock(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def rows(self, sql: str, params: Params | None = None) -> list[Any]:
        return list(self._execute(*expand(sql, params or {})))


def _sqlite_guards() -> None:
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER month_seals_no_{action.lower()} BEFORE {action} ON month_seals "
            "BEGIN SELECT RAISE(ABORT, 'sla ledger rows are never changed or removed: record a "
            "change instead'); END"
        )
    op.execute(
        f"CREATE TRIGGER incidents_open_month BEFORE INSERT ON incidents WHEN {INCIDENT_WHEN} "
        f"BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END"
    )
    op.execute(
        "CREATE TRIGGER incident_events_open_month BEFORE INSERT ON incident_events "
        f"WHEN {EVENT_WHEN} BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END"
    )


def _postgresql_guards() -> None:
    op.execute(
        "CREATE TRIGGER month_seals_append_only BEFORE UPDATE OR DELETE ON month_seals "
        "FOR EACH ROW EXECUTE FUNCTION sla_unchangeable()"
    )
    op.execute(
        "CREATE TRIGGER month_seals_no_truncate BEFORE TRUNCATE ON month_seals "
        "FOR EACH STATEMENT EXECUTE FUNCTION sla_unchangeable()"
    )
    op.execute(
        "CREATE FUNCTION sla_open_incident() RETURNS trigger AS $$ BEGIN "
        f"IF {INCIDENT_WHEN} THEN RAISE EXCEPTION '{CLOSED}'; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE FUNCTION sla_open_event() RETURNS trigger AS $$ BEGIN "
        f"IF {EVENT_WHEN} THEN RAISE EXCEPTION '{CLOSED}'; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER incidents_open_month BEFORE INSERT ON incidents "
        "FOR EACH ROW EXECUTE FUNCTION sla_open_incident()"
    )
    op.execute(
        "CREATE TRIGGER incident_events_open_month BEFORE INSERT ON incident_events "
        "FOR EACH ROW EXECUTE FUNCTION sla_open_event()"
    )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    on = {"incidents_open_month": "incidents", "incident_events_open_month": "incident_events"}
    if postgresql:
        on |= {"month_seals_append_only": "month_seals", "month_seals_no_truncate": "month_seals"}
    else:
        on |= {"month_seals_no_update": "month_seals", "month_seals_no_delete": "month_seals"}
    for trigger, table in on.items():
        op.execute(f"DROP TRIGGER {trigger}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION sla_open_event()")
        op.execute("DROP FUNCTION sla_open_incident()")
    op.drop_index("ix_incident_events_at", table_name="incident_events")
    op.drop_table("month_seals")
