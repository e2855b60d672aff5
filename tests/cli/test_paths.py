"""Every command that takes a path, pointed at the tool's own files and at what is not a file:
nothing but the file the command is meant to write ever changes, and no command hangs."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Sla

NOV = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}

# (name, the command with {} for the path)
COMMANDS = [
    ("report -o", ("report", "--month", "2026-11", "-f", "csv", "-o", "{}")),
    ("report html -o", ("report", "--month", "2026-11", "-f", "html", "-o", "{}")),
    ("export -o", ("export", "-f", "json", "-o", "{}")),
    ("import", ("import", "{}")),
    ("--config", ("--config", "{}", "entries")),
    ("--db", ("--db", "{}", "entries")),
    ("demo --dir", ("demo", "--dir", "{}")),
    ("backup", ("backup", "{}")),
    ("backup --force", ("backup", "{}", "--force")),
    ("init --config", ("--config", "{}", "init")),
    ("init --reset-config", ("--config", "{}", "init", "--reset-config")),
]
TARGETS = ["ledger", "config", "device", "fifo", "folder"]
# the uses that are the command's own job: it may succeed, still changing nothing
NORMAL = {("--config", "config"), ("--db", "ledger"), ("init --config", "config")}
# the uses that write on purpose: only the file named changes (and its copy kept beside it)
INTENDED = {("init --reset-config", "config")}


def snapshot(root: Path) -> dict[str, Any]:
    """What every path under ``root`` is: its type, permissions and content."""
    out: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        name = str(path.relative_to(root))
        if name.endswith(("-wal", "-shm")):
            continue  # SQLite's own, while a connection is open
        if stat.S_ISLNK(st.st_mode):
            out[name] = ("link", os.readlink(path))
        elif stat.S_ISREG(st.st_mode):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[name] = ("file", stat.S_IMODE(st.st_mode), digest)
        else:
            out[name] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode))
    return out


def device_state() -> tuple[int, int, int]:
    st = os.lstat("/dev/null")
    return st.st_mode, st.st_rdev, st.st_ino


@contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    def hung(*_: Any) -> None:
        raise TimeoutError("the command hung")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def targets(root: Path, sla: Sla) -> dict[str, Path]:
    """Each kind of target, and a symbolic link to each."""
    folder = root / "folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept", encoding="utf-8")
    fifo = root / "fifo"
    os.mkfifo(fifo)
    real = {
        "ledger": Path(sla.db_url.removeprefix("sqlite:///")),
        "config": sla.config,
        "device": Path("/dev/null"),
        "fifo": fifo,
        "folder": folder,
    }
    links = {}
    for name, path in real.items():
        link = root / f"link-to-{name}"
        link.symlink_to(path)
        links[f"link to {name}"] = link
    return {**real, **links}


@pytest.mark.parametrize(("command", "args"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_a_path_of_the_tools_own_or_not_a_file_changes_nothing(
    sla: Sla, tmp_path: Path, command: str, args: tuple[str, ...]
) -> None:
    sla.ok(
        "contract", "add", "ACME", "--key", "ACME", "--variant", "1", "--tier", "basic",
        "--start", "2026-10-01", "--months", "12", env=NOV,
    )  # fmt: skip
    sla.ok("log", "1h", "ACME-1", "--on", "2026-11-03", env=NOV)
    for name, target in targets(tmp_path, sla).items():
        before, device = snapshot(tmp_path), device_state()
        with no_hang():
            r = sla(*(a.replace("{}", str(target)) for a in args), env=NOV)
        kind = name.removeprefix("link to ")
        assert "unexpected" not in r.stderr, (command, name, r.stderr)
        after = snapshot(tmp_path)
        if (command, kind) in INTENDED:
            assert r.exit_code == 0, (command, name, r.stderr)
            changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
            assert all(k == "config.toml" or k.endswith(".bak") for k in changed), changed
            continue
        if (command, kind) in NORMAL:
            assert r.exit_code == 0, (command, name, r.stderr)
        else:
            assert r.exit_code == 2, (command, name, r.exit_code, r.stdout, r.stderr)
            assert len(r.stderr.strip().splitlines()) == 1, (command, name, r.stderr)
        assert after == before, (command, name)
        assert device_state() == device


def test_what_is_read_is_bounded(sla: Sla, tmp_path: Path) -> None:
    """A config over 4 MiB and an import over 64 MiB are refused before they are read."""
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(5 * 2**20)
    r = sla("--config", str(big), "tariffs")
    assert r.exit_code == 2 and "larger than 4 MiB" in r.stderr
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(65 * 2**20)
    r = sla("import", str(huge))
    assert r.exit_code == 2 and "larger than 64 MiB" in r.stderr
    for device in ("/dev/zero", "/dev/urandom"):
        with no_hang():
            assert "not a regular file" in sla("--config", device, "tariffs").stderr
            assert "not a regular file" in sla("import", device).stderr
