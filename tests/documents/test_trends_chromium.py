"""`sla trends --format html` of the hand-written 14-month ledger in a real browser: a sheet for
the company and each client, each with its three charts.

Skipped where Chromium is not installed. ``SLA_SAVE_SCREENSHOT=1`` copies the screenshot to
examples/trends.png for the README.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import Sla
from tests.documents.test_html_chromium import EXAMPLES, WINDOW, chromium, run_chromium
from tests.trends_ledger import NOW, build


def test_the_trends_page_renders_with_its_charts(sla: Sla, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium is not installed")
    build(sla)
    html = tmp_path / "trends.html"
    sla.ok("trends", "--format", "html", "-o", str(html), env=NOW)
    result = run_chromium(browser, tmp_path / "profile", "--dump-dom", html.as_uri())
    dom = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    # the company, ACME, BETA, GAMMA: the SLA trend, hours used, billed on each sheet
    assert dom.count('<section class="sheet">') == 4
    assert dom.count('<svg class="trend"') == 4
    assert dom.count('<svg class="chart"') == 8
    assert "<polyline" in dom and '<rect x="' in dom
    assert "2\u202f073\u202f750.00" in dom  # the company's billed, December 2025 – November 2026
    png = tmp_path / "trends.png"
    result = run_chromium(
        browser, tmp_path / "profile", f"--screenshot={png}", f"--window-size={WINDOW}",
        html.as_uri(),
    )  # fmt: skip
    assert png.exists(), result.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 40_000
    if os.environ.get("SLA_SAVE_SCREENSHOT") == "1":
        shutil.copyfile(png, EXAMPLES / "trends.png")
