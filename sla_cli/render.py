"""The only module that imports Rich: tables for people, JSON and CSV for scripts.

Rich is imported inside the functions that draw, so JSON and CSV output never pay for it; the
JSON and CSV writers likewise, so a command that prints a line pays for neither. Output that is
not a terminal (a file, a pipe) gets its tables from ``plain_tables``, which draws what Rich
would without importing it, whenever every cell fits unwrapped.
Text is never read as Rich markup: every header, cell, title and caption is a ``Text``, so
``ACME [/b]`` or ``[link=…]`` prints as typed. A control character in text (from a ledger
written before input was checked) is shown as U+FFFD rather than obeyed by the terminal.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sla_cli import plain_tables
from sla_cli.domain.text import visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Justify = Literal["left", "right", "center"]
# A table cell: plain text, or (text, Rich style) for a coloured one.
Cell = str | tuple[str, str]

STATUS_STYLES = {
    "met": "green",
    "running": "cyan",
    "at_risk": "yellow",
    "breached": "bold red",
    "cancelled": "dim",
}


class Column(NamedTuple):
    header: str
    justify: Justify = "left"
    no_wrap: bool = False
    min_width: int | None = None


MIN_WIDTH, FALLBACK_WIDTH = 40, 80  # narrower than this fits no table: print at 80 instead


def console(stderr: bool = False) -> Console:
    """Rich's console at the terminal's width (``COLUMNS`` when set); a width under 40 (or
    ``COLUMNS=0``, which would print nothing) is taken as 80."""
    from rich.console import Console

    made = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if made.width < MIN_WIDTH:
        made = Console(stderr=stderr, highlight=False, soft_wrap=False, width=FALLBACK_WIDTH)
    return made


def width() -> int:
    """The terminal's width in columns (COLUMNS when set; 80 when not a terminal)."""
    if plain_tables.plain_output():  # what Rich's console would measure, without Rich
        found = plain_tables.width()
        return FALLBACK_WIDTH if found < MIN_WIDTH else found
    return console().width


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print a table to stdout. A value too long for its column wraps (a long word folds):
    no text is cut short with an ellipsis. A table without rows prints its caption only (the
    sentence that says so), not an empty frame."""
    rows = list(rows)
    if not rows and caption is not None:
        lines(caption)
        return
    if plain_tables.plain_output():
        drawn = plain_tables.draw(
            [c._replace(header=visible(c.header)) for c in columns],
            [[visible(_plain(c)) for c in row] for row in rows],
            title=None if title is None else visible(title),
            caption=None if caption is None else visible(caption), room=width(),
        )  # fmt: skip
        if drawn is not None:
            sys.stdout.write(drawn)
            return
    console().print(_draw(columns, rows, [], header=True, caption=caption, title=title))


def _plain(cell: Cell) -> str:
    return cell[0] if isinstance(cell, tuple) else cell


def fits(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> bool:
    """Whether the table fits the terminal without wrapping a cell."""
    return natural_width(columns, rows) <= width()


def natural_width(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> int:
    """The width the table takes with no cell wrapped, as Rich measures it (its widest line a
    column, header included, at least its ``min_width``; a space either side of each; a border
    between columns and at both edges), without laying it out."""
    texts = [[visible(_plain(c)) for c in row] for row in rows]
    headers = [visible(c.header) for c in columns]
    measure: Callable[[str], int] = len  # every character one cell: Rich's widths not needed
    if not all(plain_tables.one_cell(t) for t in [*headers, *(t for row in texts for t in row)]):
        from rich.cells import cell_len as measure

    widest = [max(measure(line) for line in h.splitlines() or [""]) for h in headers]
    for row in texts:
        for n, text in enumerate(row):
            widest[n] = max(widest[n], max((measure(x) for x in text.splitlines()), default=0))
    return sum(max(w, c.min_width or 0) + 2 for w, c in zip(widest, columns, strict=True)) + (
        len(columns) + 1
    )


# A table longer than this is printed a batch of rows at a time, so that memory stays flat.
BATCH = 500
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def table_stream(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    caption: Callable[[int], str],
    widen: dict[int, int] | None = None,
) -> int:
    """Print a table whose rows are read as it is printed; ``caption`` is given the number of
    rows. Up to ``BATCH`` rows it is exactly what ``table`` prints; a longer one is drawn a
    batch at a time into the column widths of the first batch (which ``widen`` may raise for
    columns whose values grow, as ids do), so that it reads as one table. Returns the count."""
    it = iter(rows)
    batch = list(islice(it, BATCH))
    ahead = list(islice(it, BATCH))
    if not ahead:
        table(columns, batch, caption=caption(len(batch)))
        return len(batch)
    out = console()
    first = [c._replace(min_width=max(c.min_width or 0, (widen or {}).get(n, 0)) or None)
             for n, c in enumerate(columns)]  # fmt: skip
    widths: list[int] = []
    count = 0
    while batch:
        count += len(batch)
        last = not ahead
        fixed = [c._replace(no_wrap=False) for c in columns]  # wrap rather than cut a value
        drawn = _draw(
            first if not widths else fixed, batch, widths, header=not widths,
            caption=caption(count) if last else None,
        )  # fmt: skip
        with out.capture() as captured:
            out.print(drawn)
        lines = captured.get().splitlines(keepends=True)
        if not widths:
            widths = _widths(lines)
        else:
            lines = lines[1:]  # the top border: the rows go on under the batch before
        sys.stdout.write("".join(lines if last else lines[:-1]))  # the bottom border: not yet
        batch, ahead = ahead, list(islice(it, BATCH))
    return count


def _draw(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    widths: list[int],
    *,
    header: bool,
    caption: str | None,
    title: str | None = None,
) -> Any:
    """A Rich table of ``rows``; ``widths``, when given, fix the columns' widths."""
    from rich.table import Table

    t = Table(
        title=None if title is None else _text(title),
        caption=None if caption is None else _text(caption),
        title_justify="left",
        caption_justify="left",
        show_header=header,
    )
    for n, c in enumerate(columns):
        t.add_column(
            _text(c.header),
            justify=c.justify,
            no_wrap=c.no_wrap,
            min_width=c.min_width,
            width=widths[n] if widths else None,
            overflow="fold",
        )
    for row in rows:
        t.add_row(*(_text(c[0], c[1]) if isinstance(c, tuple) else _text(c) for c in row))
    return t


def _widths(lines: list[str]) -> list[int]:
    """The widths Rich gave the columns, read from the table's top border (``┏━━┳━━━┓``)."""
    for line in lines:
        border = _ANSI.sub("", line).rstrip("\n")
        if border.startswith("┏"):
            return [len(part) - 2 for part in border[1:-1].split("┳")]
    raise ValueError("no table border")  # pragma: no cover - Rich draws one


def _text(value: str, style: str = "") -> Text:
    """Literal text for Rich: never markup, control characters shown, not obeyed."""
    from rich.text import Text

    return Text(visible(value), style=style)


def lines(text: str) -> None:
    """Print plain text to stdout (no Rich: messages stay cheap and unwrapped)."""
    sys.stdout.write(visible(text) + "\n")


def paragraph(text: str) -> None:
    """Print prose to stdout wrapped at the terminal's width, like a table would be."""
    import textwrap

    lines(textwrap.fill(text, width=width(), break_on_hyphens=False))


@contextmanager
def capture(enabled: bool) -> Iterator[Callable[[], str]]:
    """What is written to stdout inside the block, kept (when ``enabled``) for a file."""
    if not enabled:
        yield lambda: ""
        return
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        yield buffer.getvalue


def text_out(document: str) -> None:
    """A whole document to stdout, as it is."""
    sys.stdout.write(document if document.endswith("\n") else document + "\n")


def json_out(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def json_lines_out(records: Iterable[Any]) -> None:
    """A JSON array written record by record, byte for byte what ``json_out`` writes for the
    same list, without holding the list."""
    import json

    out = sys.stdout
    first = True
    for record in records:
        item = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + item)
        first = False
    out.write("[]\n" if first else "\n]\n")


# What a spreadsheet runs as a formula when a cell starts with it (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as it is: text that would start a formula gets a leading
    ``'``; numbers (``-60``, ``"-1500.00"``) stay numbers; None is empty; a boolean is
    ``true``/``false``, as in JSON. A control character (ESC, a carriage return, …) in text the
    ledger or the config holds is written as U+FFFD, never as itself; a tab or a newline stays."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        value = "'" + value
    return visible(value, keep="\t\n")


def csv_out(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    import csv

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])


def records_csv(records: Iterable[dict[str, Any]], header: Sequence[str]) -> None:
    """CSV of JSON-shaped records: the same keys as the JSON output, in ``header`` order."""
    csv_out(header, ([r.get(k) for k in header] for r in records))


def error(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"sla: error: {visible(message, keep='')}\n")  # always one line


def notice(message: str) -> None:
    """One line on stderr that is neither an error nor a warning (stdout carries a document)."""
    sys.stderr.write(f"sla: {visible(message, keep='')}\n")


def warning(message: str) -> None:
    sys.stderr.write(f"sla: warning: {visible(message, keep='')}\n")


def status_cell(status: str) -> Cell:
    return (status, STATUS_STYLES.get(status, ""))
