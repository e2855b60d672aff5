"""`render.natural_width` (whether a table fits, decided without laying it out) equals the width
Rich measures for the same table, whatever its cells hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from sla_cli.render import Cell, Column, _draw, natural_width

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("₽ 中\n\u00a0"),
    max_size=12,
)
CELL = TEXT | st.tuples(TEXT, st.sampled_from(["", "bold red"]))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[list[Cell]]]:
    n = draw(st.integers(1, 5))
    columns = [
        Column(draw(TEXT), draw(st.sampled_from(["left", "right"])), draw(st.booleans()),
               draw(st.none() | st.integers(1, 15)))
        for _ in range(n)
    ]  # fmt: skip
    rows = draw(st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=4))
    return columns, rows


@settings(max_examples=300)
@given(tables())
def test_natural_width_is_what_rich_measures(table: tuple[list[Column], list[list[Cell]]]) -> None:
    columns, rows = table
    out = Console(width=80)
    drawn = _draw(columns, rows, [], header=True, caption=None)
    measured = out.measure(drawn, options=out.options.update_width(10_000)).maximum
    assert natural_width(columns, rows) == measured
