"""What a close seals, and how a closed month's differences read."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.billing import MonthUsage, close_month
from sla_cli.domain.kinds import ChangeKind
from sla_cli.domain.month import Month
from sla_cli.domain.records import ClientRecord, ContractChange
from sla_cli.domain.seal import (
    ClosedFigures,
    Difference,
    SealPass,
    compare,
    describe,
    entry_values,
    month_digest,
)
from sla_cli.domain.tariffs import Priority
from tests.domain.conftest import contract, entry

OCT = Month(2026, 10)


def digest(entries: list[Any], contracts: list[Any], clock_terms: str | None = None) -> str:
    return month_digest([entry_values(e) for e in entries], contracts, clock_terms)


ENTRIES = [entry(id=1, minutes=60), entry(id=2, minutes=90, ticket="ACME-2")]
SEALED = digest(ENTRIES, [contract()])


def test_the_digest_of_a_month_is_what_closes_have_always_sealed() -> None:
    """Pinned: a ledger sealed by any earlier version verifies with this one."""
    night = entry(id=3, minutes=30, amount=Decimal("12.50"), note="ночь", kind=None,
                  started_at=datetime(2026, 10, 5, 7, tzinfo=UTC))  # fmt: skip
    assert digest([*ENTRIES, night], [contract()], '{"x": 1}') == (
        "df4880f739b9816fc4bf49cf61960d83041d46554b34ec94b6fca99bb4bc74cd"
    )


def test_the_digest_is_the_rows_not_their_order() -> None:
    assert digest(list(reversed(ENTRIES)), [contract()]) == SEALED
    assert len(SEALED) == 64


@pytest.mark.parametrize(
    "change",
    [
        {"minutes": 61},
        {"ticket": "ACME-9"},
        {"by": "mallory"},
        {"on": ENTRIES[0].on.replace(day=2)},
        {"created_at": datetime(2026, 10, 3, tzinfo=UTC)},
        {"note": "edited"},
    ],
)
def test_any_change_to_an_entry_changes_the_digest(change: dict[str, Any]) -> None:
    assert digest([ENTRIES[0]._replace(**change), ENTRIES[1]], [contract()]) != SEALED


def test_an_entry_removed_or_added_changes_the_digest() -> None:
    assert digest(ENTRIES[:1], [contract()]) != SEALED
    assert digest([*ENTRIES, entry(id=3)], [contract()]) != SEALED


@pytest.mark.parametrize(
    "change",
    [
        {"price": Decimal("1.00")},
        {"included_minutes": 60},
        {"hour_rate": Decimal("1.00")},
        {"prepay_discount": Decimal("5")},
        {"client": ClientRecord(1, "ACME", "Someone else")},
        {"id": 2},
        {"priorities": (Priority("urgent", 30, 60, 480),)},
    ],
)
def test_any_change_to_the_terms_changes_the_digest(change: dict[str, Any]) -> None:
    assert digest(ENTRIES, [contract()._replace(**change)]) != SEALED


def test_an_end_moved_later_leaves_a_closed_month_sealed() -> None:
    """Moving the end while later months are open is a correction, not a change to October."""
    later = datetime(2026, 12, 1, tzinfo=UTC)
    moved = ContractChange(1, ChangeKind.END, contract().signed_end, None, "anna", later)
    assert digest(ENTRIES, [contract()._replace(changes=(moved,))]) == SEALED


@given(st.lists(st.integers(1, 600), min_size=1, max_size=5), st.integers(0, 4))
def test_changing_any_one_minute_count_is_seen(minutes: list[int], which: int) -> None:
    rows = [entry(id=i + 1, minutes=m) for i, m in enumerate(minutes)]
    i = which % len(rows)
    changed = [*rows[:i], rows[i]._replace(minutes=rows[i].minutes + 1), *rows[i + 1 :]]
    assert digest(changed, [contract()]) != digest(rows, [contract()])


def figures(used: int) -> ClosedFigures:
    return ClosedFigures.of(close_month(contract().terms(OCT), MonthUsage(support_minutes=used)))


def test_a_month_as_closed_has_no_differences() -> None:
    stored = {1: ("ACME", figures(180))}
    assert compare(OCT, SEALED, SEALED, stored, dict(stored)) == []


def test_each_changed_figure_is_one_difference() -> None:
    stored, live = {1: ("ACME", figures(180))}, {1: ("ACME", figures(20 * 60))}
    found = compare(OCT, SEALED, "0" * 64, stored, live)
    assert [d.figure for d in found] == [
        "digest", "burned_minutes", "overage_minutes", "overage_amount", "amount_due",
    ]  # fmt: skip
    burned = found[1]
    assert (burned.stored, burned.live) == (12 * 60, 0)
    assert describe(burned) == (
        "2026-10 ACME (contract 1): hours burned 12:00 at the close, 0:00 now"
    )
    assert describe(found[4]) == (
        "2026-10 ACME (contract 1): amount due 42000.00 at the close, 57000.00 now"
    )


def test_a_close_without_a_digest_is_compared_by_its_figures() -> None:
    stored = {1: ("ACME", figures(180))}
    assert compare(OCT, None, SEALED, stored, dict(stored)) == []


def test_a_contract_gone_from_or_new_in_a_closed_month_is_named() -> None:
    found = compare(OCT, None, SEALED, {1: ("ACME", figures(0))}, {2: ("BETA", figures(0))})
    assert [describe(d) for d in found] == [
        "2026-10 ACME (contract 1): closed with the month, no longer in force in it",
        "2026-10 BETA (contract 2): in force in the month, not in its close",
    ]


def test_a_changed_digest_reads_as_one_line() -> None:
    d = Difference(OCT, None, None, "digest", "a" * 64, "b" * 64)
    assert describe(d) == (
        "2026-10: the month's entries or contract terms changed after the close "
        "(digest aaaaaaaaaaaa… at the close, bbbbbbbbbbbb… now)"
    )


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_a_moment_hashes_the_same_from_sqlites_text_as_from_a_datetime(moment: datetime) -> None:
    """SQLite keeps moments as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC; the seal reads that text
    as it is, and must spell it as the datetime the driver would have made of it."""
    aware = moment.replace(tzinfo=UTC)
    text = aware.strftime("%Y-%m-%d %H:%M:%S.%f")
    day = aware.date()

    def row(on: Any, at: Any) -> tuple[Any, ...]:
        return (1, 1, 1, "ACME-1", on, 60, "work", "work", "support", None, at, "anna", None,
                None, at)  # fmt: skip

    assert month_digest([row(day.isoformat(), text)], []) == month_digest([row(day, aware)], [])


def test_a_seal_pass_gives_the_months_digest_and_each_contracts_own() -> None:
    """A contract's own seal is the month's digest of its entries with its terms alone,
    whichever batches the month's entries come in."""
    other = contract(id=2, client=ClientRecord(2, "BETA", "Beta"))
    entries = [*ENTRIES, entry(id=3, contract_id=2, client_id=2, ticket="BETA-1"),
               entry(id=4, minutes=15)]  # fmt: skip
    found = SealPass([contract(), other], '{"x": 1}')
    for batch in (entries[:1], entries[1:3], entries[3:]):
        found.add([entry_values(e) for e in batch])
    assert found.month.hexdigest() == digest(entries, [contract(), other], '{"x": 1}')
    mine = [e for e in entries if e.contract_id == 1]
    assert found.contract_digests() == {
        1: digest(mine, [contract()], '{"x": 1}'),
        2: digest([entries[2]], [other], '{"x": 1}'),
    }


def test_a_contracts_changed_seal_is_named_with_its_client() -> None:
    figures = close_month(contract().terms(OCT), MonthUsage(support_minutes=60))
    stored = {1: ("ACME", ClosedFigures.of(figures))}
    found = compare(OCT, None, None, stored, stored, ({1: "a" * 64}, {1: "b" * 64}))
    assert found == [Difference(OCT, "ACME", 1, "digest", "a" * 64, "b" * 64)]
    assert describe(found[0]).startswith(
        "2026-10 ACME (contract 1): its entries or terms changed after the close (digest aaaa"
    )
    # a close before contracts had seals of their own (None) is not compared by them
    assert compare(OCT, None, None, stored, stored, ({1: None}, {1: "b" * 64})) == []
