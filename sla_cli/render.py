"""The only module that imports Rich: tables for people, JSON and CSV for scripts.

Rich is imported inside the functions that draw, so JSON and CSV output never pay for it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.console import Console

Justify = Literal["left", "right", "center"]
# A table cell: plain text, or (text, Rich style) for a coloured one.
Cell = str | tuple[str, str]

STATUS_STYLES = {
    "met": "green",
    "running": "cyan",
    "at_risk": "yellow",
    "breached": "bold red",
}


@dataclass(frozen=True)
class Column:
    header: str
    justify: Justify = "left"
    no_wrap: bool = False
    min_width: int | None = None


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def width() -> int:
    """The terminal's width in columns (COLUMNS when set; 80 when not a terminal)."""
    return console().width


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Print a table to stdout."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for c in columns:
        t.add_column(c.header, justify=c.justify, no_wrap=c.no_wrap, min_width=c.min_width)
    for row in rows:
        t.add_row(*(Text(c[0], style=c[1]) if isinstance(c, tuple) else Text(c) for c in row))
    console().print(t)


def lines(text: str) -> None:
    """Print plain text to stdout (no Rich: messages stay cheap and unwrapped)."""
    sys.stdout.write(text + "\n")


def text_out(document: str) -> None:
    """A whole document to stdout, as it is."""
    sys.stdout.write(document if document.endswith("\n") else document + "\n")


def json_out(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def csv_out(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])


def records_csv(records: Sequence[dict[str, Any]], header: Sequence[str]) -> None:
    """CSV of JSON-shaped records: the same keys as the JSON output, in ``header`` order."""
    csv_out(header, ([r.get(k) for k in header] for r in records))


def error(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"sla: error: {message}\n")


def warning(message: str) -> None:
    sys.stderr.write(f"sla: warning: {message}\n")


def status_cell(status: str) -> Cell:
    return (status, STATUS_STYLES.get(status, ""))
