"""Bounds every date of the ledger keeps: no year before 2000 or after 2100."""

from __future__ import annotations

__all__ = ["MAX_YEAR", "MIN_YEAR"]

MIN_YEAR, MAX_YEAR = 2000, 2100
