"""What may be voided or undone."""

from __future__ import annotations

import pytest

from sla_cli.domain.kinds import EntryType
from sla_cli.domain.reversals import check_reversible, reversal_note
from sla_cli.errors import InputError
from tests.domain.conftest import entry


@pytest.mark.parametrize("kind", [EntryType.WORK, EntryType.TOPUP])
def test_reversible(kind: EntryType) -> None:
    check_reversible(entry(kind), None)


@pytest.mark.parametrize(
    ("record", "reversed_by", "words"),
    [
        (entry(EntryType.REVERSAL, reverses=3), None, "itself a reversal"),
        (entry(EntryType.BURN), None, "posted by month close"),
        (entry(EntryType.OVERAGE), None, "posted by month close"),
        (entry(EntryType.CARRY), None, "posted by month close"),
        (entry(), 9, "already voided (by entry 9)"),
    ],
)
def test_refused(record: object, reversed_by: int | None, words: str) -> None:
    with pytest.raises(InputError) as e:
        check_reversible(record, reversed_by)  # type: ignore[arg-type]
    assert words in str(e.value)


@pytest.mark.parametrize(
    ("note", "undo", "text"),
    [(None, False, "voids entry 7"), (None, True, "undo of entry 7"), ("typo", False, "typo")],
)
def test_note(note: str | None, undo: bool, text: str) -> None:
    assert reversal_note(entry(), note, undo) == text
