"""The HTML statement in a real browser: headless Chromium renders it on an A4-sized window.

Skipped where Chromium is not installed. ``SLA_SAVE_SCREENSHOT=1`` copies the screenshot to
examples/statement.png (and the HTML beside it) for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sla_cli.documents import render_document
from tests.conftest import Sla
from tests.report_fixture import sample_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WINDOW = "1240,1754"  # A4 proportions (210 × 297 mm at 150 dpi)


def chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([binary, *flags, *args], capture_output=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def statement_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "statement.html"
    path.write_text(render_document(sample_report(), "html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> str:
    binary = chromium()
    if binary is None:
        pytest.skip("Chromium is not installed")
    return binary


def test_screenshot_on_a4(browser: str, statement_html: Path, tmp_path: Path) -> None:
    png = tmp_path / "statement.png"
    result = run_chromium(
        browser,
        tmp_path / "profile",
        f"--screenshot={png}",
        f"--window-size={WINDOW}",
        statement_html.as_uri(),
    )
    assert png.exists(), result.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a blank page compresses to a few KB; a statement does not
    if os.environ.get("SLA_SAVE_SCREENSHOT") == "1":
        EXAMPLES.mkdir(exist_ok=True)
        shutil.copyfile(png, EXAMPLES / "statement.png")
        shutil.copyfile(statement_html, EXAMPLES / "statement.html")


def test_chart_survives_rendering(browser: str, statement_html: Path, tmp_path: Path) -> None:
    result = run_chromium(browser, tmp_path / "profile", "--dump-dom", statement_html.as_uri())
    dom = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert dom.count('<svg class="chart"') == 3
    assert '<rect x="' in dom and "<polyline" in dom
    assert "ACME-12" in dom and "46\u00a0650,00\u00a0₽" in dom.replace("&nbsp;", "\u00a0")


def test_the_cli_statement_of_a_real_ledger_renders(browser: str, tmp_path: Path, sla: Sla) -> None:
    """`sla report --month 2026-10 --format html -o statement.html` on the demo ledger."""
    now = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
    folder = tmp_path / "demo"
    sla.ok("demo", "--dir", str(folder), env=now)
    env = {
        **now,
        "SLA_CONFIG": str(folder / "config.toml"),
        "SLA_DATABASE_URL": f"sqlite:///{folder / 'ledger.db'}",
    }
    html = tmp_path / "statement.html"
    sla.ok("report", "--month", "2026-10", "--format", "html", "-o", str(html), env=env)
    result = run_chromium(browser, tmp_path / "profile", "--dump-dom", html.as_uri())
    dom = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert dom.count('<svg class="chart"') == 3  # one chart per client
    assert dom.count('<svg class="trend"') == 3  # each client's compliance, month by month
    for key in ("ACME", "BETA", "GAMMA"):
        assert f"({key})" in dom


@pytest.mark.parametrize(("kind", "key"), [("act", "ACME"), ("invoice", "GAMMA")])
def test_the_closing_documents_of_the_demo_render_on_a4(
    browser: str, tmp_path: Path, sla: Sla, demo_env: dict[str, str], kind: str, key: str
) -> None:
    """`sla act ACME --month 2026-10 -o act.html` (and GAMMA's invoice) in a real browser: the
    number, both parties' ИНН, every line, the total and the words are on the page.
    ``SLA_SAVE_SCREENSHOT=1`` copies the screenshot to examples/ (act.png, invoice.png)."""
    from sla_cli.demo import DEMO_COMPANY, DEMO_DETAILS

    html = tmp_path / f"{kind}.html"
    sla.ok(kind, key, "--month", "2026-10", "-o", str(html), env=demo_env)
    record = sla.ok(kind, key, "--month", "2026-10", "-f", "json", env=demo_env).json()
    result = run_chromium(browser, tmp_path / "profile", "--dump-dom", html.as_uri())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    dom = " ".join(result.stdout.decode("utf-8").replace("&nbsp;", " ").split())
    title = "Акт" if kind == "act" else "Счёт на оплату"
    assert f"{title} № {record['number']} от 31 октября 2026 г." in dom
    assert DEMO_COMPANY["inn"] in dom and DEMO_DETAILS[key]["inn"] in dom
    for line in record["lines"]:
        assert line["title"].replace("«", "&laquo;") in dom or line["title"] in dom
    total = f"{float(record['total']):,.2f}".replace(",", "\u00a0").replace(".", ",")
    assert total in dom.replace(" ", "\u00a0") and record["in_words"] in dom
    png = tmp_path / f"{kind}.png"
    run_chromium(browser, tmp_path / "shot", f"--screenshot={png}", f"--window-size={WINDOW}",
                 html.as_uri())  # fmt: skip
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 20_000
    if os.environ.get("SLA_SAVE_SCREENSHOT") == "1":
        shutil.copyfile(png, EXAMPLES / f"{kind}.png")
