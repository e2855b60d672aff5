"""What this machine last saw an SQLite ledger hold, kept in a small file beside it.

SQLite keeps committed transactions in the ``-wal`` file until a checkpoint copies them into
the ledger: a ``-wal`` file removed (or an older copy of the ledger put in its place) loses
them, and what is left is a whole, older ledger that agrees with itself. Every command that
writes records, after it commits, the newest entry, incident event and sealed close it wrote
up to (``LEDGER.anchor``, beside the ledger, never lowered); every command checks the ledger
still holds them before it starts. Reading commands warn; writing commands refuse to build on
a ledger that lost what they would number anew; verifying the ledger fails.

The file is read before the ledger's transaction begins, and written after it commits, so it
never claims more than a reader's snapshot holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sla_cli.store.db import Db

SUFFIX = ".anchor"


class Seen(NamedTuple):
    """The newest rows a ledger was seen to hold: ids, and the newest seal's month and link."""

    entry: int
    event: int
    month: str | None
    chain: str | None

    def merged(self, other: Seen | None) -> Seen:
        """The newer of the two for each (what was seen stays seen)."""
        if other is None:
            return self
        newer = self if (self.month or "") >= (other.month or "") else other
        return Seen(max(self.entry, other.entry), max(self.event, other.event), newer.month,
                    newer.chain)  # fmt: skip


def anchor_path(ledger: Path) -> Path:
    return Path(f"{ledger}{SUFFIX}")


def read_seen(path: Path) -> Seen | None:
    """What the file says was seen; None when there is none (or it cannot be read: it only
    ever adds a check)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Seen(int(data["entry"]), int(data["event"]), data.get("month"), data.get("chain"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def seen_in(db: Db) -> Seen:
    """What the ledger holds now."""
    r = db.row(
        "SELECT (SELECT coalesce(max(id), 0) FROM entries) AS entry, "
        "(SELECT coalesce(max(id), 0) FROM incident_events) AS event, "
        "(SELECT max(month) FROM month_seals) AS month"
    )
    chain = db.value("SELECT chain FROM month_seals WHERE month = :m", {"m": r.month})
    return Seen(r.entry, r.event, r.month, chain)


def lost(seen: Seen, db: Db) -> list[str]:
    """What the ledger no longer holds of what was seen in it, one phrase each."""
    now = seen_in(db)
    out = []
    if now.entry < seen.entry:
        out.append(f"entries up to #{seen.entry} (it holds up to #{now.entry})")
    if now.event < seen.event:
        out.append(f"incident events up to #{seen.event} (it holds up to #{now.event})")
    if seen.month is not None:
        held = db.value("SELECT chain FROM month_seals WHERE month = :m", {"m": seen.month})
        if held is None:
            out.append(f"the close of {seen.month}")
        elif held != seen.chain:
            out.append(f"the close of {seen.month} as sealed (its seal is another now)")
    return out


def write_seen(path: Path, seen: Seen) -> None:
    """Record ``seen`` (merged with what the file held), replacing the file whole; a failure
    to write it loses only a check, never what was committed."""
    merged = seen.merged(read_seen(path))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(merged._asdict()) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def lost_message(ledger: str, path: Path, what: list[str]) -> str:
    return (
        f"the ledger {ledger} no longer holds what was committed to it: {'; '.join(what)}. "
        "Its -wal file was removed, or an older copy was put in its place: restore the newest "
        f"backup. If an older copy was restored on purpose, remove {path} to accept it"
    )
