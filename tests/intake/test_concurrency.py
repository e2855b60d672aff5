"""Two intake runs at once over the same Maildir on PostgreSQL: every message acts once."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Sla, pg_url
from tests.intake.test_cli import APR20, configure, contract, incidents

RUNS, MESSAGES = 2, 40


def message(n: int) -> bytes:
    return (
        f"Received: from mx.acme.ru by mail.example.ru; Tue, 14 Apr 2026 10:{n:02d}:30 +0300\r\n"
        f"From: client{n}@acme.ru\r\nSubject: request {n}\r\n"
        f"Date: Tue, 14 Apr 2026 10:{n:02d}:00 +0300\r\nMessage-ID: <req-{n}@acme.ru>\r\n"
        "\r\nHelp.\r\n"
    ).encode()


def test_two_runs_over_one_maildir_open_each_incident_once(ledger_sla: Sla, tmp_path: Path) -> None:
    if "postgresql" not in ledger_sla.db_url:
        pytest.skip("SQLite has one writer at a time")
    assert pg_url()
    configure(ledger_sla)
    contract(ledger_sla)
    folder = tmp_path / "Maildir"
    box = mailbox.Maildir(folder, create=True)
    for n in range(MESSAGES):
        box.add(message(n))
    env = {**os.environ, **ledger_sla.env, **APR20}
    command = [sys.executable, "-m", "sla_cli", "intake", "--maildir", str(folder), "-f", "json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(RUNS)]  # fmt: skip
    outcomes: list[str] = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
        outcomes += [x["outcome"] for x in json.loads(out)]
    assert outcomes.count("opened") == MESSAGES  # between them: each once, the rest seen
    assert outcomes.count("seen") == MESSAGES * (RUNS - 1)
    opened = incidents(ledger_sla)
    assert sorted(i["ticket"] for i in opened) == sorted(f"ACME-{n + 1}" for n in range(MESSAGES))
