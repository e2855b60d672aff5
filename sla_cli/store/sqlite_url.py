"""What an ``sqlite:///`` URL names, and what a file looks like before SQLite opens it.

Shared by the store and the schema's work (``engine``), so that they read a URL the same way; it
imports no database library.

A URL may say ``?mode=ro`` (the ledger is read-only: a command that writes exits 2 and writes
nothing) or ``?mode=rw``; any other option is refused rather than silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from sla_cli.errors import InputError

_MODES = {"ro": True, "rw": False}
_HEADER = b"SQLite format 3\x00"


class SqliteTarget(NamedTuple):
    """The file an ``sqlite:///`` URL names, and whether the URL opens it read-only."""

    path: Path
    read_only: bool = False

    def engine_url(self) -> str:
        """The URL SQLAlchemy opens: the file, read-only as SQLite's own URI when asked."""
        if not self.read_only:
            return f"sqlite:///{self.path}"
        # SQLAlchemy decodes the URL's escapes once: keep the URI's own (a space, a "?")
        return "sqlite:///" + self.path.resolve().as_uri().replace("%", "%25") + "?mode=ro&uri=true"

    def uri(self) -> str:
        """The file as a URI for ``sqlite3.connect(..., uri=True)``."""
        return self.path.resolve().as_uri() + ("?mode=ro" if self.read_only else "")


def sqlite_target(url: str) -> SqliteTarget | None:
    """The file of an ``sqlite:///PATH[?mode=ro|rw]`` URL; None for another database (or an
    in-memory one). Any other option exits 2 naming it."""
    if not url.startswith("sqlite:///"):
        return None
    path, _, query = url.removeprefix("sqlite:///").partition("?")
    read_only = False
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key != "mode" or value not in _MODES:
            raise InputError(
                f"the ledger URL option {key}={value} is not one sla understands: an SQLite "
                "URL takes ?mode=ro (read only, commands that write are refused) or nothing"
            )
        read_only = _MODES[value]
    path = unquote(path)
    if not path or path == ":memory:":
        return None
    return SqliteTarget(Path(path).expanduser(), read_only)


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here; a bare path means a SQLite file."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def display(url: str) -> str:
    """A ledger's URL as messages show it: its password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def sqlite_file(url: str) -> Path | None:
    """The file of an ``sqlite:///PATH`` URL (``?mode=ro`` too); None for another database."""
    try:
        target = sqlite_target(url)
    except InputError:
        return None
    return None if target is None else target.path


def refuse_write(where: str) -> InputError:
    """What a command that writes says to a read-only URL."""
    return InputError(
        f"the ledger {where} is opened read-only (?mode=ro) and this command writes; "
        "nothing was written (drop ?mode=ro to write)"
    )


def file_kind(path: Path) -> str:
    """``empty`` (no byte yet), ``wal`` (an SQLite file in WAL mode, as every ledger is),
    ``sqlite`` (in another journal mode), ``other`` (not SQLite) or ``missing``. Read with a
    plain ``open``, so that looking changes nothing: SQLite writes a header into an empty file
    as soon as a journal mode is set. A FIFO or a device is ``other`` without being opened
    (reading one would block or consume it)."""
    try:
        if not S_ISREG(path.stat().st_mode):
            return "other"
        with path.open("rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"  # SQLite says what is wrong with it
    if not head:
        return "empty"
    if len(head) < 100 or not head.startswith(_HEADER):
        return "other"
    return "wal" if head[18] == 2 and head[19] == 2 else "sqlite"
