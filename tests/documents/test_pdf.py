"""PDF statements: the demo's October as A4 pages whose text a reader finds the figures in."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import Sla

pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")


def money(amount: str) -> str:
    """``48675.00`` as the Russian statement writes it: ``48 675,00``."""
    whole, cents = amount.split(".")
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{groups},{cents}"


def test_the_demo_statement_as_pdf(sla: Sla, demo_env: dict[str, str], tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "october.pdf"
    r = sla.ok("report", "--month", "2026-10", "--client", "ACME", "-f", "pdf", "-o", str(path),
               env=demo_env)  # fmt: skip
    assert "pdf statement for 2026-10 written to" in r.stdout
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = " ".join(p.extract_text() for p in reader.pages)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    data = sla.ok("report", "--month", "2026-10", "--client", "ACME", "-f", "json",
                  env=demo_env).json()  # fmt: skip
    (statement,) = data["statements"]
    assert "ООО «Акме» (ACME)" in text
    assert f"Начислено {money(statement['amount_due'])} ₽" in text
    assert f"Зачтено из предоплаты -{money(statement['prepaid_offset'])} ₽" in text
    assert f"К оплате {money(statement['left_to_pay'])} ₽" in text
    assert f"Нарушено сроков SLA {statement['breaches']}" in text
    # the compliance trend under its table: August 3 of 6 deadlines met, September 5 of 6
    assert "Соблюдение сроков по месяцам" in text
    assert "50 % авг. 83,3 % сент. 100 % окт." in text


def test_a_pdf_needs_a_file_and_the_extra(
    sla: Sla, demo_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = sla("report", "--month", "2026-10", "-f", "pdf", env=demo_env)
    assert r.exit_code == 2 and "add -o FILE" in r.stderr
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    r = sla("report", "--month", "2026-10", "-f", "pdf", "-o", str(tmp_path / "s.pdf"),
            env=demo_env)  # fmt: skip
    assert r.exit_code == 2
    assert (
        r.stderr.strip() == "sla: error: PDF statements need WeasyPrint: pip install 'sla-cli[pdf]'"
    )
    assert not (tmp_path / "s.pdf").exists()
