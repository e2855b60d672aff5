"""Copies of an SQLite ledger (a backup, the copy an upgrade keeps): whole or not at all.

A copy is taken with SQLite's online backup into a temporary file beside its target, named
after the process that writes it (``files.temp_beside``), and renamed into place when it is
complete. Whatever fails (a full disk, a folder the user cannot write, a kill), no half
copy takes the target's name: on an error the temporary file and its journal are removed, and
the next copy into the same folder removes those a killed process left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from sla_cli.errors import LedgerUnavailable
from sla_cli.files import SIDECARS, WriteError, create_private, sweep_leftovers, temp_beside

__all__ = ["copy_ledger", "sweep_leftovers"]

_FULL = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC"}


def _remove(temp: Path) -> None:
    for suffix in SIDECARS:
        with contextlib.suppress(OSError):
            Path(f"{temp}{suffix}").unlink()


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def copy_ledger(source: Path, target: Path) -> None:
    """Copy the SQLite ledger ``source`` (WAL included) to ``target``, readable by its owner
    only, replacing ``target`` only once the copy is whole. A full disk or a folder that cannot
    be written exits 2 (the ledger is locked: 75), naming the problem; nothing is left behind."""
    temp = temp_beside(target)
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
