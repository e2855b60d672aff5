"""Clients, contracts and the hours ledger: every write the support engineer makes.

The ledger is append-only: corrections are reversing entries. Every function takes the session
it works in, the acting user and ``now``, so tests and scripts pass them instead of patching.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sla_cli.domain.billing import ContractTerms
from sla_cli.domain.durations import format_duration, round_up
from sla_cli.domain.kinds import Billing
from sla_cli.domain.money import round_money
from sla_cli.errors import ClosedPeriod, InputError, NotFound
from sla_cli.store.models import Client, ClosedMonth, Closing, Contract, Entry
from sla_cli.timeparse import zone_exists

if TYPE_CHECKING:
    from sla_cli.config import Settings

KINDS = ("support", "dev")


# --- conversions between the domain's Decimals and the store's integers -----------------------


def pk(row: Client | Contract | Entry) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None, "row not flushed yet"
    return row.id


def check_length(value: str | None, limit: int, what: str) -> None:
    """The columns have sizes: say so before the database does."""
    if value is not None and len(value) > limit:
        raise InputError(f"{what} is {len(value)} characters long; at most {limit} fit")


def to_kopecks(amount: Decimal) -> int:
    return int(round_money(amount) * 100)


def from_kopecks(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def to_bp(percent: Decimal) -> int:
    return int((percent * 100).to_integral_value())


def from_bp(value: int) -> Decimal:
    return Decimal(value) / 100


def terms_of(c: Contract, month: str | None = None) -> ContractTerms:
    """The contract's terms; for ``month``, the prepayment discount only within the prepaid
    months (a 12-month contract prepaid for 7 pays the full fee from its 8th month)."""
    index = (
        None
        if month is None
        else int(month[:4]) * 12 + int(month[5:7]) - (c.start.year * 12 + c.start.month)
    )
    prepaid = index is None or index < c.prepaid_months
    return ContractTerms(
        variant=c.variant,
        billing=Billing(c.billing),
        burns=c.burns,
        tier_key=c.tier_key,
        tier_name=c.tier_name,
        included_minutes=c.included_minutes,
        price=from_kopecks(c.price_kopecks),
        prepay_discount=from_bp(c.prepay_discount_bp) if prepaid else Decimal(0),
        hour_rate=from_kopecks(c.hour_rate_kopecks),
        hour_discount=from_bp(c.hour_discount_bp),
        dev_cap_minutes=c.dev_cap_minutes,
        reaction_minutes=c.reaction_minutes,
        start_minutes=c.start_minutes,
    )


# --- months ----------------------------------------------------------------------------------


def month_of(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """First day of ``YYYY-MM`` and first day of the next month."""
    year, mon = int(month[:4]), int(month[5:7])
    nxt = date(year + mon // 12, mon % 12 + 1, 1)
    return date(year, mon, 1), nxt


def is_closed(s: Session, month: str) -> bool:
    return s.get(ClosedMonth, month) is not None


def latest_closed(s: Session) -> str | None:
    """The latest closed month, ``YYYY-MM``."""
    return s.exec(select(func.max(ClosedMonth.month))).one()


# Month close holds this PostgreSQL advisory lock exclusively; every write dated in a month takes
# it shared first, so no entry can slip into a month between its check and the close.
# (SQLite needs none: every transaction there is BEGIN IMMEDIATE.)
MONTH_CLOSE_LOCK = 0x5_1A_C105E


def refuse_closed(s: Session, on: date) -> None:
    """Refuse a write dated in a closed month."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(text("SELECT pg_advisory_xact_lock_shared(:k)").bindparams(k=MONTH_CLOSE_LOCK))  # type: ignore[call-overload]
    month = month_of(on)
    if is_closed(s, month):
        raise ClosedPeriod(
            f"{month} is closed and its statement final; "
            "post the adjustment dated in an open month instead"
        )


# --- clients and contracts -------------------------------------------------------------------


def known_keys(s: Session) -> list[str]:
    return list(s.exec(select(Client.key).order_by(Client.key)))


def client_by_key(s: Session, key: str) -> Client:
    client = s.exec(select(Client).where(Client.key == key.upper())).first()
    if client is None:
        keys = known_keys(s)
        hint = f"known keys: {', '.join(keys)}" if keys else "no clients yet: `sla contract add`"
        raise NotFound(f"unknown client key {key!r}; {hint}")
    assert isinstance(client, Client)
    return client


def contract_on(s: Session, client: Client, on: date) -> Contract:
    """The client's contract active on ``on``."""
    stmt = (
        select(Contract)
        .where(Contract.client_id == client.id, Contract.start <= on)
        .where(or_(col(Contract.end).is_(None), col(Contract.end) > on))
        .order_by(col(Contract.start).desc())
    )
    contract = s.exec(stmt).first()
    if contract is None:
        raise NotFound(f"{client.key} has no contract active on {on.isoformat()}")
    assert isinstance(contract, Contract)
    return contract


def valid_key(key: str) -> str:
    k = key.strip().upper()
    if not k or not k.replace("_", "").isalnum() or not k[0].isalpha() or len(k) > 32:
        raise InputError(f"a client key is letters and digits, starting with a letter: not {key!r}")
    return k


def add_months_to(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class NewContract:
    client_name: str
    key: str
    variant: int
    tier: str
    start: date
    months: int | None = None
    prepaid_months: int | None = None
    hour_discount: Decimal = Decimal(0)
    timezone: str | None = None


def add_contract(
    s: Session, settings: Settings, new: NewContract, user: str, now: datetime
) -> Contract:
    """Sign a contract: terms are copied from the config; a package contract buys its first package.

    The term runs in whole calendar months from the start's month (``end`` is the first day after).
    """
    catalog = settings.catalog
    variant = catalog.variant(new.variant)
    tier = variant.tier(new.tier)
    key = valid_key(new.key)
    name = new.client_name.strip()
    if not name:
        raise InputError("the client's name is empty")
    check_length(name, 200, "the client's name")
    check_length(user, 100, "the user name")
    months = new.months
    if variant.billing == "monthly":
        months = months if months is not None else variant.min_months or 1
        variant.check_term(months)
    elif months is not None and months < 1:
        raise InputError(f"the term must be at least 1 month, not {months}")
    prepaid = new.prepaid_months if new.prepaid_months is not None else 1
    if prepaid < 1 or (months is not None and prepaid > months):
        raise InputError(f"--prepaid-months must be between 1 and the term, not {prepaid}")
    variant.check_hour_discount(new.hour_discount)
    if new.timezone:
        _check_zone(new.timezone)
    if variant.billing == "monthly" and new.start.day != 1:
        raise InputError(
            f"monthly contracts start on the first of a month (fees are per calendar month): "
            f"--start {new.start.replace(day=1).isoformat()}?"
        )
    if new.start.year > now.year + 10:
        raise InputError(f"--start {new.start.isoformat()} is more than ten years ahead")
    closed = latest_closed(s)
    if closed is not None and month_of(new.start) <= closed:
        raise ClosedPeriod(
            f"months up to {closed} are closed; a new contract starts in an open month"
        )
    client = s.exec(select(Client).where(Client.key == key)).first()
    if client is None:
        client = Client(key=key, name=name, created_at=now, created_by=user)
        s.add(client)
        s.flush()
    elif client.name != name:
        raise InputError(
            f"the key {key} belongs to «{client.name}»; give that name, or another --key"
        )
    end = None if months is None else add_months_to(new.start, months)
    _refuse_overlap(s, client, new.start, end)
    contract = Contract(
        client_id=pk(client),
        variant=variant.number,
        variant_name=variant.name,
        variant_name_en=variant.name_en,
        billing=variant.billing,
        burns=variant.burns,
        tier_key=tier.key,
        tier_name=tier.name,
        tier_name_en=tier.name_en,
        included_minutes=tier.minutes,
        price_kopecks=to_kopecks(tier.price),
        prepay_discount_bp=to_bp(
            variant.prepay_discount(prepaid) if variant.billing == "monthly" else Decimal(0)
        ),
        hour_rate_kopecks=to_kopecks(catalog.hour_rate),
        hour_discount_bp=to_bp(new.hour_discount),
        dev_cap_minutes=None if variant.dev_cap_hours is None else variant.dev_cap_hours * 60,
        reaction_minutes=variant.reaction_minutes,
        start_minutes=variant.start_minutes,
        start=new.start,
        end=end,
        months=months,
        prepaid_months=prepaid,
        timezone=new.timezone,
        created_at=now,
        created_by=user,
    )
    s.add(contract)
    s.flush()
    if variant.billing == "package":
        _post_topup(s, contract, client, new.start, tier.minutes or 0, tier.price, user, now)
    return contract


def _check_zone(name: str) -> None:
    if not zone_exists(name):
        raise InputError(f"unknown time zone {name!r}; use a name like Europe/Moscow")


def _refuse_overlap(s: Session, client: Client, start: date, end: date | None) -> None:
    clauses = [
        col(Contract.client_id) == client.id,
        or_(col(Contract.end).is_(None), col(Contract.end) > start),
    ]
    if end is not None:
        clauses.append(col(Contract.start) < end)
    other = s.exec(select(Contract).where(and_(*clauses))).first()
    if other is not None:
        until = other.end.isoformat() if other.end else "open-ended"
        raise InputError(
            f"{client.key} already has a contract from {other.start.isoformat()} ({until}); "
            "contracts of one client may not overlap"
        )


def _post_topup(
    s: Session,
    contract: Contract,
    client: Client,
    on: date,
    minutes: int,
    price: Decimal,
    user: str,
    now: datetime,
    note: str | None = None,
) -> Entry:
    entry = Entry(
        contract_id=pk(contract),
        client_id=pk(client),
        on=on,
        minutes=minutes,
        type="topup",
        category="topup",
        amount_kopecks=to_kopecks(price),
        by=user,
        note=note or f"package {contract.tier_name}",
        created_at=now,
    )
    s.add(entry)
    s.flush()
    return entry


def topup(
    s: Session, settings: Settings, key: str, tier: str | None, on: date, user: str, now: datetime
) -> tuple[Entry, int]:
    """Buy another package for a variant 3 contract; returns the entry and the new balance."""
    client = client_by_key(s, key)
    contract = contract_on(s, client, on)
    if contract.billing != "package":
        raise InputError(
            f"{client.key} is on variant {contract.variant}: only packages are topped up"
        )
    refuse_closed(s, on)
    variant = settings.catalog.variant(contract.variant)
    t = variant.tier(tier or contract.tier_key)
    entry = _post_topup(
        s, contract, client, on, t.minutes or 0, t.price, user, now, f"package {t.name}"
    )
    return entry, balance(s, contract)


def end_contract(s: Session, settings: Settings, key: str, last: date) -> Contract:
    """End a contract early (or give a package contract an end) after ``last``, its last day.

    Monthly contracts end on a month's last day and keep their minimum term; nothing may be
    dated after the new end. What is left of a package balance shows on the final statement.
    """
    client = client_by_key(s, key)
    contract = contract_on(s, client, last)
    refuse_closed(s, last)
    end = date.fromordinal(last.toordinal() + 1)
    if contract.billing == "monthly":
        if end.day != 1:
            raise InputError(f"monthly contracts end on a month's last day, not {last.isoformat()}")
        months = (end.year - contract.start.year) * 12 + end.month - contract.start.month
        minimum = settings.catalog.variant(contract.variant).min_months or 1
        if months < minimum:
            raise InputError(
                f"variant {contract.variant} has a minimum term of {minimum} months; "
                f"ending after {months} is too early"
            )
    later = s.exec(
        select(func.count())
        .select_from(Entry)
        .where(Entry.contract_id == pk(contract), col(Entry.on) >= end)
    ).one()
    if later:
        raise InputError(
            f"{client.key} has {later} entries after {last.isoformat()}; void them first"
        )
    contract.end = end
    if contract.months is not None:
        contract.months = (end.year - contract.start.year) * 12 + end.month - contract.start.month
    s.add(contract)
    s.flush()
    return contract


def contracts(s: Session) -> list[tuple[Contract, Client]]:
    stmt = (
        select(Contract, Client)
        .join(Client, col(Client.id) == col(Contract.client_id))
        .order_by(col(Client.key), col(Contract.start))
    )
    return [(c, cl) for c, cl in s.exec(stmt).all()]


# --- the balance of a package contract ---------------------------------------------------------


_BALANCE_DELTA = case(
    (col(Entry.category) == "topup", col(Entry.minutes)),
    (col(Entry.category) == "overage", col(Entry.minutes)),
    (col(Entry.category) == "work", -col(Entry.minutes)),
    else_=0,
)


def balance(s: Session, contract: Contract, before: date | None = None) -> int:
    """A package contract's balance (at the start of the day ``before``, default: now).

    The last month closed before then gives the opening; only the open months since are summed,
    so the cost does not grow with the ledger.
    """
    closings = select(Closing.month, Closing.closing_balance_minutes).where(
        Closing.contract_id == contract.id
    )
    if before is not None:
        closings = closings.where(col(Closing.month) < month_of(before))
    last = s.exec(closings.order_by(col(Closing.month).desc()).limit(1)).first()
    opening, since = 0, contract.start
    if last is not None:
        opening, since = last[1] or 0, month_bounds(last[0])[1]
    delta = select(func.coalesce(func.sum(_BALANCE_DELTA), 0)).where(
        Entry.contract_id == contract.id, col(Entry.on) >= since
    )
    if before is not None:
        delta = delta.where(col(Entry.on) < before)
    return int(opening + s.exec(delta).one())


# --- logging hours ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkLog:
    ticket: str
    minutes: int  # as typed, before rounding
    on: date
    start: time | None = None  # --from
    kind: str = "support"
    note: str | None = None
    client_key: str | None = None


@dataclass(frozen=True)
class Logged:
    entry: Entry
    client: Client
    contract: Contract
    balance: int | None  # package contracts: the balance after this entry
    warning: str | None


def ticket_client_key(ticket: str) -> str:
    head, sep, tail = ticket.partition("-")
    if not sep or not head or not tail.strip():
        raise InputError(
            f"cannot tell the client from the ticket {ticket!r}; "
            "use KEY-NUMBER (ACME-12) or give --client KEY"
        )
    return head


def normalise_ticket(ticket: str) -> str:
    """``acme-12`` is ``ACME-12``: the key part of a ticket is upper case, like client keys."""
    raw = ticket.strip()
    head, sep, tail = raw.partition("-")
    if sep and head.replace("_", "").isalnum():
        return f"{head.upper()}-{tail}"
    return raw


def ticket_client(s: Session, ticket: str, client_key: str | None) -> Client:
    """The client a ticket belongs to: ``--client``, else the ticket's key, never both differing."""
    if not client_key:
        return client_by_key(s, ticket_client_key(ticket))
    client = client_by_key(s, client_key)
    head, sep, _ = ticket.partition("-")
    if sep and head.upper() != client.key:
        other = s.exec(select(Client).where(Client.key == head.upper())).first()
        if other is not None:
            raise InputError(
                f"the ticket {ticket} names client {other.key}, not {client.key}; "
                "drop --client or fix the ticket"
            )
    return client


def log_work(s: Session, settings: Settings, work: WorkLog, user: str, now: datetime) -> Logged:
    """Append a work entry, rounded up to the billing increment."""
    if work.kind not in KINDS:
        raise InputError(f"--kind is support or dev, not {work.kind!r}")
    ticket = normalise_ticket(work.ticket)
    if not ticket:
        raise InputError("a ticket is needed, such as ACME-12")
    check_length(ticket, 64, "the ticket")
    check_length(work.note, 1000, "--note")
    check_length(user, 100, "the user name")
    client = ticket_client(s, ticket, work.client_key)
    tz = ZoneInfo(settings.timezone)
    if work.on > now.astimezone(tz).date():
        raise InputError(f"--on {work.on.isoformat()} is in the future")
    contract = contract_on(s, client, work.on)
    refuse_closed(s, work.on)
    started_at = None
    if work.start is not None:
        started_at = datetime.combine(work.on, work.start, tzinfo=tz)
        if started_at > now:
            raise InputError("--from is in the future")
    minutes = round_up(work.minutes, settings.increment_minutes)
    warning = None
    balance_after = None
    if contract.billing == "package":
        balance_after = balance(s, contract) - minutes
        if balance_after < 0:
            short = format_duration(-balance_after)
            if settings.refuse_overdraft:
                raise InputError(
                    f"{client.key} has {format_duration(balance_after + minutes)} left; "
                    f"this entry would overdraw it by {short} (billing.refuse_overdraft is on)"
                )
            warning = (
                f"{client.key}'s prepaid hours are overdrawn by {short}; the overdraft is "
                "billed at month close (`sla contract topup` buys a package)"
            )
    entry = Entry(
        contract_id=pk(contract),
        client_id=pk(client),
        ticket=ticket,
        on=work.on,
        minutes=minutes,
        type="work",
        category="work",
        kind=work.kind,
        started_at=started_at,
        by=user,
        note=work.note,
        created_at=now,
    )
    s.add(entry)
    s.flush()
    return Logged(entry, client, contract, balance_after, warning)


# --- corrections ------------------------------------------------------------------------------


def reverse(s: Session, original: Entry, user: str, now: datetime, note: str | None) -> Entry:
    if original.type == "reversal":
        raise InputError(f"entry {original.id} is itself a reversal; it cannot be voided")
    if original.type in ("burn", "overage", "carry"):
        raise InputError(f"entry {original.id} was posted by month close; it cannot be voided")
    taken = s.exec(select(Entry.id).where(Entry.reverses == original.id)).first()
    if taken is not None:
        raise InputError(f"entry {original.id} is already voided (by entry {taken})")
    try:
        refuse_closed(s, original.on)
    except ClosedPeriod as e:
        raise ClosedPeriod(
            f"entry {original.id} ({original.on.isoformat()}): {e.message}"
        ) from None
    entry = Entry(
        contract_id=original.contract_id,
        client_id=original.client_id,
        ticket=original.ticket,
        on=original.on,
        minutes=-original.minutes,
        type="reversal",
        category=original.category,
        kind=original.kind,
        amount_kopecks=None if original.amount_kopecks is None else -original.amount_kopecks,
        by=user,
        note=note or f"voids entry {original.id}",
        reverses=original.id,
        created_at=now,
    )
    s.add(entry)
    try:
        s.flush()
    except IntegrityError:  # another process voided it first
        raise InputError(f"entry {original.id} is already voided") from None
    return entry


def void(s: Session, entry_id: int, user: str, now: datetime, note: str | None = None) -> Entry:
    check_length(note, 1000, "--note")
    original = s.get(Entry, entry_id) if 0 < entry_id < 2**63 else None
    if original is None:
        raise NotFound(f"there is no entry {entry_id}")
    return reverse(s, original, user, now, note)


def undo_last(s: Session, user: str, now: datetime) -> Entry:
    """Reverse the user's most recent work entry that is not reversed yet."""
    reversed_ids = select(Entry.reverses).where(col(Entry.reverses).is_not(None))
    last = s.exec(
        select(Entry)
        .where(Entry.by == user, Entry.type == "work", col(Entry.id).not_in(reversed_ids))
        .order_by(col(Entry.id).desc())
        .limit(1)
    ).first()
    if last is None:
        raise NotFound(f"{user} has no entry to undo")
    return reverse(s, last, user, now, f"undo of entry {last.id}")


# --- listing ----------------------------------------------------------------------------------


def entries(s: Session, month: str | None, client_key: str | None) -> list[dict[str, Any]]:
    """Entries as JSON records (SPEC §5), oldest first."""
    stmt = select(Entry, Client.key).join(Client, col(Client.id) == col(Entry.client_id))
    if month:
        first, nxt = month_bounds(month)
        stmt = stmt.where(col(Entry.on) >= first, col(Entry.on) < nxt)
    if client_key:
        stmt = stmt.where(Entry.client_id == client_by_key(s, client_key).id)
    stmt = stmt.order_by(col(Entry.on), col(Entry.id))
    return [
        {
            "id": e.id,
            "client": key,
            "ticket": e.ticket,
            "on": e.on.isoformat(),
            "minutes": e.minutes,
            "type": e.type,
            "kind": e.kind,
            "by": e.by,
            "note": e.note,
            "reverses": e.reverses,
            "created_at": e.created_at,
        }
        for e, key in s.exec(stmt).all()
    ]
