"""Writing files whole: the config, the ledger's folder, documents (`-o FILE`).

A file is written to a temporary file beside it and renamed into place, so a crash never
leaves half of it. What `sla` creates for itself (the config, the ledger, their folders) is
readable by its owner only; a file that exists keeps its permissions when it is replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from sla_cli.errors import InputError, SlaError

__all__ = [
    "STDOUT",
    "atomic_write",
    "copy_aside",
    "create_private",
    "output_path",
    "private_dir",
    "read_regular",
    "refuse_own",
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
    path = Path(typed).expanduser()
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(f"-o {typed}: {e.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"-o {typed} is a folder; name a file in it")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"-o {typed} is not a regular file (a device, FIFO or socket); "
            "name a file, or use -o - for standard output"
        )
    refuse_own(path, st, keep or {}, f"-o {typed}")
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def refuse_own(path: Path, st: os.stat_result | None, keep: Mapping[Path, str], what: str) -> None:
    """Refuse to write over one of ``keep`` (each with what it is: the same file, or the same
    name once links are resolved for one that does not exist yet) or over an SQLite database."""
    real = os.path.realpath(path)
    for own, called in keep.items():
        try:
            mine = own.stat()
        except OSError:
            mine = None
        same = mine is not None and st is not None and os.path.samestat(st, mine)
        if same or real == os.path.realpath(own):
            raise InputError(f"{what} is {called} ({own}); it is left alone: name another file")
    if st is not None and _is_sqlite(path):
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


def atomic_write(path: Path, text: str | bytes, *, private: bool = False) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename.

    A file that exists keeps its permissions (and its owner and group, where allowed); a new
    one is private (0600) when ``private`` says so, else as the umask makes new files.
    """
    if not path.parent.is_dir():
        raise InputError(f"{path}: no folder {path.parent}")
    try:
        old = path.stat()
    except OSError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise InputError(f"{path} is not a regular file; it is left alone")
    import tempfile  # only a command that writes a file needs it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
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
