"""The ledger's row-selecting rules, each written once as an SQL condition on a table alias.

Every query that needs one of these rules uses its fragment here, so that a rule cannot read
differently in two places. The domain holds each rule's form for one record (for example
``ContractRecord.covers``); these are their forms for filtering rows.
"""

from __future__ import annotations


def counts(e: str = "e") -> str:
    """An entry counts: not a reversal, and not reversed by one."""
    return (
        f"{e}.type <> 'reversal' AND NOT EXISTS "
        f"(SELECT 1 FROM entries r_{e} WHERE r_{e}.reverses = {e}.id)"
    )


def work_counts(e: str = "e") -> str:
    """Hours worked that count: work, not reversed."""
    return (
        f"{e}.type = 'work' AND NOT EXISTS "
        f"(SELECT 1 FROM entries r_{e} WHERE r_{e}.reverses = {e}.id)"
    )


def contract_end(c: str = "c") -> str:
    """A contract's end in force: its latest end change's, else the end as signed (None:
    open-ended)."""
    return (
        f'coalesce((SELECT x."end" FROM contract_changes x WHERE x.contract_id = {c}.id '
        f"AND x.kind = 'end' ORDER BY x.id DESC LIMIT 1), {c}.\"end\")"
    )


def in_force(c: str = "c") -> str:
    """A contract in force: not cancelled."""
    return in_force_id(f"{c}.id")


def in_force_id(contract_id: str) -> str:
    """The contract whose id is the column ``contract_id`` is in force: not cancelled."""
    return (
        f"NOT EXISTS (SELECT 1 FROM contract_changes x WHERE x.contract_id = {contract_id} "
        "AND x.kind = 'cancel')"
    )


def ends_after(day: str, c: str = "c") -> str:
    """The contract's end in force is after the date parameter ``day`` (or it has none)."""
    return f"({contract_end(c)} IS NULL OR {contract_end(c)} > :{day})"


def covers(day: str, c: str = "c") -> str:
    """The contract covers the date parameter ``day``: started by it, not ended before it
    (``ContractRecord.covers``)."""
    return f"{c}.start <= :{day} AND {ends_after(day, c)}"


def _live(kind: str, i: str, alias: str, also: str = "") -> str:
    """An event of ``kind`` on the incident that no undo reversed."""
    return (
        f"EXISTS (SELECT 1 FROM incident_events {alias} WHERE {alias}.incident_id = {i}.id "
        f"AND {alias}.kind = '{kind}' AND NOT EXISTS (SELECT 1 FROM incident_events "
        f"u_{alias} WHERE u_{alias}.undoes = {alias}.id){also})"
    )


def cancelled(i: str = "i") -> str:
    """The incident is cancelled: a cancellation that no undo reversed."""
    return _live("cancel", i, f"xc_{i}")


def resolved(i: str = "i") -> str:
    """The incident is resolved: a resolution that counts, with no reopening that counts
    after it (the SQL form of the domain's ``state_of``)."""
    r = f"xr_{i}"
    reopened = _live("reopen", i, f"xo_{i}", f" AND xo_{i}.id > {r}.id")
    return _live("resolve", i, r, f" AND NOT {reopened}")


def is_open(i: str = "i") -> str:
    """The incident is open: neither resolved nor cancelled."""
    return f"NOT {resolved(i)} AND NOT {cancelled(i)}"


def month_closed(month: str) -> str:
    """The month the SQL expression ``month`` (``YYYY-MM``: a parameter, a column) names is
    closed."""
    return f"EXISTS (SELECT 1 FROM closed_months WHERE closed_months.month = {month})"
