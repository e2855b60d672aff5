"""Writing files whole: the config, the ledger's folder, documents (`-o FILE`).

A file is written to a temporary file beside it and renamed into place, so a crash never
leaves half of it. What `sla` creates for itself (the config, the ledger, their folders) is
readable by its owner only; a file that exists keeps its permissions when it is replaced.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sla_cli.errors import InputError, SlaError

__all__ = [
    "STDOUT",
    "atomic_file",
    "atomic_write",
    "create_private",
    "file_target",
    "output_path",
    "private_dir",
    "sweep_leftovers",
    "temp_beside",
]

STDOUT = "-"  # `-o -`: standard output


class WriteError(SlaError):
    """A file could not be written (a full disk, a folder without permission)."""


def private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by its owner only (0700);
    folders that exist are left as they are."""
    missing = []
    for p in (folder, *folder.parents):
        if p.is_dir():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            if not p.is_dir():
                raise InputError(f"{p} is not a folder") from None
        except OSError as e:
            raise WriteError(f"cannot create the folder {p}: {e.strerror}") from None


def create_private(path: Path) -> None:
    """Create ``path`` empty, readable by its owner only (0600), unless it exists."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def output_path(typed: str) -> Path | None:
    """Where ``-o`` writes: None for ``-`` (standard output), else a path to a regular file.

    A folder, a device, a FIFO or a socket is refused and left alone: writing there would
    replace it (or block). A symbolic link is followed, so the file it names is replaced.
    """
    if typed == STDOUT:
        return None
    if not typed.strip():
        raise InputError("-o needs a file name (or - for standard output)")
    return file_target(typed, f"-o {typed}", "name a file, or use -o - for standard output")


def file_target(typed: str, label: str, hint: str = "name a file") -> Path:
    """The regular file ``typed`` names (as ``label`` in messages), to be replaced whole: a
    folder, a device, a FIFO or a socket is refused, whatever flag is given, since replacing it
    would destroy it (or block); a symbolic link is followed to the file it names."""
    if not typed.strip():
        raise InputError(f"{label}: an empty name; {hint}")
    path = Path(typed).expanduser()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise InputError(f"{label}: {e.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(f"{label} is a folder; name a file in it")
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(
            f"{label} is not a regular file (a device, FIFO or socket) and is left alone; {hint}"
        )
    return Path(os.path.realpath(path)) if path.is_symlink() else path


# What SQLite may keep beside a database file (a temporary copy of the ledger has them too).
SIDECARS = ("", "-journal", "-wal", "-shm")


def temp_beside(target: Path) -> Path:
    """A temporary name beside ``target``, hidden, naming the process that writes it
    (``.NAME.sla-PID-XXXXXXXX.tmp``), so that the next run can tell a killed writer's leftover
    from a write under way."""
    return target.with_name(f".{target.name}.sla-{os.getpid()}-{os.urandom(4).hex()}.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def sweep_leftovers(target: Path, names_like: str | None = None) -> list[Path]:
    """Remove the temporary files (and SQLite's beside them) that a killed write of ``target``
    (or of any file of its folder whose name matches the regular expression ``names_like``)
    left: those of a process no longer running. Returns what was removed."""
    like = re.escape(target.name) if names_like is None else names_like
    pattern = re.compile(rf"\.({like})\.sla-(\d+)-[0-9a-f]{{8}}\.tmp")
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        base = name
        for suffix in SIDECARS[1:]:
            base = base.removesuffix(suffix)
        match = pattern.fullmatch(base)
        if match is None:
            continue
        pid = int(match.group(2))
        if pid != os.getpid() and _alive(pid):  # a write under way (this process starts none)
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def atomic_write(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename.

    A file that exists keeps its permissions (and its owner and group, where allowed); a new
    one is private (0600) when ``private`` says so, else as the umask makes new files.
    """
    with atomic_file(path, private=private, binary=True) as f:
        f.write(text.encode("utf-8") if isinstance(text, str) else text)


@contextmanager
def atomic_file(path: Path, *, private: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """A file object whose content becomes ``path``'s, whole, when the block ends (a temporary
    file beside it, then a rename), or nothing at all if it fails: what is written to it goes
    to the disk as it is written, never held in memory. Permissions as `atomic_write` keeps
    them."""
    if not path.parent.is_dir():
        raise InputError(f"{path}: no folder {path.parent}")
    try:
        old = path.stat()
    except OSError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise InputError(f"{path} is not a regular file; it is left alone")
    sweep_leftovers(path)  # what a killed write of it left
    tmp = temp_beside(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(old, private))
        if old is not None:
            with contextlib.suppress(OSError):
                os.chown(tmp, old.st_uid, old.st_gid)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"cannot write {path}: {e.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(old: os.stat_result | None, private: bool) -> int:
    if old is not None:
        return stat.S_IMODE(old.st_mode)
    if private:
        return 0o600
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
