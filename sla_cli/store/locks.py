"""Per-client locks: the rules that read the ledger before they write run one at a time.

On PostgreSQL every "check, then insert" of a client's ledger (a package's balance before a log,
the contracts a new one must not overlap, the one open incident of a ticket, the events an
incident already has) takes a transaction-scoped advisory lock on the client first, so two
commands at once see each other's rows instead of both passing the check. SQLite needs none:
every writing transaction there is ``BEGIN IMMEDIATE``, one writer at a time.

Taken before the month-close lock (shared, `months.lock_for_write`); month close takes only its
own, so the two never wait on each other in a cycle.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

CLIENT_LOCKS = 0x51A_C11  # the first key of pg_advisory_xact_lock(int, int): the client locks
USER_LOCKS = 0x51A_05E  # and the engineers' (one running timer each)


def lock_client(s: Session, key: str) -> None:
    """Wait for any other write on the client ``key`` (a new client's key too) to commit."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(  # type: ignore[call-overload]
            text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))").bindparams(
                ns=CLIENT_LOCKS, key=key.strip().upper()
            )
        )


def lock_user(s: Session, user: str) -> None:
    """Wait for any other change to ``user``'s timer to commit (taken before a client's)."""
    if s.get_bind().dialect.name == "postgresql":
        s.exec(  # type: ignore[call-overload]
            text("SELECT pg_advisory_xact_lock(:ns, hashtext(:user))").bindparams(
                ns=USER_LOCKS, user=user
            )
        )
