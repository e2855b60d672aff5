"""What may be reversed: every entry once, except reversals and what month close posted."""

from __future__ import annotations

from sla_cli.domain.kinds import CLOSE_TYPES, EntryType
from sla_cli.domain.records import EntryRecord
from sla_cli.domain.text import MAX_NOTE, check_length
from sla_cli.errors import InputError

__all__ = ["check_reversible", "reversal_note"]


def check_reversible(entry: EntryRecord, reversed_by: int | None) -> None:
    """Refuse to reverse a reversal, a month-close posting, or an entry already reversed."""
    if entry.type == EntryType.REVERSAL:
        raise InputError(f"entry {entry.id} is itself a reversal; it cannot be voided")
    if entry.type in CLOSE_TYPES:
        raise InputError(f"entry {entry.id} was posted by month close; it cannot be voided")
    if reversed_by is not None:
        raise InputError(f"entry {entry.id} is already voided (by entry {reversed_by})")


def reversal_note(entry: EntryRecord, note: str | None, undo: bool = False) -> str:
    """The note of a reversing entry: the user's, else what it reverses."""
    check_length(note, MAX_NOTE, "--note")
    if note:
        return note
    return f"undo of entry {entry.id}" if undo else f"voids entry {entry.id}"
