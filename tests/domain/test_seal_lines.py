"""An entry's line in a month's digest: the quick spelling of stored rows is ``json.dumps``'s."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sla_cli.domain.seal import MonthSeal, entry_line, moment_text, month_digest


def dumped(r: tuple[Any, ...]) -> str:
    """The line as the digest has always spelt it: every value through ``json.dumps``."""
    day = r[4] if isinstance(r[4], str) else str(r[4].isoformat())
    line = [r[0], r[1], r[2], r[3], day, r[5], r[6], r[7], r[8],
            None if r[9] is None else str(r[9]), moment_text(r[10]), r[11], r[12], r[13],
            moment_text(r[14])]  # fmt: skip
    return "entry " + json.dumps(line) + "\n"


stored_moment = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
    lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f")
)
moment = st.one_of(
    stored_moment,
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes().map(lambda d: d.isoformat()),  # another spelling
)
text = st.text(st.characters(codec=None))  # any character: control, non-ASCII, surrogates
whole = st.one_of(st.integers(), st.booleans())
value = st.one_of(st.none(), whole, text, st.decimals(allow_nan=False))


@st.composite
def rows(draw: st.DrawFn) -> tuple[Any, ...]:
    """Rows as the ledger stores them, with any of their values of another type."""
    stored = (
        draw(whole), draw(whole), draw(whole), draw(st.none() | text),
        draw(st.dates().map(date.isoformat) | st.dates() | text), draw(whole), draw(text),
        draw(text), draw(st.none() | text), draw(st.none() | st.decimals(allow_nan=True)),
        draw(st.none() | moment), draw(text), draw(st.none() | text), draw(st.none() | whole),
        draw(moment),
    )  # fmt: skip
    mixed = list(stored)
    for i in draw(st.lists(st.sampled_from(range(15)), max_size=3)):
        mixed[i] = draw(value)
    return tuple(mixed)


def _spelt(r: tuple[Any, ...]) -> str | None:
    try:
        return dumped(r)
    except (AttributeError, ValueError, TypeError):  # a value no spelling takes
        return None


@settings(max_examples=500)  # one in ten rows takes the quick spelling
@given(rows())
def test_every_row_is_spelt_as_json_dumps_spells_it(row: tuple[Any, ...]) -> None:
    expected = _spelt(row)
    if expected is None:
        return
    assert entry_line(row) == expected


def test_a_stored_row_in_every_spelling_json_escapes() -> None:
    row = (7, 1, 2, "ACME-1", "2026-10-05", 30, "work", "work", None, Decimal("12.50"),
           "2026-10-05 07:00:00.000000", "anna", 'ночь "\\ \x00\x7f 🙂', None,
           "2026-10-05 07:00:01.250000")  # fmt: skip
    assert entry_line(row) == dumped(row)
    assert '\\u043d\\u043e\\u0447\\u044c \\"\\\\ \\u0000\\u007f \\ud83d\\ude42' in entry_line(row)


def test_entries_added_in_batches_give_the_month_digest() -> None:
    row = (1, 1, 1, None, "2026-10-05", 30, "work", "work", "support", None, None, "anna",
           None, None, "2026-10-05 07:00:00.000000")  # fmt: skip
    entries = [(i, *row[1:]) for i in range(1, 8)]
    seal = MonthSeal([], None)
    seal.add(entries[:3])
    seal.add(entries[3:])
    assert seal.hexdigest() == month_digest(reversed(entries), [])
