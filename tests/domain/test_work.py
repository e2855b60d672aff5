"""What `sla log` may write: rounding, dates, sizes and a package's balance."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sla_cli.domain.billing import PackageBalance
from sla_cli.domain.kinds import WorkKind
from sla_cli.domain.month import Month
from sla_cli.domain.work import (
    DevOverCap,
    Overdraft,
    Standing,
    WorkLog,
    WorkPolicy,
    check_work,
    plan_work,
)
from sla_cli.errors import InputError
from tests.domain.conftest import contract

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 10, 5, 12, 0, tzinfo=MSK)
WORK = WorkLog("ACME-12", 50, date(2026, 10, 5))
OCT, SEP, AUG = Month(2026, 10), Month(2026, 9), Month(2026, 8)
NONE = Standing()


def package(opening: int = 0, *changes: tuple[Month, int]) -> Standing:
    return Standing(PackageBalance(opening, changes))


@pytest.mark.parametrize(
    ("increment", "typed", "stored"),
    [(1, 50, 50), (15, 50, 60), (15, 60, 60), (15, 1, 15), (60, 61, 120)],
)
def test_rounding(increment: int, typed: int, stored: int) -> None:
    work = WorkLog("ACME-12", typed, date(2026, 10, 5))
    plan = plan_work(work, contract(), NONE, WorkPolicy(increment), MSK, NOW)
    assert plan.minutes == stored
    assert plan.balance_after is None and plan.overdraft is None


@pytest.mark.parametrize(
    ("balance", "after", "overdraft"),
    [(600, 550, None), (50, 0, None), (20, -30, Overdraft("ACME", 30))],
)
def test_package_balance_warns(balance: int, after: int, overdraft: Overdraft | None) -> None:
    plan = plan_work(WORK, contract(variant=3), package(balance), WorkPolicy(), MSK, NOW)
    assert (plan.balance_after, plan.overdraft) == (after, overdraft)


def test_overdraft_refused_when_configured() -> None:
    with pytest.raises(InputError, match="overdraw it by 30m"):
        plan_work(
            WORK, contract(variant=3), package(20), WorkPolicy(refuse_overdraft=True), MSK, NOW
        )


@pytest.mark.parametrize(
    ("standing", "on", "after", "short"),
    [
        # September (open) was overdrawn by 5 h: its close bills that, October opens at 0
        (package(0, (SEP, -300)), date(2026, 10, 5), -50, 50),
        (package(0, (SEP, -300), (OCT, 600)), date(2026, 10, 5), 550, None),
        # August carried 2 h into September, which used 1 h: October opens with 1 h
        (package(0, (AUG, 120), (SEP, -60)), date(2026, 10, 5), 10, None),
        # an entry in September, still open, takes September below zero
        (package(0, (SEP, 30), (OCT, 600)), date(2026, 9, 30), 600, 20),
        # an entry in September that leaves it positive, but overdraws October
        (package(0, (SEP, 60), (OCT, -20)), date(2026, 9, 30), -10, 10),
    ],
)
def test_package_balance_treats_earlier_open_months_as_closed(
    standing: Standing, on: date, after: int, short: int | None
) -> None:
    work = WorkLog("ACME-12", 50, on)
    plan = plan_work(work, contract(variant=3), standing, WorkPolicy(), MSK, NOW)
    assert plan.balance_after == after
    assert plan.overdraft == (None if short is None else Overdraft("ACME", short))


@pytest.mark.parametrize(
    ("standing", "words"),
    [
        (package(20), "ACME has 20m of prepaid hours left for 2026-10"),
        (package(0), "ACME has 0m of prepaid hours left"),
        # September's overdraft is billed at its close: it does not eat October's package
        (package(0, (SEP, -300), (OCT, 30)), "has 30m of prepaid hours left"),
    ],
)
def test_package_development_needs_prepaid_hours(standing: Standing, words: str) -> None:
    work = WorkLog("ACME-12", 50, date(2026, 10, 5), kind=WorkKind.DEV)
    with pytest.raises(InputError) as e:
        plan_work(work, contract(variant=3), standing, WorkPolicy(), MSK, NOW)
    assert words in str(e.value)
    assert "custom development of 50m needs prepaid hours" in str(e.value)
    assert "`sla contract topup ACME`" in str(e.value)


def test_package_development_within_the_balance_is_logged() -> None:
    work = WorkLog("ACME-12", 50, date(2026, 10, 5), kind=WorkKind.DEV)
    plan = plan_work(work, contract(variant=3), package(50), WorkPolicy(), MSK, NOW)
    assert (plan.balance_after, plan.overdraft) == (0, None)


@pytest.mark.parametrize(
    ("kind", "already", "over"),
    [
        (WorkKind.DEV, 0, None),
        (WorkKind.DEV, 40 * 60 - 50, None),  # exactly at the cap
        (WorkKind.DEV, 40 * 60 - 49, 1),
        (WorkKind.DEV, 45 * 60, 5 * 60 + 50),
        (WorkKind.SUPPORT, 45 * 60, None),  # support is not development
    ],
)
def test_development_past_the_monthly_cap_warns(
    kind: WorkKind, already: int, over: int | None
) -> None:
    work = WorkLog("ACME-12", 50, date(2026, 10, 5), kind=kind)
    plan = plan_work(work, contract(), Standing(month_dev_minutes=already), WorkPolicy(), MSK, NOW)
    if over is None:
        assert plan.dev_over_cap is None
    else:
        assert plan.dev_over_cap == DevOverCap("ACME", OCT, 40 * 60, already + 50)
        assert plan.dev_over_cap.over_minutes == over


def test_no_development_cap_on_variant_2() -> None:
    work = WorkLog("ACME-12", 50, date(2026, 10, 5), kind=WorkKind.DEV)
    standing = Standing(month_dev_minutes=100 * 60)
    assert plan_work(work, contract(2), standing, WorkPolicy(), MSK, NOW).dev_over_cap is None


def test_start_time_in_the_company_zone() -> None:
    work = WorkLog("ACME-12", 30, date(2026, 10, 5), start=time(9, 30))
    plan = plan_work(work, contract(), NONE, WorkPolicy(), MSK, NOW)
    assert plan.started_at == datetime(2026, 10, 5, 6, 30, tzinfo=UTC)


def test_start_time_in_the_future_refused() -> None:
    work = WorkLog("ACME-12", 30, date(2026, 10, 5), start=time(12, 30))
    with pytest.raises(InputError, match="--from is in the future"):
        plan_work(work, contract(), NONE, WorkPolicy(), MSK, NOW)


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
