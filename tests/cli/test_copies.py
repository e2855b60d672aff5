"""Copies of the ledger (`sla backup`, the copy `sla upgrade` keeps) under faults: a target that
is not a regular file, a folder that cannot be written, a full disk, a killed copy, a broken
file. Each exits 2 in one line, and nothing is left behind."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Sla, sqlite_url
from tests.store.test_migrations import migrate

NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}


def _ledger(sla: Sla) -> Path:
    return Path(sla.db_url.removeprefix("sqlite:///"))


def _signed(sla: Sla) -> Path:
    sla.ok("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
           "--start", "2026-10-01", "--months", "12", env=NOW)  # fmt: skip
    sla.ok("log", "2h", "ACME-1", env=NOW)
    return _ledger(sla)


def _one_line(stderr: str) -> None:
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "unexpected" not in stderr and "Traceback" not in stderr


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- a target that is not a regular file ------------------------------------------------------


@pytest.fixture
def not_a_file(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    kind = request.param
    if kind == "device":
        yield Path("/dev/null")
        return
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":  # in a short folder: a socket's path has at most 107 bytes
        short = Path(tempfile.mkdtemp())
        path = short / "socket"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        yield path
        server.close()
        shutil.rmtree(short)
        return
    elif kind == "link to a fifo":
        os.mkfifo(tmp_path / "fifo target")
        path.symlink_to(tmp_path / "fifo target")
    yield path


@pytest.mark.parametrize(
    "not_a_file", ["device", "fifo", "folder", "socket", "link to a fifo"], indirect=True
)
@pytest.mark.parametrize("force", [False, True])
def test_backup_refuses_a_target_that_is_not_a_regular_file_whatever_the_flag(
    sla: Sla, not_a_file: Path, force: bool
) -> None:
    _signed(sla)
    before = os.stat(not_a_file).st_mode
    r = sla("backup", str(not_a_file), *(["--force"] if force else []))
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    assert "--force" not in r.stderr  # no flag makes it right: nothing invites one
    assert "folder" in r.stderr or "not a regular file" in r.stderr
    assert os.stat(not_a_file).st_mode == before  # still what it was


@pytest.mark.parametrize("name", ["", "   "])
def test_backup_refuses_an_empty_name(sla: Sla, name: str) -> None:
    _signed(sla)
    r = sla("backup", name, "--force")
    assert r.exit_code == 2 and "empty name" in r.stderr, r.stderr
    _one_line(r.stderr)


def test_backup_into_a_link_replaces_the_file_it_names(sla: Sla, tmp_path: Path) -> None:
    _signed(sla)
    real = tmp_path / "real.db"
    real.write_bytes(b"old")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert "--force replaces it" in sla("backup", str(link)).stderr  # a file: --force is right
    sla.ok("backup", str(link), "--force")
    assert link.is_symlink() and real.read_bytes().startswith(b"SQLite format 3")


# --- a folder that cannot be written ----------------------------------------------------------


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """``folder`` cannot be written to by this process: its mode bits, or (as root, whom they
    do not stop) the immutable attribute."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if (
        chattr is None
        or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode
    ):
        pytest.skip("running as root, and this filesystem cannot make a folder immutable")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_backup_into_a_folder_that_cannot_be_written(sla: Sla, tmp_path: Path) -> None:
    _signed(sla)
    locked = tmp_path / "locked"
    locked.mkdir()
    with unwritable(locked):
        r = sla("backup", str(locked / "copy.db"))
        assert _listing(locked) == []
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    assert f"cannot write the copy {locked / 'copy.db'}" in r.stderr
    assert "nothing was written" in r.stderr


def _old_ledger(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "ledger.db"
    migrate(sqlite_url(path), "0003")
    return path


@pytest.mark.parametrize("held_open", [False, True])
def test_upgrade_in_a_folder_that_cannot_be_written(
    sla: Sla, tmp_path: Path, held_open: bool
) -> None:
    """Alone, SQLite cannot even open the ledger there (its -wal and -shm go beside it); while
    another command holds it open it can, and the copy kept before the upgrade cannot be made."""
    ledger = _old_ledger(tmp_path / "led")
    before = ledger.read_bytes()
    holder = sqlite3.connect(ledger) if held_open else None
    if holder is not None:
        holder.execute("SELECT count(*) FROM entries").fetchone()  # its -wal and -shm exist
    try:
        with unwritable(ledger.parent):
            r = sla("upgrade", env={"SLA_DATABASE_URL": str(ledger)})
    finally:
        if holder is not None:
            holder.close()
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    if held_open:
        assert "cannot write the copy" in r.stderr and "nothing was written" in r.stderr
    else:
        assert "can its folder be written?" in r.stderr
    assert ledger.read_bytes() == before and _listing(ledger.parent) == ["ledger.db"]


# --- a full disk: a file-size limit in a child process ---------------------------------------


def _run_limited(
    args: list[str], env: dict[str, str], limit: int
) -> subprocess.CompletedProcess[str]:
    """`sla ARGS` in a child that may write no file past ``limit`` bytes: as a full disk does,
    its writes fail (EFBIG instead of ENOSPC) once a file would grow past it."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "sla_cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
    )


def test_upgrade_on_a_full_disk_leaves_no_copy_and_no_journal(sla: Sla, tmp_path: Path) -> None:
    ledger = _old_ledger(tmp_path / "led")
    before = ledger.read_bytes()
    env = {**sla.env, "SLA_DATABASE_URL": str(ledger)}
    for _ in range(2):  # a retry leaves no more than the first run
        r = _run_limited(["upgrade"], env, ledger.stat().st_size // 2)
        assert r.returncode == 2, r.stderr
        _one_line(r.stderr)
        assert "is the disk full?" in r.stderr and "nothing was written" in r.stderr
        assert _listing(ledger.parent) == ["ledger.db"]
    assert ledger.read_bytes() == before
    assert _run_limited(["upgrade"], env, 2**30).returncode == 0  # with room, it upgrades


def test_backup_on_a_full_disk_leaves_nothing(sla: Sla, tmp_path: Path) -> None:
    ledger = _signed(sla)
    target = tmp_path / "copies"
    target.mkdir()
    r = _run_limited(["backup", str(target / "copy.db")], sla.env, ledger.stat().st_size // 2)
    assert r.returncode == 2, r.stderr
    _one_line(r.stderr)
    assert "is the disk full?" in r.stderr
    assert _listing(target) == []


# --- leftovers of a killed copy, and of a failed upgrade --------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_backup_removes_what_a_killed_one_left(sla: Sla, tmp_path: Path) -> None:
    _signed(sla)
    target = tmp_path / "copy.db"
    left = tmp_path / f".copy.db.sla-{_dead_pid()}-0badc0de.tmp"
    left.write_bytes(b"SQLite format 3\x00 half a copy")
    Path(f"{left}-journal").write_bytes(b"journal")
    running = tmp_path / f".copy.db.sla-{os.getpid()}-0123abcd.tmp"  # a copy under way
    running.write_bytes(b"")
    other = tmp_path / ".copy.db.mine.tmp"  # not a name sla makes
    other.write_bytes(b"")
    r = sla.ok("backup", str(target))
    assert left.name in r.stdout and "interrupted copy" in r.stdout
    assert _listing(tmp_path).count(left.name) == 0
    assert not Path(f"{left}-journal").exists()
    assert other.exists()
    assert sqlite3.connect(target).execute("SELECT count(*) FROM entries").fetchone() == (1,)


def test_a_killed_backup_leaves_nothing_the_next_one_keeps(sla: Sla, tmp_path: Path) -> None:
    """A real kill -9 while the copy runs (held half-way by its progress callback)."""
    ledger = _signed(sla)
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE, str(ledger), str(target)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "copying"
    child.kill()
    child.wait()
    assert [n for n in _listing(target.parent) if ".sla-" in n]  # a half copy, as a kill leaves
    sla.ok("backup", str(target))
    assert _listing(target.parent) == ["copy.db"]


# the copy of `sla backup`, paused half-way (the backup's progress callback) to be killed
_KILLABLE = """
import sys, sqlite3, time, types
from pathlib import Path
from sla_cli.store import backups
class Slow(sqlite3.Connection):
    def backup(self, target, **kw):
        def halfway(status, remaining, total):
            print("copying", flush=True)
            time.sleep(60)
        super().backup(target, pages=1, progress=halfway)
def connect(*args, **kw):
    return sqlite3.connect(*args, factory=Slow, **kw)
backups.sqlite3 = types.SimpleNamespace(connect=connect, Error=sqlite3.Error)
backups.copy_ledger(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_failed_upgrade_removes_its_copy(sla: Sla, tmp_path: Path) -> None:
    ledger = _old_ledger(tmp_path / "led")
    conn = sqlite3.connect(ledger)  # a row referring to no contract: the upgrade checks them
    with conn:
        conn.execute(
            'INSERT INTO entries (contract_id, client_id, "on", minutes, type, category, "by", '
            "created_at) VALUES (99, 99, '2026-10-05', 60, 'work', 'work', 'x', "
            "'2026-10-05 09:00:00')"
        )
    conn.close()
    before = ledger.read_bytes()
    r = sla("upgrade", env={"SLA_DATABASE_URL": str(ledger)})
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    assert "nothing was changed" in r.stderr
    assert ledger.read_bytes() == before and _listing(ledger.parent) == ["ledger.db"]


# --- a broken file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("entries",),
        ("log", "1h", "ACME-1"),
        ("status",),
        ("verify",),
        ("upgrade",),
        ("init",),
    ],
    ids=" ".join,
)
def test_a_schema_page_that_is_not_utf8_says_the_ledger_is_damaged(
    sla: Sla, args: tuple[str, ...]
) -> None:
    ledger = _signed(sla)
    data = bytearray(ledger.read_bytes())
    at = data.find(b"tableentriesentries")
    assert at > 0
    data[at + 5] = 0xFF  # the table's name in the schema: "\xffntries"
    ledger.write_bytes(bytes(data))
    r = sla(*args, env=NOW)
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    assert "is damaged" in r.stderr and "restore it from a backup" in r.stderr
    assert ledger.read_bytes() == bytes(data)


def test_a_file_written_with_o_removes_what_a_killed_write_left(sla: Sla, tmp_path: Path) -> None:
    _signed(sla)
    target = tmp_path / "hours.csv"
    left = tmp_path / f".hours.csv.sla-{_dead_pid()}-0badc0de.tmp"
    left.write_text("entry,on\n1,2026-", encoding="utf-8")  # half an export, killed
    sla.ok("export", "--format", "csv", "-o", str(target), env=NOW)
    assert _listing(tmp_path).count(left.name) == 0
    assert target.read_text(encoding="utf-8").startswith("entry,on,client")


@pytest.mark.parametrize(("column", "bad"), [('"on"', "2026-13-45"), ("created_at", "yesterday")])
@pytest.mark.parametrize("args", [("entries",), ("export",)], ids=" ".join)
def test_a_stored_date_that_is_no_date_says_the_ledger_is_damaged(
    sla: Sla, column: str, bad: str, args: tuple[str, ...]
) -> None:
    ledger = _signed(sla)
    conn = sqlite3.connect(ledger)
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:  # as a damaged page or another program could leave a row
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(f"UPDATE entries SET {column} = ?", (bad,))
    conn.commit()
    conn.close()
    r = sla(*args, env=NOW)
    assert r.exit_code == 2, r.stderr
    _one_line(r.stderr)
    assert "is damaged" in r.stderr and "unexpected" not in r.stderr
