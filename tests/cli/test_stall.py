"""A network that stalls mid-transaction: PostgreSQL through a loopback proxy that stops
forwarding. The server's timeouts never reach the client then; the client's own deadline ends
every wait, and the command exits 75 saying what was and was not written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla, pg_schema
from tests.stall_proxy import StallingProxy

NOW = {"SLA_NOW": "2026-12-01T12:00:00+03:00"}
ADD_BETA = ("contract", "add", "Beta", "--key", "BETA", "--variant", "2", "--tier", "standard",
            "--start", "2026-12-01")  # fmt: skip
STATEMENT = 2  # seconds: the statement timeout the tests configure; the deadline is 3 s more


@pytest.fixture
def pg(sla: Sla, tmp_path: Path) -> Iterator[str]:
    """A new PostgreSQL ledger with a contract since October and an entry; the config of the
    runs through the proxy (``quick.toml``) waits a few seconds."""
    with pg_schema() as url:
        sla.env["SLA_DATABASE_URL"] = url
        sla.ok("init", "--force")
        sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
               "--start", "2026-07-01", "--months", "12", env=NOW)  # fmt: skip
        sla.ok("log", "2h", "ACME-1", "--on", "2026-07-06", env=NOW)
        doc = default_document()
        doc["ledger"].update(
            connect_timeout_seconds=2, lock_timeout_seconds=2, statement_timeout_seconds=STATEMENT
        )
        write_config(tmp_path / "quick.toml", doc)
        yield url


def upstream(url: str) -> tuple[str, int]:
    u = sa.engine.make_url(url)
    return u.host or "127.0.0.1", u.port or 5432


def run(sla: Sla, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`sla ARGS` in a child process, against ``url``; a hang fails the test (the guard is far
    beyond the deadline the command has)."""
    quick = str(sla.config.with_name("quick.toml"))
    env = {**os.environ, **sla.env, **NOW, "SLA_DATABASE_URL": url, "SLA_CONFIG": quick}
    try:
        return subprocess.run(
            [sys.executable, "-m", "sla_cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"sla {' '.join(args)} hung on a stalled connection")


def entries(sla: Sla, url: str) -> int:
    return len(sla.ok("entries", "--format", "json", env={"SLA_DATABASE_URL": url}).json())


@pytest.mark.parametrize(
    ("args", "pattern", "nth"),
    [
        (("log", "1h", "ACME-1"), b"INSERT INTO entries", 1),
        (("import", "{csv}"), b"INSERT INTO entries", 1),
        (ADD_BETA, b"INSERT INTO contracts", 1),
        (("entries", "--format", "csv"), b"FROM entries", 1),
        (("report", "--month", "2026-10"), b"FROM entries", 1),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else None,
)
def test_a_stall_mid_transaction_exits_75_and_writes_nothing(
    sla: Sla, pg: str, tmp_path: Path, args: tuple[str, ...], pattern: bytes, nth: int
) -> None:
    csv = tmp_path / "hours.csv"
    csv.write_text(
        "date,duration,ticket\n2026-11-02,1h,ACME-2\n2026-11-03,1h,ACME-3\n2026-11-04,1h,ACME-4\n",
        encoding="utf-8",
    )
    args = tuple(str(csv) if a == "{csv}" else a for a in args)
    with StallingProxy(upstream(pg), pattern, nth) as proxy:
        r = run(sla, proxy.url(pg), *args)
        assert proxy.stalled.is_set()  # the network really stalled under the command
    assert r.returncode == 75, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "is unavailable" in r.stderr and "try again" in r.stderr
    assert f"no answer from the server within {STATEMENT + 3} s" in r.stderr
    assert entries(sla, pg) == 1  # nothing was written


def test_a_commit_whose_answer_is_lost_says_it_may_have_been_written(sla: Sla, pg: str) -> None:
    """The server commits, the answer never arrives: "nothing was written" would be false."""
    with StallingProxy(upstream(pg), b"COMMIT", 1, after=True) as proxy:
        r = run(sla, proxy.url(pg), "log", "1h", "ACME-1")
        assert proxy.stalled.is_set()
    assert r.returncode == 75, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "may or may not have been written" in r.stderr and "nothing was written" not in r.stderr
    assert entries(sla, pg) == 2  # it was


def closed_months(sla: Sla, url: str) -> list[str]:
    with sa.create_engine(url).connect() as conn:
        return [m for (m,) in conn.execute(sa.text("SELECT month FROM closed_months ORDER BY 1"))]


def test_an_interrupted_rollover_names_the_months_it_closed(sla: Sla, pg: str) -> None:
    """July and August close, the network stalls while September closes: the message says
    what stays closed, and a re-run closes the rest."""
    with StallingProxy(upstream(pg), b"INSERT INTO closed_months", 3) as proxy:
        r = run(sla, proxy.url(pg), "rollover")
        assert proxy.stalled.is_set()
    assert r.returncode == 75, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "nothing was written" not in r.stderr
    assert "2026-07, 2026-08 closed and stay closed" in r.stderr
    assert "2026-09 and the months after it are not closed yet" in r.stderr
    assert "re-run of `sla rollover` closes them" in r.stderr
    assert closed_months(sla, pg) == ["2026-07", "2026-08"]
    again = sla.ok("rollover", "--format", "json", env=NOW).json()
    assert again["already_closed"] == ["2026-07", "2026-08"]
    assert sorted({c["month"] for c in again["closed"]}) == ["2026-09", "2026-10", "2026-11"]


def test_a_rollover_whose_commit_answer_is_lost_says_that_month_is_unknown(
    sla: Sla, pg: str
) -> None:
    """The answer to August's COMMIT is lost (the server committed it)."""
    with StallingProxy(
        upstream(pg), b"INSERT INTO closed_months", 2, after=True, then=b"COMMIT"
    ) as proxy:
        r = run(sla, proxy.url(pg), "rollover")
        assert proxy.stalled.is_set()
    assert r.returncode == 75, r.stderr
    assert "2026-07 closed and stay closed" in r.stderr, r.stderr
    assert "whether 2026-08 closed is not known" in r.stderr
    assert closed_months(sla, pg) == ["2026-07", "2026-08"]  # it did
    again = sla.ok("rollover", "--format", "json", env=NOW).json()
    assert again["already_closed"] == ["2026-07", "2026-08"]
