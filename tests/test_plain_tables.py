"""Tables drawn without Rich are what Rich draws: compared on random tables."""

from __future__ import annotations

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from sla_cli import plain_tables
from sla_cli.render import Column, _draw

_ONE_CELL = [*"ab ABя Ж—№₽∞.,:-\n\u00a0", "  ", "x" * 12, "word "]
_OTHERS = ["中", "\u0301", "\t", "😀"]  # characters only Rich may draw


def _texts(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=12).map("".join)


def rich_draws(columns: list[Column], rows: list[list[str]], title: str | None,
               caption: str | None, room: int) -> str:  # fmt: skip
    out = io.StringIO()
    console = Console(file=out, width=room, highlight=False, soft_wrap=False)
    console.print(_draw(columns, rows, [], header=True, caption=caption, title=title))
    return out.getvalue()


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[list[str]], str | None, str | None, int]:
    """Tables of text Rich and this module both draw, and now and then one only Rich does."""
    text = _texts(_ONE_CELL + draw(st.sampled_from([[], [], [], _OTHERS])))
    columns = draw(st.lists(st.builds(
        Column, header=text, justify=st.sampled_from(["left", "right"]), no_wrap=st.booleans(),
        min_width=st.one_of(st.none(), st.integers(0, 12)),
    ), min_size=1, max_size=5))  # fmt: skip
    rows = draw(st.lists(st.lists(text, min_size=len(columns), max_size=len(columns)),
                         min_size=1, max_size=4))  # fmt: skip
    title = draw(st.one_of(st.none(), text, _texts(_ONE_CELL + ["long title words "] * 4)))
    caption = draw(st.one_of(st.none(), text))
    return columns, rows, title, caption, draw(st.integers(5, 120))


@settings(max_examples=400, deadline=None)
@given(tables())
@example(([Column("Клиент"), Column("ACME", "right", True)], [["Тариф", "1"]],
          "ООО «Ромашка» и партнёры, поддержка (ROMA)", "Итого: 1 000,00 ₽", 80))  # fmt: skip
def test_a_table_drawn_without_rich_is_what_rich_draws(
    table: tuple[list[Column], list[list[str]], str | None, str | None, int],
) -> None:
    columns, rows, title, caption, room = table
    drawn = plain_tables.draw(columns, rows, title=title, caption=caption, room=room)
    if drawn is not None:
        assert drawn == rich_draws(columns, rows, title, caption, room)


def test_a_report_sized_table_is_drawn_without_rich() -> None:
    columns = [Column("Клиент"), Column("Часы", "right", True), Column("К оплате", "right")]
    rows = [["ACME", "12:30", "120 000,00\u00a0₽"], ["ROMA\nООО «Ромашка»", "0:00", "—"]]
    drawn = plain_tables.draw(columns, rows, title="Отчёт за ноябрь 2026", caption=None, room=80)
    assert drawn is not None
    assert drawn == rich_draws(columns, rows, "Отчёт за ноябрь 2026", None, 80)
    # too wide for the room: the widest column that may wrap is narrowed, its text wrapped
    narrow = plain_tables.draw(columns, rows, title=None, caption=None, room=30)
    assert narrow is not None and "│ «Ромашка │" in narrow
    assert narrow == rich_draws(columns, rows, None, None, 30)
    # a column that may not wrap would be cut, or a character Rich measures itself: Rich draws
    assert plain_tables.draw(columns, rows, title=None, caption=None, room=10) is None
    wide = [["中文", "1", "2"]]
    assert plain_tables.draw(columns, wide, title=None, caption=None, room=80) is None


def test_every_character_counted_one_cell_is_one_cell_to_rich() -> None:
    ranges = [(0x20, 0x7E), (0xA0, 0x2FF), (0x400, 0x482), (0x48A, 0x4FF), (0x2010, 0x2027),
              (0x2030, 0x205E), (0x2190, 0x21FF)]  # fmt: skip
    chars = [chr(c) for a, b in ranges for c in range(a, b + 1)] + list("€₽№−∞≤≥")
    assert not plain_tables._ONE_CELL.fullmatch("\u0483")  # a combining mark: Rich counts 0
    assert all(plain_tables._ONE_CELL.fullmatch(ch) for ch in chars)
    assert [ch for ch in chars if cell_len(ch) != 1] == []
