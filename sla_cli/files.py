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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sla_cli.errors import InputError, SlaError

__all__ = [
    "STDOUT",
    "atomic_file",
    "atomic_write",
    "copy_aside",
    "create_private",
    "file_target",
    "output_path",
    "private_dir",
    "read_regular",
    "read_secret",
    "refuse_own",
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


SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def output_path(typed: str, keep: Mapping[Path, str] | None = None) -> Path | None:
    """Where ``-o`` writes: None for ``-`` (standard output), else a path to a regular file.

    A folder, a device, a FIFO or a socket is refused and left alone: writing there would
    replace it (or block). So is a file of the tool's own, whatever its name or the links
    leading to it: those in ``keep`` (the ledger, its WAL and shared-memory files, the config,
    each with what it is), compared by device and inode, and any SQLite database (a ledger,
    or a copy of one). A symbolic link is followed, so the file it names is replaced.
    """
    if typed == STDOUT:
        return None
    if not typed.strip():
        raise InputError("-o needs a file name (or - for standard output)")
    target = file_target(typed, f"-o {typed}", "name a file, or use -o - for standard output")
    try:
        st: os.stat_result | None = target.stat()
    except OSError:
        st = None
    refuse_own(target, st, keep or {}, f"-o {typed}")
    return target


def file_target(typed: str, label: str, hint: str = "name a file") -> Path:
    """The regular file ``typed`` names (as ``label`` in messages), to be replaced whole: a
    folder, a device, a FIFO or a socket is refused, whatever flag is given, since replacing it
    would destroy it (or block); a symbolic link is followed to the file it names."""
    if not typed.strip():
        raise InputError(f"{label}: an empty name; {hint}")
    path = Path(typed).expanduser()
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(f"{label}: {e.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"{label} is a folder; name a file in it")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{label} is not a regular file (a device, FIFO or socket) and is left alone; {hint}"
        )
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def refuse_own(
    path: Path,
    st: os.stat_result | None,
    keep: Mapping[Path, str],
    what: str,
    any_database: bool = True,
) -> None:
    """Refuse to write over one of ``keep`` (each with what it is: the same file, or the same
    name once links are resolved for one that does not exist yet) or, with ``any_database``,
    over an SQLite database."""
    real = os.path.realpath(path)
    for own, called in keep.items():
        try:
            mine = own.stat()
        except OSError:
            mine = None
        same = mine is not None and st is not None and os.path.samestat(st, mine)
        if same or real == os.path.realpath(own):
            raise InputError(f"{what} is {called} ({own}); it is left alone: name another file")
    if any_database and st is not None and _is_sqlite(path):
        raise InputError(
            f"{what} is an SQLite database (a ledger, or a copy of one); it is left alone: "
            "name another file"
        )


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def read_secret(name: str, who: str) -> str:
    """A secret kept in the file ``name`` (``who`` names its setting in errors), stripped: it
    must be a regular file only its owner can read or write, so no one else has read it."""
    path = Path(name).expanduser()
    try:
        info = path.stat()
    except OSError:
        raise InputError(f"{who}: cannot read {path}") from None
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
        raise InputError(
            f"{who}: {path} must be a regular file readable by its owner only (chmod 600)"
        )
    return path.read_text(encoding="utf-8").strip()


def read_regular(path: Path, what: str, most_bytes: int) -> bytes:
    """The bytes of the regular file ``path`` (``what`` names it in errors), at most
    ``most_bytes`` of them: a device, a FIFO, a socket or a folder is refused, never read
    (``/dev/zero`` would never end, a FIFO would wait for a writer)."""
    try:  # O_NONBLOCK: opening a FIFO does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise
    except OSError as e:
        raise InputError(f"{what} {path}: cannot read: {e.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
        raise InputError(f"{what} {path} is {kind}; name a file")
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(most_bytes + 1)
        except OSError as e:
            raise InputError(f"{what} {path}: cannot read: {e.strerror}") from None
    if len(data) > most_bytes:
        raise InputError(f"{what} {path} is larger than {most_bytes // 2**20} MiB, the most read")
    return data


def copy_aside(path: Path, most_bytes: int) -> Path:
    """Copy the file at ``path`` aside before it is rewritten, as private as a new file of
    the tool's: beside it, named for the moment, never over a file that exists; returns
    where it went."""
    from datetime import UTC, datetime

    old = read_regular(path, "the file", most_bytes)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    n, copy = 0, path.with_name(f"{path.name}.{stamp}.bak")
    while copy.exists():
        n += 1
        copy = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    atomic_write(copy, old, private=True)
    return copy


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
