"""Closed months checked against their closes: `sla verify`, and statements that refuse to print
figures a close no longer backs."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from itertools import groupby, zip_longest
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sla_cli.domain.billing import MonthUsage, close_month
from sla_cli.domain.chain import Kept, Link, clocks_digest, link_digest
from sla_cli.domain.clock import Clock
from sla_cli.domain.clock_terms import ClockTerms
from sla_cli.domain.month import Month
from sla_cli.domain.records import ContractRecord
from sla_cli.domain.seal import (
    ClosedFigures,
    Difference,
    Figures,
    SealPass,
    compare,
    describe,
)
from sla_cli.errors import CheckFailed
from sla_cli.ops.incidents import clocks_of, month_incidents

if TYPE_CHECKING:
    from sla_cli.store.guard_checks import BypassRole, GuardProblem
    from sla_cli.store.roles import AuthorProblem, ExtraGrant
    from sla_cli.store.store import Store

DEFAULT_ZONE = "Europe/Moscow"  # a close sealed before its clock terms were: the offer's zone
NO_SEAL = "closed, but its close has no seal (closed behind sla's back, or its seal removed)"


def seal(
    s: Store, month: Month, active: list[ContractRecord], clock_terms: str | None
) -> tuple[str, dict[int, str]]:
    """The digest of ``month`` as its rows stand (its entries, the terms of ``active`` and
    what its clocks are computed with), and each contract's own (``SealPass``)."""
    found = _sealed(s, month, active, clock_terms)
    return found.month.hexdigest(), found.contract_digests()


def _sealed(
    s: Store, month: Month, active: list[ContractRecord], clock_terms: str | None,
    only: bool = False,
) -> SealPass:  # fmt: skip
    """``month``'s entries (with ``only``, those of ``active`` alone) through a ``SealPass``."""
    found = SealPass(active, clock_terms)
    for batch in s.sealed_rows(month, [c.id for c in active] if only else None):
        found.add(batch)
    return found


def month_window(month: Month, zone: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` in ``zone`` and the first after it, in UTC."""
    tz = ZoneInfo(zone)
    first, after = (datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC) for d in month.bounds)
    return first, after


def zone_of(s: Store, month: Month) -> str:
    """The company's zone its close sealed the month's clocks in."""
    from sla_cli.domain.clock_terms import ClockTerms

    terms = s.clock_terms_of(month)
    return DEFAULT_ZONE if terms is None else ClockTerms.from_json(terms).timezone


def link_for(
    s: Store,
    month: Month,
    previous: str | None,
    window: tuple[datetime, datetime, int],
    late: bool = False,
    clocks: str | None = None,
) -> Link:
    """The link of closed ``month`` as its rows stand: over its close, its figures, the
    incidents and events in ``window`` (or the digest ``clocks`` of them) and ``previous``."""
    a, b, last = window
    if clocks is None:
        clocks = clocks_digest(*s.window_rows(a, b, last))
    close = s.close_of(month)
    assert close is not None
    figures, digests = s.closings(month), s.closing_digests(month)
    chain = link_digest(month, previous, close, figures, clocks, window, late, digests)
    return Link(month, previous, chain, clocks, a, b, last, late)


def seal_link(s: Store, month: Month, user: str, late: bool = False) -> Link:
    """Chain the close of ``month`` (its row and figures written) after the newest link."""
    head = s.head()
    a, b = month_window(month, zone_of(s, month))
    link = link_for(s, month, None if head is None else head.chain, (a, b, s.last_event_id()), late)
    s.add_link(link, user)
    return link


def chain_differences(s: Store, links: list[Link]) -> list[Difference]:
    """What is wrong with the chain: a close without its link or a link without its close, a
    link that follows another than the one before it, one whose close, figures or incidents
    are not what it sealed, an event recorded since that reaches back into a closed month,
    and the posts of a close in a month no longer closed."""
    out: list[Difference] = []
    closed = {m for m, _ in s.closed_months()}
    linked = {x.month for x in links}
    out += [_chain(m, NO_SEAL) for m in sorted(closed - linked)]
    previous: Link | None = None
    for x in links:
        out += link_differences(s, x, previous, x.month in closed)
        previous = x
    out += late_event_differences(s, links)
    for label in s.close_posts_open():
        month = Month.parse(label)
        if month not in closed:
            out.append(_chain(month, "holds the posts of a close (burn, overage or carry) but is "
                                     "not closed: its close was removed"))  # fmt: skip
    return out


def link_differences(s: Store, x: Link, previous: Link | None, closed: bool) -> list[Difference]:
    """One link checked: against the one before it, its close and the rows it covers."""
    if not closed:
        return [_chain(x.month, "was sealed, but is no longer closed: its close was removed "
                                "(the month reopened)")]  # fmt: skip
    out = []
    before = None if previous is None else previous.chain
    if x.previous != before:
        out.append(_chain(x.month, "the chain breaks here: its close was sealed after another "
                                   "close than the one now before it (a close removed, "
                                   "reopened or reordered)"))  # fmt: skip
    live = clocks_digest(*s.window_rows(x.starts_at, x.ends_at, x.last_event_id))
    if live != x.clocks_digest:
        out.append(Difference(x.month, None, None, "incidents", x.clocks_digest, live))
    window = (x.starts_at, x.ends_at, x.last_event_id)
    again = link_for(s, x.month, x.previous, window, x.late, x.clocks_digest)
    if again.chain != x.chain:
        out.append(_chain(x.month, "its seal no longer holds: the close's row, its figures or "
                                   "the seal itself changed"))  # fmt: skip
    return out


def month_chain_differences(s: Store, month: Month) -> list[Difference]:
    """What is wrong with closed ``month``'s own link (a statement of it checks this)."""
    links = s.links()
    at = next((i for i, x in enumerate(links) if x.month == month), None)
    if at is None:
        return [_chain(month, NO_SEAL)]
    previous = links[at - 1] if at else None
    out = link_differences(s, links[at], previous, True)
    return out + [d for d in late_event_differences(s, links) if d.month == month]


def late_event_differences(s: Store, links: list[Link]) -> list[Difference]:
    """Events recorded after a close that change a moment of a month closed by then (an undo
    of its ack, a reopening of what it resolved, a cancellation of its incident, an event
    dated in it): refused by sla and by the database, so written behind their backs."""
    if not links:
        return []
    from sla_cli.domain.incidents import NewEvent, touched
    from sla_cli.domain.kinds import EventKind
    from sla_cli.store.db import moment

    out = []
    first = min(x.last_event_id for x in links)
    for e in s.late_events(first, max(x.ends_at for x in links)):
        closed = [x for x in links if x.last_event_id < e.id]  # closed when it was recorded
        if not closed:
            continue
        boundary = max(x.ends_at for x in closed)
        incident = s.incident(e.incident_id)
        before = tuple(v for v in incident.events if v.id < e.id)
        at = moment(e.at)
        assert at is not None
        undone = next((v for v in before if v.id == e.undoes), None)
        new = NewEvent(EventKind(e.kind), at, undone, e.note, e.value)
        reached = [m for m in touched(replace(incident, events=before), new) if m < boundary]
        if not reached:
            continue
        month = next((x.month for x in closed if x.starts_at <= reached[0] < x.ends_at),
                     closed[0].month)  # fmt: skip
        found = {"ticket": incident.ticket, "event": e.kind, "id": e.id, "at": at.isoformat(),
                 "reaches": reached[0].isoformat()}  # fmt: skip
        out.append(
            Difference(month, incident.client.key, incident.contract.id, "event", found, None)
        )
    return out


def _chain(month: Month, problem: str) -> Difference:
    return Difference(month, None, None, "chain", {"problem": problem}, None)


Live = tuple[str, Figures, dict[int, str]]  # a month's digest, figures, contracts' digests


def live_figures(s: Store, month: Month) -> Live:
    """What closing ``month`` would record now (with the clock terms its close sealed): its
    digest, each contract's figures and each contract's own digest."""
    active = s.active_contracts(month)
    usage = s.month_usage(active, month)
    digest, digests = seal(s, month, active, s.clock_terms_of(month))
    return digest, _figures(month, active, usage), digests


def months_live_figures(s: Store, months: list[Month]) -> dict[Month, Live]:
    """``live_figures`` of each of ``months`` (oldest first), their entries read in one pass
    over the table, hashed and summed as they come, a batch at a time."""
    from sla_cli.store.sealed import MonthSums, month_index

    active = [s.active_contracts(m) for m in months]
    seals = [SealPass(active[i], s.clock_terms_of(m)) for i, m in enumerate(months)]
    sums = [MonthSums() for _ in months]
    index = month_index(months)
    for batch in s.sealed_batches(months):
        for i, rows in groupby(batch, key=index):
            if i is not None:
                run = list(rows)
                seals[i].add(run)
                sums[i].add(run)
    out = {}
    for i, m in enumerate(months):
        usage = s.month_usage(active[i], m, sums[i])
        found = seals[i]
        out[m] = found.month.hexdigest(), _figures(m, active[i], usage), found.contract_digests()
    return out


def _figures(month: Month, active: list[ContractRecord], usage: dict[int, MonthUsage]) -> Figures:
    return {
        c.id: (c.client.key, ClosedFigures.of(close_month(c.terms(month), usage[c.id])))
        for c in active
    }


def check_month(
    s: Store, month: Month, stored_digest: str | None, live: Live | None = None
) -> list[Difference]:
    """How ``month`` differs from its close (``live``: its ``live_figures``, if read already)."""
    digest, figures, digests = live_figures(s, month) if live is None else live
    stored = s.closing_digests(month), digests
    return compare(month, stored_digest, digest, s.closings(month), figures, stored)


def check_contracts(
    s: Store, month: Month, client: str, active: list[ContractRecord]
) -> list[Difference] | None:
    """How one client's part of closed ``month`` differs from its close: its contracts in force
    in the month (``active``) against those the close recorded for the client, their figures
    and their own digests, reading only their entries. None when a contract of it was closed
    before contracts had digests of their own (revision 0010): the whole month is checked."""
    stored = {cid: f for cid, f in s.closings(month).items() if f[0] == client}
    sealed = s.closing_digests(month)
    if any(sealed.get(cid) is None for cid in stored):
        return None
    found = _sealed(s, month, active, s.clock_terms_of(month), only=True)
    figures = _figures(month, active, s.month_usage(active, month))
    return compare(month, None, None, stored, figures, (sealed, found.contract_digests()))


def clock_differences(
    s: Store, month: Month, sealed: ClockTerms, current: ClockTerms, now: datetime
) -> list[Difference]:
    """The clocks of ``month``'s incidents that the config in force (``current``) would give
    otherwise than the terms its close sealed: a schedule, a holiday or the time zone changed."""
    if sealed.to_json() == current.to_json():
        return []
    then, today = clocks_of(sealed, now), clocks_of(current, now)
    out = []
    for i in month_incidents(s, sealed.timezone, month, None, also_unresolved=False):
        for was, is_ in zip_longest(then.every(i), today.every(i)):
            shown = [None if c is None else _clock_figure(i.ticket, c) for c in (was, is_)]
            if shown[0] != shown[1]:
                out.append(Difference(month, i.client.key, i.contract.id, "clock", *shown))
    return out


def _clock_figure(ticket: str, c: Clock) -> dict[str, str]:
    return {"ticket": ticket, "clock": c.name, "status": str(c.status), "due": c.due.isoformat()}


@dataclass(frozen=True)
class Verification:
    months: list[Month]  # every closed month, oldest first
    unsealed: list[Month]  # closed before digests were kept: checked by their figures
    differences: list[Difference]
    missing_guards: list[str]  # guards dropped or disabled, by name
    clocks_unsealed: list[Month] = field(default_factory=list)  # closed before clock terms
    links: list[Link] = field(default_factory=list)  # the chain, oldest month first
    expected_found: list[str] = field(default_factory=list)  # fingerprints the chain holds

    def with_loss(self, message: str) -> Verification:
        """With what the ledger lost of what was seen committed to it (``store.anchor``)."""
        month = self.head.month if self.head is not None else Month(1970, 1)
        lost = Difference(month, None, None, "lost", {"problem": message}, None)
        return replace(self, differences=[*self.differences, lost])

    @property
    def head(self) -> Link | None:
        return self.links[-1] if self.links else None

    changed_guards: list[GuardProblem] = field(default_factory=list)  # not as created
    bypass_roles: list[BypassRole] = field(default_factory=list)  # may get past the guards
    unknown_authors: list[AuthorProblem] = field(default_factory=list)  # rows by no known role
    extra_grants: list[ExtraGrant] = field(default_factory=list)  # GRANTs the roles do not give

    @property
    def ok(self) -> bool:
        """Every close matches, every guard is as created, every row's author holds a role of
        the ledger and no GRANT was added by hand (the roles that may get past the guards are
        noted, and fail nothing)."""
        return self.problems == 0

    @property
    def problems(self) -> int:
        """How many differences and problems fail the check."""
        return (
            len(self.differences)
            + len(self.missing_guards)
            + len(self.changed_guards)
            + len(self.unknown_authors)
            + len(self.extra_grants)
        )


def verify(
    s: Store,
    current: ClockTerms | None = None,
    now: datetime | None = None,
    expected: list[Kept] | None = None,
) -> Verification:
    """Every closed month recomputed from the ledger's rows and compared with its close; with
    the config's ``current`` clock terms, each month's clocks too (as they stand at ``now``);
    each fingerprint ``expected`` (kept outside the ledger) looked for in the chain."""
    closed = s.closed_months()
    live = months_live_figures(s, [m for m, _ in closed])
    differences = [d for m, digest in closed for d in check_month(s, m, digest, live[m])]
    unsealed = [m for m, digest in closed if digest is None]
    terms = s.sealed_clock_terms()
    if current is not None and now is not None:
        for month, sealed in terms.items():
            differences += clock_differences(s, month, ClockTerms.from_json(sealed), current, now)
    no_terms = [m for m, _ in closed if m not in terms]
    from sla_cli.ops.closing import document_differences

    differences += document_differences(s)
    links = s.links()
    differences += chain_differences(s, links)
    differences += [_chain(m, problem) for m, problem in missing_expected(links, expected or [])]
    found = expected_links(links, expected or [])
    from sla_cli.store.guard_checks import changed, missing

    guards = s.guard_problems()
    return Verification(
        [m for m, _ in closed], unsealed, differences, missing(guards), no_terms, links, found,
        changed(guards), s.bypass_roles(), s.author_problems(), s.extra_grants(),
    )  # fmt: skip


def expected_links(links: list[Link], expected: list[Kept]) -> list[str]:
    """The fingerprints kept outside the ledger that its chain holds."""
    return [f.text for f in expected if any(f.names(x.month, x.chain) for x in links)]


def missing_expected(links: list[Link], expected: list[Kept]) -> list[tuple[Month, str]]:
    """Each fingerprint the chain does not hold, with the month it names (else the head's)."""

    out = []
    for f in expected:
        if any(f.names(x.month, x.chain) for x in links):
            continue
        month = f.month or (links[-1].month if links else None)
        held = next((x for x in links if x.month == month), None)
        now = "no close" if held is None else held.fingerprint
        out.append((month or Month(1970, 1), f"the fingerprint {f.text} kept outside the "
                    f"ledger is not in its chain (it has {now} there): the ledger was rolled "
                    "back to an older copy, or its chain forged anew"))  # fmt: skip
    return out


def ensure_unchanged(
    s: Store, month: Month, client: tuple[str, list[ContractRecord]] | None = None
) -> None:
    """A closed month's statement prints the figures of its close, or says they changed: a
    client's statement (``client``: its key and contracts in force in the month) checks its
    own part of the month, where its close recorded one, and the chain."""
    own = None if client is None else check_contracts(s, month, *client)
    found = own if own is not None else check_month(s, month, s.digest_of(month))
    found += month_chain_differences(s, month)
    if found:
        shown = "; ".join(describe(d) for d in found[:3])
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise CheckFailed(
            f"{month} no longer matches its close, so its statement is not printed: "
            f"{shown}{more}; `sla verify` lists every difference"
        )
