"""What `sla log` may write: rounding, dates, sizes and a package's balance."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.work import Overdraft, WorkLog, WorkPolicy, check_work, plan_work
from sla_cli.errors import InputError
from tests.domain.conftest import contract

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 10, 5, 12, 0, tzinfo=MSK)
WORK = WorkLog("ACME-12", 50, date(2026, 10, 5))


@pytest.mark.parametrize(
    ("increment", "typed", "stored"),
    [(1, 50, 50), (15, 50, 60), (15, 60, 60), (15, 1, 15), (60, 61, 120)],
)
def test_rounding(increment: int, typed: int, stored: int) -> None:
    work = WorkLog("ACME-12", typed, date(2026, 10, 5))
    plan = plan_work(work, contract(), None, WorkPolicy(increment), MSK, NOW)
    assert plan.minutes == stored
    assert plan.balance_after is None and plan.overdraft is None


@pytest.mark.parametrize(
    ("balance", "after", "overdraft"),
    [(600, 550, None), (50, 0, None), (20, -30, Overdraft("ACME", 30))],
)
def test_package_balance_warns(balance: int, after: int, overdraft: Overdraft | None) -> None:
    plan = plan_work(WORK, contract(variant=3), balance, WorkPolicy(), MSK, NOW)
    assert (plan.balance_after, plan.overdraft) == (after, overdraft)


def test_overdraft_refused_when_configured() -> None:
    with pytest.raises(InputError, match="overdraw it by 30m"):
        plan_work(WORK, contract(variant=3), 20, WorkPolicy(refuse_overdraft=True), MSK, NOW)


def test_start_time_in_the_company_zone() -> None:
    work = WorkLog("ACME-12", 30, date(2026, 10, 5), start=time(9, 30))
    plan = plan_work(work, contract(), None, WorkPolicy(), MSK, NOW)
    assert plan.started_at == datetime(2026, 10, 5, 6, 30, tzinfo=UTC)


def test_start_time_in_the_future_refused() -> None:
    work = WorkLog("ACME-12", 30, date(2026, 10, 5), start=time(12, 30))
    with pytest.raises(InputError, match="--from is in the future"):
        plan_work(work, contract(), None, WorkPolicy(), MSK, NOW)


@pytest.mark.parametrize(
    ("ticket", "note", "user", "on", "words"),
    [
        ("", None, "anna", date(2026, 10, 5), "a ticket is needed"),
        ("A-" + "1" * 70, None, "anna", date(2026, 10, 5), "the ticket is 72 characters"),
        ("ACME-1", "x" * 1001, "anna", date(2026, 10, 5), "--note is 1001 characters"),
        ("ACME-1", None, "u" * 101, date(2026, 10, 5), "the user name is 101"),
        ("ACME-1", None, "anna", date(2026, 10, 6), "--on 2026-10-06 is in the future"),
    ],
)
def test_checks(ticket: str, note: str | None, user: str, on: date, words: str) -> None:
    work = WorkLog(ticket, 30, on, note=note)
    with pytest.raises(InputError) as e:
        check_work(work, ticket, user, date(2026, 10, 5))
    assert words in str(e.value)
