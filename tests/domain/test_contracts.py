"""Signing, ending and cancelling contracts, from the facts alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sla_cli.domain.contracts import (
    Cancelling,
    Ending,
    NewContract,
    Signing,
    plan_cancel,
    plan_end,
    sign,
)
from sla_cli.domain.kinds import ChangeKind, EntryType
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractChange, ContractRecord
from sla_cli.domain.tariffs import Catalog
from sla_cli.errors import ClosedPeriod, InputError
from tests.domain.conftest import contract, entry

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)
NEW = NewContract("ООО «Акме»", "acme", 1, "basic", date(2026, 10, 1))
FRESH = Signing(client_name=None, latest_closed=None, others=(), now=NOW, user="anna")


@pytest.mark.parametrize(
    ("changes", "end", "months", "prepay"),
    [
        ({}, date(2027, 1, 1), 3, Decimal(0)),  # the minimum term by default
        ({"months": 12, "prepaid_months": 12}, date(2027, 10, 1), 12, Decimal(5)),
        ({"months": 13, "prepaid_months": 13}, date(2027, 11, 1), 13, Decimal(10)),
        ({"months": 13, "prepaid_months": 6}, date(2027, 11, 1), 13, Decimal(0)),
        ({"variant": 2, "tier": "standard", "months": None}, date(2026, 11, 1), 1, Decimal(0)),
        ({"variant": 2, "tier": "1", "months": 3, "prepaid_months": 3}, None, 3, Decimal(10)),
        ({"variant": 3, "tier": "optimal", "start": date(2026, 10, 17)}, None, None, Decimal(0)),
    ],
)
def test_terms(
    catalog: Catalog,
    changes: dict[str, object],
    end: date | None,
    months: int | None,
    prepay: Decimal,
) -> None:
    draft = sign(catalog, replace(NEW, **changes), FRESH)  # type: ignore[arg-type]
    assert draft.key == "ACME"
    assert draft.months == months
    assert draft.prepay_discount == prepay
    if end is not None:
        assert draft.end == end
    assert draft.first_package == (draft.variant.number == 3)


@pytest.mark.parametrize(
    ("changes", "facts", "error", "words"),
    [
        ({"months": 2}, {}, InputError, "minimum term of 3 months"),
        ({"start": date(2026, 10, 5)}, {}, InputError, "--start 2026-10-01?"),
        ({"prepaid_months": 4}, {}, InputError, "between 0 and the term"),
        ({"hour_discount": Decimal(16)}, {}, InputError, "at most 15 %"),
        ({"key": "1ACME"}, {}, InputError, "client key"),
        ({"client_name": "  "}, {}, InputError, "name is empty"),
        ({"start": date(2040, 1, 1)}, {}, InputError, "ten years ahead"),
        ({}, {"latest_closed": Month(2026, 10)}, ClosedPeriod, "up to 2026-10 are closed"),
        ({}, {"client_name": "Другое"}, InputError, "belongs to «Другое»"),
        ({}, {"others": (contract(start=date(2026, 12, 1)),)}, InputError, "may not overlap"),
        ({}, {"others": (contract(variant=3, start=date(2025, 1, 1)),)}, InputError, "overlap"),
        ({"variant": 3, "tier": "nope"}, {}, InputError, "no tier 'nope'"),
    ],
)
def test_refusals(
    catalog: Catalog,
    changes: dict[str, object],
    facts: dict[str, object],
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=None) as e:
        sign(catalog, replace(NEW, **changes), replace(FRESH, **facts))  # type: ignore[arg-type]
    assert words in str(e.value)


def test_a_contract_after_another_ends_is_fine(catalog: Catalog) -> None:
    before = contract(start=date(2026, 7, 1), signed_end=date(2026, 10, 1))
    facts = replace(FRESH, others=(before,), client_name="ООО «Акме»")
    assert sign(catalog, NEW, facts).start == date(2026, 10, 1)


OPEN = Ending(min_months=3, latest_closed=None, later_entries=0, others=())


def moved(end: date, id: int = 1, kind: ChangeKind = ChangeKind.END) -> ContractChange:
    return ContractChange(id, kind, end if kind == ChangeKind.END else None, None, "anna", NOW)


@pytest.mark.parametrize(
    ("record", "last", "facts", "result", "months"),
    [
        # a 12-month contract ended early, after its minimum term
        (contract(signed_months=12, signed_end=date(2027, 10, 1)), date(2027, 3, 31), OPEN,
         date(2027, 4, 1), 6),
        (contract(variant=3), date(2026, 12, 15), OPEN, date(2026, 12, 16), None),
        # later as well as earlier, any number of times: the latest change wins
        (contract(), date(2027, 3, 31), OPEN, date(2027, 4, 1), 6),
        (contract(changes=(moved(date(2027, 4, 1)),)), date(2027, 1, 31), OPEN,
         date(2027, 2, 1), 4),
        (contract(changes=(moved(date(2027, 4, 1)), moved(date(2027, 2, 1), 2))),
         date(2027, 6, 30), OPEN, date(2027, 7, 1), 9),
        # a closed month before every month the move touches
        (contract(), date(2027, 3, 31), replace(OPEN, latest_closed=Month(2026, 12)),
         date(2027, 4, 1), 6),
    ],
)  # fmt: skip
def test_end(
    record: ContractRecord, last: date, facts: Ending, result: date, months: int | None
) -> None:
    end = plan_end(record, last, facts, "renewed")
    assert end == result
    after = record._replace(changes=(*record.changes, moved(end, 9)))
    assert (after.end, after.months, after.last_day) == (result, months, last)
    assert after.signed_end == record.signed_end  # the term as signed stays


@pytest.mark.parametrize(
    ("record", "last", "facts", "error", "words"),
    [
        (contract(), date(2026, 11, 15), OPEN, InputError, "end on a month's last day"),
        (contract(), date(2026, 11, 30), OPEN, InputError,
         "minimum term of 3 months; ending after 2 is too early"),
        (contract(), date(2026, 12, 31), OPEN, InputError, "already runs through 2026-12-31"),
        (contract(variant=3), date(2026, 9, 30), OPEN, InputError, "it cannot end before"),
        (contract(), date(2027, 2, 28), replace(OPEN, later_entries=4), InputError,
         "4 entries after 2027-02-28; void them first"),
        # moving later touches the days after the old end: January is closed
        (contract(), date(2027, 2, 28), replace(OPEN, latest_closed=Month(2027, 1)),
         ClosedPeriod, "months up to 2027-01 are closed"),
        # moving earlier touches the days after the new end
        (contract(signed_end=date(2027, 4, 1), signed_months=6), date(2027, 1, 31),
         replace(OPEN, latest_closed=Month(2027, 2)), ClosedPeriod, "only within open months"),
        (contract(), date(2027, 3, 31), replace(OPEN, others=(contract(start=date(2027, 3, 1)),)),
         InputError, "may not overlap"),
        (contract(changes=(moved(date(2027, 1, 1), kind=ChangeKind.CANCEL),)), date(2027, 3, 31),
         OPEN, InputError, "is cancelled"),
    ],
)  # fmt: skip
def test_end_refusals(
    record: ContractRecord, last: date, facts: Ending, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as e:
        plan_end(record, last, facts, None)
    assert words in str(e.value)


PACKAGE = contract(variant=3)
FIRST = entry(EntryType.TOPUP, id=3, on=PACKAGE.start, minutes=600)
NOTHING = Cancelling(latest_closed=None, first_entry=3, unreversed=(FIRST,), incidents=())


def test_cancel_reverses_the_first_package_only() -> None:
    assert plan_cancel(PACKAGE, "signed twice", NOTHING) == FIRST
    assert plan_cancel(contract(), "wrong tier", replace(NOTHING, unreversed=())) is None
    # voided already: nothing left to reverse
    assert plan_cancel(PACKAGE, "x", replace(NOTHING, unreversed=())) is None


@pytest.mark.parametrize(
    ("record", "note", "facts", "error", "words"),
    [
        (PACKAGE, "x", replace(NOTHING, unreversed=(FIRST, entry(id=8), entry(id=9))),
         InputError, "has 2 entries not reversed (8, 9); void them first"),
        # a second package is not its first one
        (PACKAGE, "x", replace(NOTHING, first_entry=2), InputError, "entries not reversed (3)"),
        (PACKAGE, "x", replace(NOTHING, incidents=("ACME-1",)), InputError,
         "has incidents ACME-1; cancel them first"),
        (PACKAGE, "x", replace(NOTHING, latest_closed=Month(2026, 10)), ClosedPeriod,
         "2026-10 is closed"),
        (PACKAGE, "  ", NOTHING, InputError, "say why"),
        (PACKAGE, "x" * 1001, NOTHING, InputError, "--note is 1001 characters"),
        (PACKAGE._replace(changes=(moved(date(2027, 1, 1), kind=ChangeKind.CANCEL),)), "x",
         NOTHING, InputError, "was cancelled by anna"),
    ],
)  # fmt: skip
def test_cancel_refusals(
    record: ContractRecord, note: str, facts: Cancelling, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as e:
        plan_cancel(record, note, facts)
    assert words in str(e.value)


def test_a_cancelled_contract_says_who_when_and_why() -> None:
    change = ContractChange(1, ChangeKind.CANCEL, None, "signed twice", "boris", NOW)
    c = contract(changes=(change,))
    assert c.cancelled is not None and (c.cancelled.by, c.cancelled.note) == (
        "boris",
        "signed twice",
    )
    assert c.end == c.signed_end  # a cancellation moves no end
    assert contract().cancelled is None
