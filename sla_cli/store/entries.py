"""The hours ledger: append-only entries, balances and month totals, aggregated in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from sla_cli.domain.billing import MonthUsage, PackageBalance
from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord
from sla_cli.store import convert, sql
from sla_cli.store.base import AlreadyReversed, NewEntry, Part
from sla_cli.store.convert import entry_record, from_kopecks, to_kopecks
from sla_cli.store.selects import entries_sql

if TYPE_CHECKING:
    from sla_cli.store.sealed import MonthSums

STREAM_BATCH = 1000  # rows fetched at a time by the listings that stream
_TURNED_IN_MEMORY = 10_000  # up to this many, the latest are read newest first, then turned


class EntryRow(NamedTuple):
    """An entry's own values, whoever writes it (logs, reversals, imports, month closes)."""

    contract_id: int
    client_id: int
    ticket: str | None
    on: date
    minutes: int
    type: EntryType
    category: EntryType  # what it counts toward: a reversal, the reversed entry's
    kind: WorkKind | None
    amount: Decimal | None
    started_at: datetime | None
    by: str
    note: str | None
    reverses: int | None = None

    @classmethod
    def of(cls, new: NewEntry) -> EntryRow:
        return cls(
            new.contract.id, new.contract.client.id, new.ticket, new.on, new.minutes, new.type,
            new.type, new.kind, new.amount, new.started_at, new.by, new.note,
        )  # fmt: skip


def entry_values(row: EntryRow, stamp: datetime) -> dict[str, Any]:
    """The row of a new entry as the table holds it: the one mapping every writer uses."""
    return {
        "contract_id": row.contract_id,
        "client_id": row.client_id,
        "ticket": row.ticket,
        "on": row.on,
        "minutes": row.minutes,
        "type": row.type.value,
        "category": row.category.value,
        "kind": None if row.kind is None else row.kind.value,
        "amount_kopecks": None if row.amount is None else to_kopecks(row.amount),
        "started_at": row.started_at,
        "by": row.by,
        "note": row.note,
        "reverses": row.reverses,
        "created_at": stamp,
    }


class EntryFilter(NamedTuple):
    """Which entries to list; days inclusive, every condition at once."""

    month: Month | None = None
    client_id: int | None = None
    ticket: str | None = None
    by: str | None = None
    kind: WorkKind | None = None  # work of this kind only
    since: date | None = None
    until: date | None = None
    worked: bool = False  # only work that counts: no reversals, nothing reversed

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The filter as a condition on ``entries e``, with its parameters."""
        conditions: list[str] = ["1 = 1"]
        params: dict[str, Any] = {}
        if self.worked:
            conditions.append(sql.work_counts())
        if self.month is not None:
            conditions.append('e."on" >= :first AND e."on" < :next')
            params["first"], params["next"] = self.month.bounds
        for name, value in (("client_id", self.client_id), ("ticket", self.ticket),
                            ("by", self.by), ("kind", self.kind)):  # fmt: skip
            if value is not None:
                conditions.append(f'e."{name}" = :{name}')
                params[name] = value.value if isinstance(value, WorkKind) else value
        if self.since is not None:
            conditions.append('e."on" >= :since')
            params["since"] = self.since
        if self.until is not None:
            conditions.append('e."on" <= :until')
            params["until"] = self.until
        return " AND ".join(conditions), params


class Entries(Part):
    """Entries: written once, never changed; reversed by another entry."""

    def _entry(
        self, values: dict[str, Any], client_key: str, conflict: Exception | None = None
    ) -> EntryRecord:
        entry_id = self.db.insert("entries", values, conflict)
        row = {"reverses": None, **values, "id": entry_id, **self.db.authors("entries", entry_id)}
        return entry_record(SimpleNamespace(**row), client_key)

    def add_entry(self, new: NewEntry) -> EntryRecord:
        """Append an entry, stamped by the real clock."""
        return self._entry(entry_values(EntryRow.of(new), self.db.clock()), new.contract.client.key)

    def add_reversal(self, original: EntryRecord, by: str, note: str) -> EntryRecord:
        """Append the entry that reverses ``original``: the negated amount, same day and
        category. Raises ``AlreadyReversed`` when another writer reversed it first."""
        o = original
        row = EntryRow(
            o.contract_id, o.client_id, o.ticket, o.on, -o.minutes, EntryType.REVERSAL,
            o.category, o.kind, None if o.amount is None else -o.amount, None, by, note, o.id,
        )  # fmt: skip
        return self._entry(entry_values(row, self.db.clock()), o.client_key, AlreadyReversed())

    def entry(self, entry_id: int) -> EntryRecord | None:
        if not 0 < entry_id < 2**63:
            return None
        row = self.db.row(f"{entries_sql(self.db)} WHERE e.id = :id", {"id": entry_id})
        return None if row is None else entry_record(row, row.client_key)

    def reversed_by(self, entry_id: int) -> int | None:
        """The entry that reversed ``entry_id``, if any."""
        found: int | None = self.db.value(
            "SELECT id FROM entries WHERE reverses = :id", {"id": entry_id}
        )
        return found

    def last_unreversed_work(self, user: str) -> EntryRecord | None:
        """The user's most recent work entry that is not reversed yet."""
        row = self.db.row(
            f'{entries_sql(self.db)} WHERE e."by" = :by AND {sql.work_counts()} '
            "ORDER BY e.id DESC LIMIT 1",
            {"by": user},
        )
        return None if row is None else entry_record(row, row.client_key)

    def day_minutes(self, by: str, on: date) -> int:
        """What ``by`` has logged on ``on`` that counts (voided entries left out)."""
        return self.db.number(
            f'SELECT sum(e.minutes) FROM entries e WHERE e."by" = :by AND e."on" = :on '
            f"AND {sql.work_counts()}",
            {"by": by, "on": on},
        )

    def day_totals(
        self, authors: list[str], first: date, last: date
    ) -> dict[tuple[str, date], int]:
        """What each of ``authors`` logged that counts, on each day from ``first`` to ``last``."""
        if not authors:
            return {}
        rows = self.db.rows(
            f'SELECT e."by", e."on", sum(e.minutes) AS minutes FROM entries e '
            f'WHERE e."by" IN (:authors) AND e."on" >= :first AND e."on" <= :last '
            f'AND {sql.work_counts()} GROUP BY e."by", e."on"',
            {"authors": authors, "first": first, "last": last},
        )
        return {(r.by, _day(r.on)): int(r.minutes) for r in rows}

    def count_from(self, contract_id: int, day: date) -> int:
        """How many of the contract's entries that count are dated ``day`` or later."""
        return self.db.number(
            f'SELECT count(*) FROM entries e WHERE e.contract_id = :contract AND e."on" >= :day '
            f"AND {sql.counts()}",
            {"contract": contract_id, "day": day},
        )

    def unreversed(self, contract_id: int) -> list[EntryRecord]:
        """The contract's entries that count (not reversals, not reversed), oldest first."""
        rows = self.db.rows(
            f"{entries_sql(self.db)} WHERE e.contract_id = :contract AND {sql.counts()} "
            "ORDER BY e.id",
            {"contract": contract_id},
        )
        return [entry_record(r, r.client_key) for r in rows]

    def first_entry(self, contract_id: int) -> int | None:
        """The id of the contract's first entry (a package contract's first package)."""
        found: int | None = self.db.value(
            "SELECT min(id) FROM entries WHERE contract_id = :contract", {"contract": contract_id}
        )
        return found

    def iter_entries(self, f: EntryFilter) -> Iterator[EntryRecord]:
        """Entries, oldest first, a thousand at a time (memory stays flat however many)."""
        where, params = f.sql()
        rows = self.db.stream(
            f'{entries_sql(self.db)} WHERE {where} ORDER BY e."on", e.id', params, STREAM_BATCH
        )
        return (entry_record(r, r.client_key) for r in rows)

    def sealed_rows(
        self, month: Month, contract_ids: Sequence[int] | None = None
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The month's entries (of ``contract_ids``, or all) as ``sealed_batches`` gives them."""
        where, params = EntryFilter(month).sql()
        if contract_ids is not None:
            where, params["contracts"] = f"{where} AND e.contract_id IN (:contracts)", contract_ids
        return self._sealed(f"{self._sealed_columns()} WHERE {where} ORDER BY e.id", params)

    def sealed_batches(self, months: Sequence[Month]) -> Iterator[list[tuple[Any, ...]]]:
        """The entries dated from the first of ``months`` to the end of the last, by id, a
        batch at a time in one pass over the table (``store.sealed.month_index`` tells which
        month each is in): the columns of ``domain.seal``'s ``ENTRY_FIELDS`` (the amount in
        money; dates and moments as the driver stores them), straight from the driver."""
        if not months:
            return iter(())
        params = {"first": months[0].first_day, "next": months[-1].bounds[1]}
        whole = self._sealed_columns(self.db.whole("entries e"))
        return self._sealed(
            f'{whole} WHERE e."on" >= :first AND e."on" < :next ORDER BY e.id', params
        )

    def _sealed_columns(self, table: str = "entries e") -> str:
        day, started, created = (self.db.as_stored(f"e.{c}") for c in ('"on"', "started_at",
                                                                        "created_at"))  # fmt: skip
        return (
            "SELECT e.id, e.contract_id, e.client_id, "
            f"e.ticket, {day}, e.minutes, e.type, e.category, e.kind, e.amount_kopecks, "
            f'{started}, e."by", e.note, e.reverses, {created} FROM {table}'
        )

    def _sealed(self, query: str, params: dict[str, Any]) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of ``_sealed_columns``, their amount in money, 5,000 at a time."""
        for rows in self.db.batches(query, params, 5000):
            yield [r if r[9] is None else (*r[:9], from_kopecks(r[9]), *r[10:]) for r in rows]

    def entries(self, month: Month | None, client_id: int | None) -> list[EntryRecord]:
        """Entries, oldest first."""
        return list(self.iter_entries(EntryFilter(month, client_id)))

    def worked_by_day(self, f: EntryFilter) -> list[tuple[str, str, date, int]]:
        """Minutes worked that count, summed in SQL by engineer, client and day."""
        where, params = f._replace(worked=True).sql()
        rows = self.db.rows(
            f'SELECT e."by", k.key, e."on", sum(e.minutes) AS minutes FROM entries e '
            f"JOIN clients k ON k.id = e.client_id WHERE {where} "
            f'GROUP BY e."by", k.key, e."on" ORDER BY e."by", e."on", k.key',
            params,
        )
        return [(r.by, r.key, _day(r.on), int(r.minutes)) for r in rows]

    def latest_entries(self, f: EntryFilter, limit: int) -> tuple[Iterator[EntryRecord], int]:
        """The latest ``limit`` entries (by date, then as recorded), oldest first, and how many
        there are in all. A large ``limit`` is read oldest first past the ones left out, as it
        is written out."""
        where, params = f.sql()
        if limit <= _TURNED_IN_MEMORY:
            rows = self.db.rows(
                f'{entries_sql(self.db)} WHERE {where} ORDER BY e."on" DESC, e.id DESC '
                "LIMIT :limit",
                {**params, "limit": limit},
            )
            found = [entry_record(r, r.client_key) for r in rows]
            total = len(found) if len(found) < limit else self._count(where, params)
            return iter(found[::-1]), total
        total = self._count(where, params)
        streamed = self.db.stream(
            f'{entries_sql(self.db)} WHERE {where} ORDER BY e."on", e.id LIMIT :all OFFSET :skip',
            {**params, "all": 2**62, "skip": max(0, total - limit)},
            STREAM_BATCH,
        )
        return (entry_record(r, r.client_key) for r in streamed), total

    def _count(self, where: str, params: dict[str, Any]) -> int:
        return self.db.number(f"SELECT count(*) FROM entries e WHERE {where}", params)

    def last_entry_id(self) -> int:
        """The largest id an entry has (0 for none): how wide an id column may need to be."""
        return self.db.number("SELECT max(id) FROM entries")

    # sums

    def package_balance(
        self, contract: ContractRecord, before: Month | None = None
    ) -> PackageBalance:
        """A package contract's balance facts (those dated before ``before``, default: all).

        The last month closed gives the opening; the open months since are summed per month in
        one grouped query, so the cost grows with the months open, not with the ledger.
        """
        close = self.db.row(
            "SELECT month, closing_balance_minutes FROM closings WHERE contract_id = :contract "
            "AND month < :bound ORDER BY month DESC LIMIT 1",
            {"contract": contract.id, "bound": "9999-12" if before is None else str(before)},
        )
        last = None if close is None else (close.month, close.closing_balance_minutes)
        month = self.db.month_of('"on"')
        rows = self.db.rows(
            f"SELECT {month} AS month, sum(CASE WHEN category IN ('topup', 'overage') THEN minutes "
            "WHEN category = 'work' THEN -minutes ELSE 0 END) AS delta FROM entries "
            'WHERE contract_id = :contract AND "on" >= :since AND "on" < :before GROUP BY 1',
            {
                "contract": contract.id,
                "since": convert.balance_since(last, contract.start),
                "before": date.max if before is None else before.first_day,
            },
        )
        per_month = ((int(r.month[:4]), int(r.month[5:]), r.delta) for r in rows)
        return convert.package_balance(last, per_month)

    def month_usage(
        self, contracts: list[ContractRecord], month: Month, read: MonthSums | None = None
    ) -> dict[int, MonthUsage]:
        """Each contract's totals for the month, in one grouped query (plus balances for
        packages); or from ``read``, the month's sealed rows summed as they were read."""
        ids = [c.id for c in contracts]
        if read is not None and read.exact:
            rows: list[Any] = [(*key, *sums) for key, sums in read.totals.items() if key[0] in ids]
        else:
            first, nxt = month.bounds
            kopecks = self.db.readable("entries", "amount_kopecks")
            rows = self.db.rows(
                "SELECT contract_id, category, kind, sum(minutes) AS minutes, "
                f"sum({kopecks}) AS kopecks FROM entries WHERE contract_id IN (:ids) "
                "AND \"on\" >= :first AND \"on\" < :next AND category IN ('work', 'topup') "
                "GROUP BY contract_id, category, kind",
                {"ids": ids, "first": first, "next": nxt},
            )
        return convert.month_usages(
            contracts, rows, lambda c: self.package_balance(c, month).opening_of(month)
        )

    def packages_bought(
        self, contracts: list[ContractRecord], month: Month
    ) -> dict[int, list[EntryRecord]]:
        """The month's top-up entries that no reversal undid, oldest first, by contract."""
        return self._month_entries(contracts, month, f"e.type = 'topup' AND {sql.counts()}")

    def month_work(
        self, contracts: list[ContractRecord], month: Month
    ) -> dict[int, list[EntryRecord]]:
        """The month's work entries that count (no voids, nothing voided), oldest first, by
        contract: the statements' work report."""
        return self._month_entries(contracts, month, sql.work_counts())

    def _month_entries(
        self, contracts: list[ContractRecord], month: Month, condition: str
    ) -> dict[int, list[EntryRecord]]:
        first, nxt = month.bounds
        out: dict[int, list[EntryRecord]] = defaultdict(list)
        rows = self.db.rows(
            f"{entries_sql(self.db)} WHERE e.contract_id IN (:ids) "
            f'AND e."on" >= :first AND e."on" < :next AND {condition} ORDER BY e."on", e.id',
            {"ids": [c.id for c in contracts], "first": first, "next": nxt},
        )
        for r in rows:
            out[r.contract_id].append(entry_record(r, r.client_key))
        return out

    def client_daily(self, client_id: int, first: date, last: date) -> list[tuple[date, int]]:
        """Hours a client's contracts had logged each day of ``first``–``last``."""
        rows = self.db.rows(_client_daily_sql(), {"client": client_id, "first": first,
                                                  "last": last})  # fmt: skip
        return [(_day(r.on), int(r.minutes or 0)) for r in rows]

    def daily_minutes(
        self, contracts: list[ContractRecord], month: Month
    ) -> dict[int, list[tuple[date, int]]]:
        """Hours logged per day of the month, by contract."""
        first, nxt = month.bounds
        out: dict[int, list[tuple[date, int]]] = defaultdict(list)
        rows = self.db.rows(
            'SELECT contract_id, "on", sum(minutes) AS minutes FROM entries '
            'WHERE contract_id IN (:ids) AND "on" >= :first AND "on" < :next '
            'AND category = \'work\' GROUP BY contract_id, "on" ORDER BY "on"',
            {"ids": [c.id for c in contracts], "first": first, "next": nxt},
        )
        for r in rows:
            out[r.contract_id].append((_day(r.on), int(r.minutes or 0)))
        return out


def _client_daily_sql() -> str:
    return (
        'SELECT "on", sum(minutes) AS minutes FROM entries WHERE client_id = :client '
        'AND "on" >= :first AND "on" <= :last AND category = \'work\' '
        'GROUP BY "on" ORDER BY "on"'
    )


def _day(value: Any) -> date:
    """A date a grouped query returned (SQLite: as text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value
