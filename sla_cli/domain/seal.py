"""Tamper evidence: what a month close seals, and how a closed month differs from its close.

A close records a digest of the month's entries and of the terms of the contracts it closed, and
each contract's figures. Both are final: entries dated in a closed month are refused, contracts
and their changes are append-only, and moving a contract's end or cancelling it never reaches a
closed month. So when the ledger's rows, recomputed, no longer give the digest or the figures
the close stored, someone changed the database behind the tool's back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring_ascii as _json
from typing import Any

from sla_cli.domain.billing import MonthClose
from sla_cli.domain.durations import hours_text
from sla_cli.domain.money import money_str
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord, EntryRecord

__all__ = [
    "ClosedFigures", "ContractDigests", "Difference", "Figures", "MonthSeal", "SealPass",
    "compare", "describe", "entry_line", "entry_values", "month_digest",
]  # fmt: skip

# What a contract's row holds that a closed month depends on: everything it was signed with.
# Its changes are left out: an end moved (or a cancellation) never reaches a closed month.
CONTRACT_FIELDS = (
    "id", "variant", "variant_name", "variant_name_en", "billing", "burns", "tier_key",
    "tier_name", "tier_name_en", "included_minutes", "price", "prepay_discount", "hour_rate",
    "hour_discount", "dev_cap_minutes", "reaction_minutes", "start_minutes", "start",
    "signed_end", "signed_months", "prepaid_months", "timezone", "created_at", "created_by",
)  # fmt: skip
ENTRY_FIELDS = (
    "id", "contract_id", "client_id", "ticket", "on", "minutes", "type", "category", "kind",
    "amount", "started_at", "by", "note", "reverses", "created_at",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """One spelling per value, whatever the database returned it as."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def _day(value: Any) -> str:
    return value if isinstance(value, str) else str(value.isoformat())


def moment_text(value: Any) -> str | None:
    """A moment as ``_plain`` spells an aware UTC datetime, from the datetime or from the text
    SQLite keeps (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return str(value.isoformat())
    if _stored_moment(value):
        return _stored_text(value)
    found = datetime.fromisoformat(value)  # another spelling: read it as the driver would
    found = found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)
    return found.isoformat()


def entry_values(e: EntryRecord) -> tuple[Any, ...]:
    """An entry's values as a seal hashes them, in the order of ``ENTRY_FIELDS``."""
    return tuple(getattr(e, f) for f in ENTRY_FIELDS)


def month_digest(
    entries: Iterable[Sequence[Any]],
    contracts: Iterable[ContractRecord],
    clock_terms: str | None = None,
) -> str:
    """SHA-256 over the month's entries (every column, in the order of ``ENTRY_FIELDS``, by
    id), the closed contracts' terms (with their client's key and
    name, by id) and, for closes that seal them, what the month's SLA clocks are computed with:
    the same on SQLite and PostgreSQL."""
    seal = MonthSeal(contracts, clock_terms)
    seal.add(sorted(entries, key=lambda r: r[0]))
    return seal.hexdigest()


class MonthSeal:
    """``month_digest`` taken as the month's entries come: its terms first, then its entries
    added in order of id, a batch at a time."""

    def __init__(self, contracts: Iterable[ContractRecord], clock_terms: str | None) -> None:
        self._hash = h = hashlib.sha256()
        if clock_terms is not None:
            h.update(b"clocks " + clock_terms.encode() + b"\n")
        for c in sorted(contracts, key=lambda c: c.id):
            terms = (getattr(c, f) for f in CONTRACT_FIELDS)
            row = [c.client.id, c.client.key, c.client.name, *terms,
                   [tuple(p) for p in c.priorities]]  # fmt: skip
            h.update(b"contract " + json.dumps([_plain(v) for v in row]).encode() + b"\n")

    def add(self, entries: Iterable[Sequence[Any]]) -> None:
        """Entries that follow those added before (by id): one update for all of them."""
        self.add_lines(_lines(entries))

    def add_lines(self, lines: list[str]) -> None:
        """Entries' lines (``entry_line``) that follow those added before."""
        self._hash.update("".join(lines).encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _lines(entries: Iterable[Sequence[Any]]) -> list[str]:
    quick, dumped = _quick_line, _dumped_line
    return [quick(r) or dumped(r) for r in entries]


ContractDigests = Mapping[int, str | None]  # by contract id; None: a close before revision 0010


class SealPass:
    """A month's seal and each of its contracts' own, taken at once as the month's entries come
    (by id), each entry spelt once. A contract's own seal is ``month_digest`` of its entries of
    the month with its terms alone: a close records it beside the month's (revision 0010), so
    that a client's statement checks its own part of the month."""

    def __init__(self, contracts: Iterable[ContractRecord], clock_terms: str | None) -> None:
        contracts = list(contracts)
        self.month = MonthSeal(contracts, clock_terms)
        self._each = {c.id: MonthSeal([c], clock_terms) for c in contracts}

    def add(self, entries: Sequence[Sequence[Any]]) -> None:
        lines = _lines(entries)
        self.month.add_lines(lines)
        by_contract: dict[Any, list[str]] = {}
        for r, line in zip(entries, lines, strict=True):
            by_contract.setdefault(r[1], []).append(line)
        for contract_id, own in by_contract.items():
            found = self._each.get(contract_id)
            if found is not None:  # else not in force in the month: the month's seal differs
                found.add_lines(own)

    def contract_digests(self) -> dict[int, str]:
        return {cid: seal.hexdigest() for cid, seal in self._each.items()}


def entry_line(r: Sequence[Any]) -> str:
    """An entry's line in the digest: ``entry`` and its columns as JSON (``json.dumps``), each
    spelt as ``_plain`` spells it."""
    return _quick_line(r) or _dumped_line(r)


def _dumped_line(r: Sequence[Any]) -> str:
    line = [r[0], r[1], r[2], r[3], _day(r[4]), r[5], r[6], r[7], r[8],
            None if r[9] is None else str(r[9]), moment_text(r[10]), r[11], r[12], r[13],
            moment_text(r[14])]  # fmt: skip
    return "entry " + json.dumps(line) + "\n"


def _quick_line(r: Sequence[Any]) -> str | None:
    """``entry_line`` of a row whose whole numbers are ``int`` and whose moments are in the
    text SQLite keeps, else None: spelt by ``int``'s own ``str`` and ``json``'s own escaping
    of text (``encode_basestring_ascii``, which refuses any other value), as ``json.dumps``
    spells them."""
    try:
        (i, contract, client, ticket, day, minutes, type_, category, kind, amount, started, by,
         note, reverses, created) = r  # fmt: skip
    except ValueError:
        return None
    if not (
        type(i) is int
        and type(contract) is int
        and type(client) is int
        and type(minutes) is int
        and (reverses is None or type(reverses) is int)
        and type(created) is str
        and _stored_moment(created)
        and (started is None or (type(started) is str and _stored_moment(started)))
    ):
        return None
    try:
        return (
            f"entry [{i}, {contract}, {client}, {'null' if ticket is None else _json(ticket)}, "
            f"{_json(day)}, {minutes}, {_json(type_)}, {_json(category)}, "
            f"{'null' if kind is None else _json(kind)}, "
            f"{'null' if amount is None else _json(str(amount))}, "
            f"{'null' if started is None else _json(_stored_text(started))}, {_json(by)}, "
            f"{'null' if note is None else _json(note)}, "
            f"{'null' if reverses is None else reverses}, {_json(_stored_text(created))}]\n"
        )
    except TypeError:  # a value that should be text is not (a date, a number)
        return None


def _stored_moment(value: str) -> bool:
    """The text SQLite keeps a moment as: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    return len(value) == 26 and value[10] == " " and value[19] == "."


def _stored_text(value: str) -> str:
    """``moment_text`` of a moment in the text SQLite keeps."""
    fraction = "" if value[20:] == "000000" else value[19:]
    return f"{value[:10]}T{value[11:19]}{fraction}+00:00"


@dataclass(frozen=True)
class ClosedFigures:
    """One contract's figures as a close stores them."""

    burned_minutes: int
    overage_minutes: int
    overage_amount: Decimal
    carried_minutes: int
    closing_balance_minutes: int | None
    amount_due: Decimal

    @classmethod
    def of(cls, figures: MonthClose) -> ClosedFigures:
        return cls(
            burned_minutes=figures.burned_minutes,
            overage_minutes=figures.overage_minutes,
            overage_amount=figures.overage_amount,
            carried_minutes=figures.carried_minutes,
            closing_balance_minutes=figures.closing_balance_minutes,
            amount_due=figures.amount_due,
        )


@dataclass(frozen=True)
class Difference:
    """One way a closed month no longer matches its close.

    ``figure`` is a field of ``ClosedFigures``, or ``"contract"`` (closed with the month but no
    longer in force in it, or in force but not closed: ``stored``/``live`` say which),
    ``"digest"`` (the entries or terms changed: the month's, or with ``contract_id`` that
    contract's own, ``SealPass``) or ``"clock"`` (an incident's clock the config
    in force computes otherwise than the terms the close sealed: ``stored``/``live`` hold the
    ticket, the clock, its status and due time, or None), ``"document"`` (an invoice or an
    act is not what was issued: its digest, or the chain of its kind, no longer holds) or
    ``"numbers"`` (numbers of a kind and year are missing), ``"incidents"`` (the month's
    incidents or events are not what its close sealed), ``"event"`` (an event recorded after
    the close reaches back into it: ``stored`` names it) or ``"chain"`` (the seal's chain
    does not hold there: ``stored["problem"]`` says how) or ``"lost"`` (the ledger no longer
    holds what this machine saw committed to it; ``month`` is the chain's head).
    """

    month: Month
    client: str | None
    contract_id: int | None
    figure: str
    stored: Any
    live: Any


Figures = Mapping[int, tuple[str, ClosedFigures]]  # by contract id: the client's key, figures


def compare(
    month: Month,
    stored_digest: str | None,
    live_digest: str | None,
    stored: Figures,
    live: Figures,
    digests: tuple[ContractDigests, Mapping[int, str]] = ({}, {}),
) -> list[Difference]:
    """Every difference between a month's close and its live rows; none when they agree.

    A close recorded before digests were kept (``stored_digest`` None) is compared by figures;
    ``live_digest`` None: the month's own digest is not compared (a client's part of it is,
    by its contracts' ``digests``: as its close stored them, and as they are now).
    """
    out = []
    if stored_digest is not None and live_digest is not None and stored_digest != live_digest:
        out.append(Difference(month, None, None, "digest", stored_digest, live_digest))
    sealed, now_sealed = digests
    for cid in sorted(sealed.keys() & stored.keys() & now_sealed.keys()):
        if sealed[cid] is not None and sealed[cid] != now_sealed[cid]:
            out.append(Difference(month, stored[cid][0], cid, "digest", sealed[cid],
                                  now_sealed[cid]))  # fmt: skip
    for cid in sorted(stored.keys() | live.keys()):
        if cid not in live or cid not in stored:
            client = (stored.get(cid) or live[cid])[0]
            out.append(Difference(month, client, cid, "contract", cid in stored, cid in live))
            continue
        client, before = stored[cid]
        now = live[cid][1]
        for f in fields(ClosedFigures):
            was, is_ = getattr(before, f.name), getattr(now, f.name)
            if was != is_:
                out.append(Difference(month, client, cid, f.name, was, is_))
    return out


LABELS = {
    "burned_minutes": "hours burned",
    "overage_minutes": "hours billed beyond the tariff",
    "overage_amount": "amount for those hours",
    "carried_minutes": "hours carried on",
    "closing_balance_minutes": "closing balance",
    "amount_due": "amount due",
}


def _value(figure: str, value: Any) -> str:
    if figure.endswith("_minutes"):
        return "none" if value is None else hours_text(value)
    return money_str(value)


def _clock(was: Mapping[str, str] | None, now: Mapping[str, str] | None) -> str:
    """A clock the config in force computes otherwise than the terms its close sealed."""
    any_ = was or now
    assert any_ is not None
    name = f"{any_['ticket']} {any_['clock']}"

    def shown(c: Mapping[str, str] | None) -> str:
        return "none" if c is None else f"{c['status']}, due {c['due']}"

    return (
        f"{name} was {shown(was)} with the clock terms the close sealed, would be {shown(now)} "
        "with the config in force (its schedule, holidays or time zone changed); statements "
        "of the month keep the sealed clocks"
    )


def describe(d: Difference) -> str:
    """One line for a difference: the month, the client, the figure at the close and now."""
    if d.figure == "document":
        return (
            f"{d.month} {d.client}: {d.stored['document']} is not what was issued (its digest "
            f"{str(d.stored['digest'])[:12]}…, {str(d.live['digest'])[:12]}… from what it holds)"
        )
    if d.figure == "numbers":
        missing = ", ".join(str(n) for n in d.stored["missing"])
        return f"{d.stored['document']}: numbers {missing} are missing (removed?)"
    if d.figure == "chain":
        return f"{d.month}: {d.stored['problem']}"
    if d.figure == "lost":  # the ledger lost what was committed (`store.anchor`)
        return str(d.stored["problem"])
    if d.figure == "incidents":
        return (
            f"{d.month}: the month's incidents or their events changed after the close "
            f"(digest {str(d.stored)[:12]}… at the close, {str(d.live)[:12]}… now)"
        )
    if d.figure == "event":
        e = d.stored
        return (
            f"{d.month} {d.client}: {e['ticket']}'s {e['event']} (event {e['id']}, recorded "
            f"after the close) changes {e['reaches']}, in the closed month: sla and the "
            "database refuse that, so it was written behind their backs"
        )
    if d.figure == "digest" and d.contract_id is not None:
        return (
            f"{d.month} {d.client} (contract {d.contract_id}): its entries or terms changed "
            f"after the close (digest {str(d.stored)[:12]}… at the close, {str(d.live)[:12]}… "
            "now)"
        )
    if d.figure == "digest":
        return (
            f"{d.month}: the month's entries or contract terms changed after the close "
            f"(digest {str(d.stored)[:12]}… at the close, {str(d.live)[:12]}… now)"
        )
    who = f"{d.month} {d.client} (contract {d.contract_id})"
    if d.figure == "clock":
        return f"{who}: {_clock(d.stored, d.live)}"
    if d.figure == "contract":
        if d.stored:
            return f"{who}: closed with the month, no longer in force in it"
        return f"{who}: in force in the month, not in its close"
    return f"{who}: {LABELS[d.figure]} {_value(d.figure, d.stored)} at the close, " + (
        f"{_value(d.figure, d.live)} now"
    )
