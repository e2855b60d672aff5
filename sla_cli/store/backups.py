"""Copies of an SQLite ledger (`sla backup`, the copy an upgrade keeps): whole or not at all.

A copy is taken with SQLite's online backup into a temporary file beside its target, named
after the process that writes it (``.NAME.sla-PID-XXXXXXXX.tmp``), and renamed into place when
it is complete. Whatever fails (a full disk, a folder the user cannot write, a kill), no half
copy takes the target's name: on an error the temporary file and its journal are removed, and
the next copy into the same folder removes those a killed process left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sqlite3
from pathlib import Path

from sla_cli.errors import LedgerUnavailable
from sla_cli.files import WriteError, create_private

__all__ = ["copy_ledger", "sweep_leftovers"]

_SIDECARS = ("", "-journal", "-wal", "-shm")
_FULL = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC"}


def _temp_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.sla-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def _remove(temp: Path) -> None:
    for suffix in _SIDECARS:
        with contextlib.suppress(OSError):
            Path(f"{temp}{suffix}").unlink()


def sweep_leftovers(target: Path, names_like: str | None = None) -> list[Path]:
    """Remove the temporary copies (and their journals) that a killed copy into ``target``
    (or into any file of its folder whose name matches the regular expression ``names_like``)
    left beside it: those of a process no longer running. Returns what was removed."""
    like = re.escape(target.name) if names_like is None else names_like
    pattern = re.compile(rf"\.({like})\.sla-(\d+)-[0-9a-f]{{8}}\.tmp")
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        base = name
        for suffix in _SIDECARS[1:]:
            base = base.removesuffix(suffix)
        match = pattern.fullmatch(base)
        if match is None:
            continue
        pid = int(match.group(2))
        if pid != os.getpid() and _alive(pid):  # a copy under way (this process starts none)
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def copy_ledger(source: Path, target: Path) -> None:
    """Copy the SQLite ledger ``source`` (WAL included) to ``target``, readable by its owner
    only, replacing ``target`` only once the copy is whole. A full disk or a folder that cannot
    be written exits 2 (the ledger is locked: 75), naming the problem; nothing is left behind."""
    temp = _temp_for(target)
    try:
        create_private(temp)  # a copy of the ledger is as private as the ledger
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(temp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as e:
        _remove(temp)
        reason = _reason(e)
        if isinstance(e, sqlite3.Error) and any(w in reason for w in ("locked", "busy")):
            raise LedgerUnavailable(
                f"the ledger {source} is unavailable: {reason}; nothing was written, try again"
            ) from None
        full = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
        if getattr(e, "errno", None) in full or getattr(e, "sqlite_errorname", "") in _FULL:
            reason = f"{reason} (is the disk full?)"
        raise WriteError(f"cannot write the copy {target}: {reason}; nothing was written") from None
    except BaseException:
        _remove(temp)
        raise
