"""Tables for output that is not a terminal, drawn as Rich draws them, without loading Rich.

Rich takes tens of milliseconds to import and about a millisecond to lay out each table, and a
month's report for a hundred clients, sent to a file or a pipe, is a hundred small tables. When
Rich would write no colour or style (by its own rule: the output is not a terminal) and every
cell fits its column unwrapped, the table is drawn here, character for character what Rich
draws (the tests compare the two on random tables). Anything else (a terminal, a cell that must
wrap, a character whose width Rich may count otherwise than one) is left to Rich.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

# Characters Rich counts one cell wide: printable Latin, Cyrillic, and the punctuation,
# arrows and currency signs the ledger's text uses; "\n" separates a cell's lines.
_ONE_CELL = re.compile(
    "[\n\x20-\x7e\xa0-\u02ff\u0400-\u0482\u048a-\u04ff\u2010-\u2027\u2030-\u205e\u20ac\u20bd\u2116"
    "\u2190-\u21ff\u2212\u221e\u2264\u2265]*"
)
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces round it, as Rich wraps text
_TRAILING_SPACE = re.compile(r"\s+$")


class Column(Protocol):
    @property
    def header(self) -> str: ...
    @property
    def justify(self) -> str: ...
    @property
    def no_wrap(self) -> bool: ...
    @property
    def min_width(self) -> int | None: ...


def plain_output() -> bool:
    """Whether Rich would write to stdout without colour or style, by its own rules
    (``TTY_COMPATIBLE``, ``FORCE_COLOR``, then whether stdout is a terminal)."""
    if sys.platform == "win32":  # Rich measures a Windows console its own way
        return False
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "0"
    forced = os.environ.get("FORCE_COLOR")
    if forced is not None:
        return forced == ""
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # a closed stream
        return True


def width() -> int:
    """The width Rich gives its console: ``COLUMNS`` when it is a number, else the size of the
    first of stdin, stdout and stderr that is a terminal, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    found = 0
    for fd in (0, 1, 2):
        try:
            found = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return found or 80


def one_cell(text: str) -> bool:
    """Whether Rich counts every character of ``text`` (but newlines) one cell wide."""
    return _ONE_CELL.fullmatch(text) is not None


def draw(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None,
    caption: str | None,
    room: int,
) -> str | None:
    """The table Rich would print ``room`` columns wide (its default box, a header, a space
    either side of each cell, the widest columns narrowed and their text wrapped when the
    table is wider than the room), or None when Rich must draw it."""
    headers = [c.header for c in columns]
    texts = [*headers, *(cell for row in rows for cell in row), title or "", caption or ""]
    if not rows or any(c.justify not in ("left", "right") for c in columns):
        return None
    if not all(one_cell(text) for text in texts):
        return None
    widths = [max(len(line) for line in h.split("\n")) for h in headers]
    for row in rows:
        for n, cell in enumerate(row):
            widths[n] = max(widths[n], *(len(line) for line in cell.split("\n")))
    widths = [max(w, c.min_width or 0) for w, c in zip(widths, columns, strict=True)]
    inside = room - len(columns) - 1  # the room between the borders
    if sum(w + 2 for w in widths) > inside:
        if any(c.min_width is not None for c in columns):
            return None
        wrapable = [not c.no_wrap for c in columns]
        narrowed = _narrowed([min(w + 2, inside) for w in widths], wrapable, inside)
        if narrowed is None or any(  # a column that may not wrap would be cut
            n < w + 2 for n, w, ok in zip(narrowed, widths, wrapable, strict=True) if not ok
        ):
            return None
        widths = [w - 2 for w in narrowed]
    if min(widths) < 1:  # Rich drops a cell's last line when it is empty
        return None
    total = sum(w + 2 for w in widths) + len(widths) + 1
    right = [c.justify == "right" for c in columns]
    out = _annotation(title, total)
    out.append("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓")
    out += _row(headers, widths, right, "┃", bottom=True)
    out.append("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")
    for row in rows:
        out += _row(row, widths, right, "│")
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    out += _annotation(caption, total)
    return "".join(line + "\n" for line in out)


def _narrowed(widths: list[int], wrapable: list[bool], room: int) -> list[int] | None:
    """The columns' widths (padding included) after Rich takes the excess off the widest
    columns that may wrap, evenly, down to the next widest, and again; None when that is not
    enough (Rich then narrows every column, cutting text a column may not wrap)."""
    excess = sum(widths) - room
    while any(wrapable) and excess > 0:
        widest = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
        second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable, strict=True))
        ratios = [int(w == widest and ok) for w, ok in zip(widths, wrapable, strict=True)]
        if widest == second:
            break
        left, shares = excess, sum(ratios)
        for n, ratio in enumerate(ratios):  # rich._ratio.ratio_reduce
            if ratio:
                taken = min(min(excess, widest - second), round(left / shares))
                widths[n] -= taken
                left -= taken
                shares -= 1
        excess = sum(widths) - room
    return widths if excess <= 0 else None


def _row(
    cells: Sequence[str], widths: list[int], right: list[bool], bar: str, bottom: bool = False
) -> list[str]:
    """A row's lines: each cell's text wrapped and justified in its column, a short cell
    padded below (above, in the header)."""
    split = [
        [piece for line in cell.split("\n") for piece in _set(line, w, r)]
        for cell, w, r in zip(cells, widths, right, strict=True)
    ]
    height = max(len(lines) for lines in split)
    blank = [" " * w for w in widths]
    if bottom:
        split = [[b] * (height - len(lines)) + lines for lines, b in zip(split, blank, strict=True)]
    else:
        split = [lines + [b] * (height - len(lines)) for lines, b in zip(split, blank, strict=True)]
    return [f"{bar} " + f" {bar} ".join(parts) + f" {bar}" for parts in zip(*split, strict=True)]


def _set(line: str, room: int, right: bool = False) -> list[str]:
    """One line of text as Rich sets it ``room`` wide: word-wrapped, a long word folded, each
    piece justified and padded to the room."""
    if len(line) <= room:  # nothing to wrap
        return [line.rstrip().rjust(room) if right else line.ljust(room)]
    out = []
    for piece in _wrapped(line, room):
        if len(piece) > room:  # spaces past the edge go; the text itself never passes it
            spaces = _TRAILING_SPACE.search(piece)
            if spaces is not None:
                piece = piece[: len(piece) - min(len(spaces.group(0)), len(piece) - room)]
        out.append(piece.rstrip()[:room].rjust(room) if right else piece[:room].ljust(room))
    return out


def _annotation(text: str | None, room: int) -> list[str]:
    """A title or caption as Rich sets it over a table ``room`` wide, left-justified."""
    if not text:
        return []
    return [piece for line in text.split("\n") for piece in _set(line, room)]


def _wrapped(line: str, room: int) -> list[str]:
    """``line`` cut where Rich's word wrap cuts it (``rich._wrap.divide_line`` with folding)."""
    breaks: list[int] = []
    offset = 0
    for word in _WORD.finditer(line):
        start, text = word.start(), word.group(0)
        length = len(text.rstrip())
        if room - offset >= length:
            offset += len(text)
        elif length > room:  # a word wider than the table is folded across lines
            chunks = [text[i : i + room] for i in range(0, len(text), room)]
            for n, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if n == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(text)
    edges = [0, *breaks, len(line)]
    return [line[a:b] for a, b in pairwise(edges)]
