"""The production calendar's years kept on disk: the same days as `holidays` gives, read back
without importing it, and read from `holidays` again when the file is not the release's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sla_cli import calendar_cache
from sla_cli.domain.production import production_year


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(calendar_cache, "cache_folder", lambda: tmp_path)
    return tmp_path


def test_a_year_kept_reads_back_as_holidays_gives_it(folder: Path) -> None:
    first = calendar_cache.cached_year("RU", 2025)
    assert first == production_year("RU", 2025)
    assert (folder / "calendar-RU-2025.txt").is_file()
    assert calendar_cache.cached_year("RU", 2025) == first
    assert (date(2025, 11, 1), date(2025, 11, 3)) in first[3]  # a Saturday worked for a Monday


def test_the_file_is_read_not_the_package(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar_cache.cached_year("RU", 2026)

    def refused(country: str, year: int) -> None:
        raise AssertionError("read from holidays again")

    monkeypatch.setattr(calendar_cache, "production_year", refused)
    assert date(2026, 1, 1) in calendar_cache.cached_year("RU", 2026)[0]


@pytest.mark.parametrize("text", ["holidays-0.1.dist-info\n\n\n\n\n", "garbage", "\xff"])
def test_another_release_or_a_damaged_file_is_read_again(folder: Path, text: str) -> None:
    (folder / "calendar-RU-2026.txt").write_text(text, encoding="latin-1")
    assert calendar_cache.cached_year("RU", 2026) == production_year("RU", 2026)
    kept = (folder / "calendar-RU-2026.txt").read_text(encoding="utf-8")
    assert kept.startswith(str(calendar_cache.holidays_release()))


def test_a_folder_that_cannot_be_written_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(calendar_cache, "cache_folder", lambda: blocked / "sla")
    assert calendar_cache.cached_year("RU", 2026) == production_year("RU", 2026)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(calendar_cache.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert calendar_cache.cache_folder() == tmp_path / "sla"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert calendar_cache.cache_folder() == tmp_path / "home" / ".cache" / "sla"


def test_without_a_home_folder_the_year_is_read_from_holidays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(calendar_cache, "cache_folder", homeless)
    assert calendar_cache.cached_year("RU", 2026) == production_year("RU", 2026)
