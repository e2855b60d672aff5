"""The closed sets of the ledger: entry types, work kinds, billing modes, incident events and
contract changes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CLOSE_TYPES", "Billing", "ChangeKind", "EntryType", "Event", "EventKind", "WorkKind"]


class EntryType(StrEnum):
    """What a ledger entry records."""

    WORK = "work"  # hours logged on a ticket
    TOPUP = "topup"  # a package bought (variant 3)
    BURN = "burn"  # unused hours burned at month close (variant 1)
    OVERAGE = "overage"  # hours billed beyond the tariff at month close
    CARRY = "carry"  # a package balance carried into the next month
    REVERSAL = "reversal"  # reverses another entry (`sla void`, `sla log --undo`)


# Posted by month close, never by a person: they cannot be voided.
CLOSE_TYPES = frozenset({EntryType.BURN, EntryType.OVERAGE, EntryType.CARRY})


class WorkKind(StrEnum):
    """What logged hours were spent on."""

    SUPPORT = "support"
    DEV = "dev"  # custom development


class Billing(StrEnum):
    """How a variant is paid for."""

    MONTHLY = "monthly"  # a fee a calendar month (variants 1 and 2)
    PACKAGE = "package"  # prepaid packages of hours (variant 3)


class Event(StrEnum):
    """What an engineer records on an incident."""

    ACK = "ack"  # the reaction: stops the reaction clock
    START = "start"  # the start of work: stops the start-of-work clock
    RESOLVE = "resolve"  # stops every clock still running

    @property
    def past(self) -> str:
        return {"ack": "acknowledged", "start": "started", "resolve": "resolved"}[self.value]


class EventKind(StrEnum):
    """What a row of an incident's append-only event log records."""

    ACK = "ack"
    START = "start"
    RESOLVE = "resolve"
    UNDO = "undo"  # reverses the last event not undone yet (`incident undo`)
    CANCEL = "cancel"  # an incident opened by mistake: out of breaches and statements
    REOPEN = "reopen"  # a resolved incident is open again
    WAIT = "wait"  # waiting for the client: the pausing clocks stop counting
    RESUME = "resume"  # the wait is over: they count again
    PRIORITY = "priority"  # the priority changed: its targets apply from the opening on

    @property
    def past(self) -> str:
        return {
            "ack": "acknowledged",
            "start": "started",
            "resolve": "resolved",
            "undo": "undone",
            "cancel": "cancelled",
            "reopen": "reopened",
            "wait": "put to wait for the client",
            "resume": "resumed",
            "priority": "reprioritised",
        }[self.value]


class ChangeKind(StrEnum):
    """What a row of a contract's append-only change log records."""

    END = "end"  # the contract's end moved (`contract end`)
    CANCEL = "cancel"  # signed by mistake (`contract cancel`)
    PREPAY = "prepay"  # months paid in advance after signing (`contract prepay`)
