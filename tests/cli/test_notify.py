"""`sla notify` against real receivers on loopback: an SMTP server and a webhook.

ACME is on variant 1 «Базовый»: reaction in 2 business hours, start of work in 4, the working
day 09:00–19:00. ACME-1 opens on Monday 23 November 2026 at 10:00, so (the default levels:
`at_risk` at 75 % of the target, `breached`, `escalation` two hours past it):
- 11:35: the reaction has used 95 of 120 minutes (79 %): `at_risk`; the start 95 of 240: nothing;
- 12:05: the reaction is 5 minutes late: `breached`;
- 13:05: the start has used 185 of 240 (77 %): `at_risk`;
- 14:05: the reaction is 125 minutes late: `escalation`; the start 5: `breached`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla
from tests.receivers import Hook, Mailbox

MONDAY = "2026-11-23T{}:00+03:00"


def at(hhmm: str) -> dict[str, str]:
    return {"SLA_NOW": MONDAY.format(hhmm)}


def configure(sla: Sla, tmp_path: Path, box: Mailbox, web: Hook, **notify: Any) -> None:
    secret = tmp_path / "mail-url"
    secret.write_text(box.url + "\n", encoding="utf-8")
    secret.chmod(0o600)
    os.environ["SLA_TEST_HOOK_URL"] = web.url
    doc = default_document()
    doc["notify"].update(
        {
            "retry_seconds": 0,
            "routes": [
                {"name": "mail", "url_file": str(secret)},
                {"name": "hook", "url_env": "SLA_TEST_HOOK_URL"},
            ],
            **notify,
        }
    )
    write_config(sla.config, doc, force=True)


def acme(sla: Sla) -> None:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-11-01", "--months", "12", env=at("09:00"))  # fmt: skip
    sla.ok("incident", "open", "ACME-1", "--at", "2026-11-23T10:00", "--title", "Касса",
           env=at("10:00"))  # fmt: skip


def levels(web: Hook) -> list[tuple[str, str]]:
    return [(p["clock"], p["level"]) for p in web.payloads()]


def test_each_level_reaches_both_routes_once(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    assert sla.ok("notify", env=at("11:00")).text.strip() == "nothing to send"
    for moment in ("11:35", "11:40", "12:05", "12:10", "13:05", "14:05", "14:06"):
        sla.ok("notify", env=at(moment))
    assert levels(hook) == [
        ("reaction", "at_risk"),
        ("reaction", "breached"),
        ("start", "at_risk"),
        ("reaction", "escalation"),
        ("start", "breached"),
    ]
    assert len(mailbox.messages) == 5
    subject = mailbox.subjects()[0]
    assert subject.startswith("ACME ACME-1: срок «реакция» истекает 23.11.2026 12:00 +0300")
    assert "осталось 0:25 рабочего времени" in subject
    body = mailbox.messages[0].get_body(preferencelist=("plain",))
    assert body is not None and "Касса" in body.get_content()
    first = hook.payloads()[0]
    keys = ("event", "level", "client", "ticket", "clock", "due", "minutes_left")
    assert [first[k] for k in keys] == [
        "warning", "at_risk", "ACME", "ACME-1", "reaction", "2026-11-23T12:00:00+03:00", 25,
    ]  # fmt: skip
    listed = sla.ok("notices", "-f", "json", env=at("14:10")).json()
    assert len(listed) == 10 and {n["status"] for n in listed} == {"delivered"}
    assert {n["route"] for n in listed} == {"mail", "hook"}


def test_a_stopped_or_waiting_clock_sends_nothing_further(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    sla.ok("incident", "ack", "ACME-1", "--at", "2026-11-23T11:30", env=at("11:30"))
    sla.ok("incident", "wait", "ACME-1", "--at", "2026-11-23T11:31", env=at("11:31"))
    for moment in ("12:05", "13:05", "14:05"):
        assert sla.ok("notify", env=at(moment)).text.strip() == "nothing to send"
    sla.ok("incident", "resume", "ACME-1", "--at", "2026-11-23T14:06", env=at("14:06"))
    sla.ok("notify", env=at("14:07"))
    # the start clock paused while it waited (11:31–14:06): 91 minutes by 14:07, no level yet
    assert levels(hook) == []
    sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-23T14:08", env=at("14:08"))
    assert sla.ok("notify", env=at("18:00")).text.strip() == "nothing to send"
    assert mailbox.messages == []


def test_no_sla_notice_outside_business_hours_and_no_warning_once_breached(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    """ACME-2 opens at 17:30: its reaction is due at 09:30 the next morning (an hour and a half
    on the Monday, half an hour on Tuesday). At 20:00 its warning level is reached (90 of 120
    minutes) but it is night; by 09:40 the clock is breached, so only the breach goes out (the
    start of work has used 130 of 240 minutes: no level)."""
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-23T10:01", env=at("10:01"))
    sla.ok("incident", "open", "ACME-2", "--at", "2026-11-23T17:30", env=at("17:30"))
    assert sla.ok("notify", env=at("20:00")).text.strip() == "nothing to send"
    sla.ok("notify", env={"SLA_NOW": "2026-11-24T09:40:00+03:00"})
    assert levels(hook) == [("reaction", "breached")]


def test_a_route_marked_always_is_told_at_night(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    doc = default_document()
    doc["notify"].update({"retry_seconds": 0, "routes": [
        {"name": "hook", "url_env": "SLA_TEST_HOOK_URL", "always": True}]})  # fmt: skip
    write_config(sla.config, doc, force=True)
    acme(sla)
    sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-23T10:01", env=at("10:01"))
    sla.ok("incident", "open", "ACME-2", "--at", "2026-11-23T17:30", env=at("17:30"))
    sla.ok("notify", env=at("20:00"))
    assert levels(hook) == [("reaction", "at_risk")]


def test_a_failed_delivery_is_tried_again_and_delivered_once(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    hook.status = 500
    r = sla("notify", env=at("11:35"))
    assert r.exit_code == 75, r.stderr
    assert "1 notice(s) not delivered, tried again later: hook: json://127.0.0.1" in r.stderr
    assert "sla?" not in r.stderr + r.stdout  # the URL's path and query (its secrets) unsaid
    assert len(mailbox.messages) == 1  # the other route took it
    listed = {n["route"]: n for n in sla.ok("notices", "-f", "json", env=at("11:36")).json()}
    assert (listed["hook"]["status"], listed["mail"]["status"]) == ("failing", "delivered")
    hook.status = 200
    assert sla("notify", env=at("11:40")).exit_code == 0
    assert sla("notify", env=at("11:45")).exit_code == 0
    assert levels(hook) == [("reaction", "at_risk")] and len(mailbox.messages) == 1
    listed = {n["route"]: n for n in sla.ok("notices", "-f", "json", env=at("11:46")).json()}
    assert listed["hook"]["attempts"] == 2 and listed["hook"]["status"] == "delivered"


def test_a_receiver_that_hangs_is_bounded_and_tried_again(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    hook.delay = 5  # longer than the route's read timeout (rto=2)
    r = sla("notify", env=at("11:35"))
    assert r.exit_code == 75
    hook.delay = 0
    sla.ok("notify", env=at("11:40"))
    assert len([p for p in hook.payloads() if p["level"] == "at_risk"]) >= 1
    listed = {n["route"]: n for n in sla.ok("notices", "-f", "json", env=at("11:41")).json()}
    assert listed["hook"]["status"] == "delivered"


def test_a_dry_run_records_and_sends_nothing(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    out = sla.ok("notify", "--dry-run", "--lang", "en", env=at("12:05")).text
    assert "would send to mail: ACME ACME-1: the reaction deadline (23.11.2026 12:00" in out
    assert "would send to hook:" in out
    assert hook.posts == [] and mailbox.messages == []
    assert sla.ok("notices", "-f", "json", env=at("12:06")).json() == []
    sla.ok("notify", env=at("12:06"))
    assert levels(hook) == [("reaction", "breached")]  # the warning: no news once breached


def test_hours_alerts_once_a_day_a_contract(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    acme(sla)
    sla.ok("incident", "resolve", "ACME-1", "--at", "2026-11-23T10:01", env=at("10:01"))
    sla.ok("log", "12h", "ACME-3", "--on", "2026-11-20", env=at("10:05"))
    sla.ok("notify", env=at("10:10"))
    (used,) = hook.payloads()
    assert (used["event"], used["level"], used["figure_minutes"], used["limit_minutes"]) == (
        "hours", "used_80", 720, 900)  # fmt: skip
    sla.ok("log", "3h", "ACME-3", "--on", "2026-11-21", env=at("10:15"))
    sla.ok("notify", env=at("10:20"))  # 100 % now, but ACME was told today already
    assert len(hook.payloads()) == 1


def test_without_a_route_notify_says_how_to_add_one(sla: Sla) -> None:
    r = sla("notify", env=at("11:00"))
    assert r.exit_code == 2 and "[[notify.routes]]" in r.stderr


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_a_url_file_others_can_read_is_refused(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook, mode: int
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    (tmp_path / "mail-url").chmod(mode)
    acme(sla)
    r = sla("notify", env=at("11:35"))
    assert r.exit_code == 75
    assert "must be a regular file readable by its owner only" in r.stderr
    assert mailbox.url not in r.stderr


def test_log_and_stop_say_when_an_entry_passes_an_hours_level(sla: Sla) -> None:
    """ACME's month holds 15 hours: 11:00 logged, then 1:00 passes 80 % (12:00), then 3:00
    passes 100 % (15:00); a timer's entry says so too."""
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-11-01", "--months", "12", env=at("09:00"))  # fmt: skip
    quiet = sla.ok("log", "11h", "ACME-1", "--on", "2026-11-20", env=at("09:00"))
    assert "warning" not in quiet.stderr
    told = sla.ok("log", "1h", "ACME-1", "--on", "2026-11-20", env=at("09:00"))
    assert "ACME has used 12:00 h of the month's 15:00 h (80 %)" in told.stderr
    sla.ok("start", "ACME-2", env=at("09:00"))
    stopped = sla.ok("stop", env=at("12:00"))
    assert "ACME has used 15:00 h of the month's 15:00 h (100 %)" in stopped.stderr


def test_a_contract_in_its_own_zone_is_told_its_own_time(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    configure(sla, tmp_path, mailbox, hook)
    sla.ok("contract", "add", "Ural", "--key", "URAL", "--variant", "1", "--tier", "basic",
           "--start", "2026-11-01", "--months", "12", "--tz", "Asia/Yekaterinburg",
           env=at("09:00"))  # fmt: skip
    sla.ok("incident", "open", "URAL-1", "--at", "2026-11-23T10:00", env=at("10:00"))
    sla.ok("notify", "--lang", "en", env=at("11:35"))
    (payload,) = hook.payloads()
    assert payload["due"] == "2026-11-23T14:00:00+05:00"  # 12:00 in Moscow
    assert "the reaction deadline is 23.11.2026 14:00 +0500" in mailbox.subjects()[0]


def test_a_run_killed_while_it_sends_loses_and_doubles_nothing(
    sla: Sla, tmp_path: Path, mailbox: Mailbox, hook: Hook
) -> None:
    """`kill -9` while the webhook holds the request: the e-mail went out before, once; the
    webhook's notice is left begun, so a run within `abandoned_seconds` leaves it alone (no
    double), and the next run after delivers it (nothing lost). The run within is given ten
    minutes and the run after one second, so that neither depends on how busy the machine is."""
    import subprocess
    import sys
    import time

    configure(sla, tmp_path, mailbox, hook, abandoned_seconds=600)
    acme(sla)
    hook.hanging = True
    env = {**os.environ, **sla.env, **at("11:35")}
    run = subprocess.Popen([sys.executable, "-m", "sla_cli", "notify"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        assert hook.arrived.wait(60), "the webhook was never called"
    finally:
        run.kill()
        run.wait()
    hook.hanging = False
    assert run.returncode == -9
    assert len(mailbox.messages) == 1 and hook.posts == []
    assert sla.ok("notify", env=at("11:36")).text.strip() == "nothing to send"  # in flight
    configure(sla, tmp_path, mailbox, hook, abandoned_seconds=1)
    time.sleep(1.5)  # at least this long since the notice was begun: it is abandoned now
    sla.ok("notify", env=at("11:37"))
    assert levels(hook) == [("reaction", "at_risk")] and len(mailbox.messages) == 1
    listed = {n["route"]: n for n in sla.ok("notices", "-f", "json", env=at("11:38")).json()}
    assert (listed["hook"]["attempts"], listed["hook"]["status"]) == (2, "delivered")
