"""The seal's chain: each month close records a link over what it sealed and the link before it.

A close already seals its entries and contract terms (``domain.seal``). Its link adds the rest
of what its statement rests on: the month's incidents and their events (what its SLA clocks are
computed from), the figures it stored for each contract, and the previous close's link. So a
close removed, reopened or reordered, an incident event added, changed or removed, or a figure
edited breaks the chain at the month it touched, and the head of the chain (the newest link)
stands for the whole history: kept outside the database (printed on the month's statements and
documents, exported by `sla verify --head`), it finds a rollback to an older copy and a chain
forged anew, which the database alone cannot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sla_cli.domain.month import Month

if TYPE_CHECKING:  # the store reads links on every command: this module loads little
    from sla_cli.domain.seal import ClosedFigures

__all__ = [
    "EVENT_FIELDS", "INCIDENT_FIELDS", "Kept", "Link", "clocks_digest", "fingerprint",
    "link_digest", "read_fingerprint",
]  # fmt: skip

# What an incident's row and an event's row hold that a month's clocks are computed from.
INCIDENT_FIELDS = (
    "id", "contract_id", "client_id", "ticket", "title", "opened_at", "priority", "created_at",
    "created_by",
)  # fmt: skip
EVENT_FIELDS = ("id", "incident_id", "kind", "at", "undoes", "note", "by", "created_at", "value")
_INCIDENT_MOMENTS = {INCIDENT_FIELDS.index(f) for f in ("opened_at", "created_at")}
_EVENT_MOMENTS = {EVENT_FIELDS.index(f) for f in ("at", "created_at")}
FINGERPRINT_LENGTH = 16  # hex digits of a link shown as its fingerprint: 64 bits


def _line(row: Sequence[Any], moments: set[int]) -> list[Any]:
    from sla_cli.domain.seal import moment_text

    return [moment_text(v) if i in moments else v for i, v in enumerate(row)]


def clocks_digest(incidents: Iterable[Sequence[Any]], events: Iterable[Sequence[Any]]) -> str:
    """SHA-256 over a month's incidents and incident events (every column, in the order of
    ``INCIDENT_FIELDS`` and ``EVENT_FIELDS``, by id), each moment spelt one way whatever the
    database returned it as: the same on SQLite and PostgreSQL."""
    h = hashlib.sha256()
    for r in sorted(incidents, key=lambda r: r[0]):
        h.update(b"incident " + json.dumps(_line(r, _INCIDENT_MOMENTS)).encode() + b"\n")
    for r in sorted(events, key=lambda r: r[0]):
        h.update(b"event " + json.dumps(_line(r, _EVENT_MOMENTS)).encode() + b"\n")
    return h.hexdigest()


class Link(NamedTuple):
    """One month's link in the chain, as its seal row records it.

    The month's incidents are those opened in ``starts_at``–``ends_at`` (the month in the
    company's zone, in UTC) and its events those dated in it, or recorded on those incidents
    up to ``last_event_id`` (the newest event when it closed). ``late``: sealed by the
    upgrade that brought chains, after the month had closed (its digests are of the rows as
    they were then).
    """

    month: Month
    previous: str | None  # the link of the close before it; None: the first
    chain: str  # this link's digest
    clocks_digest: str
    starts_at: datetime
    ends_at: datetime
    last_event_id: int
    late: bool

    @property
    def fingerprint(self) -> str:
        """This link as people keep it (``fingerprint``)."""
        return fingerprint(self.month, self.chain)


def link_digest(
    month: Month,
    previous: str | None,
    close: tuple[str | None, str | None, str],
    figures: Mapping[int, tuple[str, ClosedFigures]],
    clocks: str,
    window: tuple[datetime | str, datetime | str, int],
    late: bool,
    digests: Mapping[int, str | None] | None = None,
) -> str:
    """The digest a link records: over the previous link, the close (its entries' digest, its
    clock terms, who closed it), every contract's figures by id (with its own seal, for the
    closes that record one: ``digests``), the incidents' digest and the window that chose
    them."""
    from sla_cli.domain.seal import moment_text

    digest, terms, closed_by = close
    own = digests or {}
    rows = [
        [cid, key, f.burned_minutes, f.overage_minutes, str(f.overage_amount), f.carried_minutes,
         f.closing_balance_minutes, str(f.amount_due),
         *([] if own.get(cid) is None else [own[cid]])]
        for cid, (key, f) in sorted(figures.items())
    ]  # fmt: skip
    body = [
        str(month), previous, digest, terms, closed_by, rows, clocks,
        moment_text(window[0]), moment_text(window[1]), window[2], late,
    ]  # fmt: skip
    return hashlib.sha256(b"link " + json.dumps(body).encode()).hexdigest()


def fingerprint(month: Month, chain: str) -> str:
    """A link as people copy it: the month and the first 16 hex digits, in groups of four."""
    short = chain[:FINGERPRINT_LENGTH]
    return f"{month}:" + "-".join(short[i : i + 4] for i in range(0, len(short), 4))


class Kept(NamedTuple):
    """A fingerprint kept outside the ledger, as read: the month it names (None: any) and
    its hex digits."""

    text: str
    month: Month | None
    digits: str

    def names(self, month: Month, chain: str) -> bool:
        """Whether this is the fingerprint of ``month``'s link ``chain``."""
        return (self.month is None or self.month == month) and chain.startswith(self.digits)


def read_fingerprint(text: str) -> Kept:
    """``2026-10:3f2a-9c1b-77d0-1e4a`` (or without the month, any case, with or without
    dashes; at least 8 hex digits)."""
    from sla_cli.errors import InputError

    body = text.strip().lower()
    month = None
    if ":" in body:
        label, _, body = body.partition(":")
        month = Month.parse(label)
    digits = body.replace("-", "").replace(" ", "")
    if len(digits) < 8 or any(c not in "0123456789abcdef" for c in digits):
        raise InputError(
            f"cannot read the fingerprint {text.strip()!r}; it looks like "
            "2026-10:3f2a-9c1b-77d0-1e4a (as statements and `sla verify --head` print it)"
        )
    return Kept(text.strip(), month, digits)
