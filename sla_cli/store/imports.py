"""Imported entries: which file they came from, and writing a whole file's at once."""

from __future__ import annotations

from sla_cli.store.base import NewEntry, Part
from sla_cli.store.entries import EntryRow, entry_values

_CHUNK = 500  # keys a query looks up at once
_WRITE_CHUNK = 1000  # rows written at once: a large import never holds them all as rows twice


class Imports(Part):
    """What imports read and write."""

    def imported_from(self, source: str) -> tuple[int, int] | None:
        """The first and last entry already imported from the file ``source`` names, if any."""
        row = self.db.row(
            "SELECT min(id) AS first, max(id) AS last FROM entries WHERE source = :source",
            {"source": source},
        )
        return None if row is None or row.first is None else (row.first, row.last)

    def known_rows(self, keys: list[str]) -> dict[str, int]:
        """The rows of ``keys`` imported before, with the entry each became."""
        found: dict[str, int] = {}
        unique = sorted(set(keys))
        for i in range(0, len(unique), _CHUNK):
            rows = self.db.rows(
                "SELECT import_key, id FROM entries WHERE import_key IN (:keys)",
                {"keys": unique[i : i + _CHUNK]},
            )
            found.update({r.import_key: r.id for r in rows})
        return found

    def add_imported(self, new: list[tuple[NewEntry, int, str]], source: str) -> int:
        """Append the entries of an import at once, each with its line and its identity;
        returns how many."""
        stamp = self.db.clock()
        self.db.bulk(len(new))
        for at in range(0, len(new), _WRITE_CHUNK):
            rows = [
                {
                    **entry_values(EntryRow.of(e), stamp),
                    "source": source,
                    "source_line": line,
                    "import_key": key,
                }
                for e, line, key in new[at : at + _WRITE_CHUNK]
            ]
            self.db.insert_many("entries", rows)
        return len(new)
