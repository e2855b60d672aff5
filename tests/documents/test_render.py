"""Monthly statements as documents: golden files, the JSON shape, number formats, the HTML file.

Golden files live in tests/golden/; rewrite them with ``SLA_UPDATE_GOLDEN=1 pytest``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sla_cli.documents import (
    CSV_FIELDS,
    STATEMENT_FIELDS,
    print_report_table,
    render_document,
    report_record,
)
from sla_cli.domain.statement import MonthReport, Statement
from sla_cli.errors import InputError
from tests.report_fixture import sample_report

GOLDEN = Path(__file__).parent.parent / "golden"
NBSP = "\u00a0"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SLA_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing; run with SLA_UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file; SLA_UPDATE_GOLDEN=1 rewrites it"


@pytest.fixture(scope="module")
def report() -> MonthReport:
    return sample_report()


@pytest.fixture(scope="module")
def preview() -> MonthReport:
    return sample_report(closed=False)


def with_statement(report: MonthReport, index: int, **changes: object) -> MonthReport:
    statements = list(report.statements)
    statements[index] = replace(statements[index], **changes)  # type: ignore[arg-type]
    return replace(report, statements=tuple(statements))


def with_figures(report: MonthReport, index: int, **changes: object) -> MonthReport:
    st: Statement = report.statements[index]
    return with_statement(report, index, figures=st.figures._replace(**changes))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize(
    ("name", "fmt", "lang", "closed"),
    [
        ("statement.json", "json", "ru", True),
        ("statement.csv", "csv", "ru", True),
        ("statement.md", "md", "ru", True),
        ("statement.html", "html", "ru", True),
        ("statement.preview.en.md", "md", "en", False),
    ],
)
def test_golden(name: str, fmt: str, lang: str, closed: bool) -> None:
    check_golden(name, render_document(sample_report(closed=closed), fmt, lang))


# --------------------------------------------------------------------------- JSON and CSV


def test_json_is_the_spec_shape(report: MonthReport) -> None:
    data = json.loads(render_document(report, "json"))
    assert data == report_record(report)
    assert list(data) == ["month", "closed", "statements", "fingerprint"]
    assert (data["month"], data["closed"]) == ("2025-03", True)
    assert [s["client"] for s in data["statements"]] == ["ACME", "BETA", "GAMMA"]
    incident_keys = [
        "ticket",
        "title",
        "opened_at",
        "resolved_at",
        "reaction_due",
        "reacted_at",
        "reaction_status",
        "start_due",
        "started_at",
        "start_status",
        "waiting_minutes",
        "priority",
        "resolve_due",
        "resolve_status",
        "channel",
    ]
    for s in data["statements"]:
        assert tuple(s) == STATEMENT_FIELDS
        for key in ("fee", "overage_amount", "amount_due"):
            assert re.fullmatch(r"-?\d+\.\d\d", s[key]), (key, s[key])
        assert all(
            isinstance(s[k], int)
            for k in STATEMENT_FIELDS
            if k.endswith("_minutes") and s[k] is not None
        )
        assert isinstance(s["breaches"], int)
        for i in s["incidents"]:
            assert list(i) == incident_keys
            for key in ("opened_at", "reaction_due", "start_due"):
                assert datetime.fromisoformat(i[key]).utcoffset() is not None


def test_json_figures(report: MonthReport) -> None:
    acme, beta, gamma = report_record(report)["statements"]
    assert (acme["variant"], acme["tier"], acme["fee"]) == (1, "basic", "39900.00")
    assert (acme["included_minutes"], acme["used_minutes"], acme["overage_minutes"]) == (
        900,
        1050,
        150,
    )
    assert (acme["overage_amount"], acme["amount_due"], acme["breaches"]) == (
        "6750.00",
        "46650.00",
        1,
    )
    assert beta["included_minutes"] is None  # unlimited
    assert (beta["overage_minutes"], beta["amount_due"]) == (360, "237600.00")
    assert (gamma["opening_balance_minutes"], gamma["closing_balance_minutes"]) == (390, 510)
    assert acme["opening_balance_minutes"] is None
    first = acme["incidents"][0]
    assert first["reacted_at"] == "2025-03-12T10:40:00+03:00"  # the reaction clock's stop
    assert first["started_at"] == "2025-03-12T15:10:00+03:00"
    assert (first["reaction_status"], first["start_status"]) == ("met", "breached")
    running = beta["incidents"][1]
    assert (running["started_at"], running["resolved_at"], running["start_status"]) == (
        None,
        None,
        "at_risk",
    )


def test_json_times_follow_the_report_time_zone(report: MonthReport) -> None:
    ekb = replace(report, timezone="Asia/Yekaterinburg")
    first = report_record(ekb)["statements"][0]["incidents"][0]
    assert first["opened_at"] == "2025-03-12T12:00:00+05:00"
    assert "12.03.2025 12:00\u00a0+05:00" in render_document(ekb, "md")


def test_csv_is_one_row_per_statement(report: MonthReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render_document(report, "csv"))))
    assert len(rows) == 3
    assert tuple(rows[0]) == CSV_FIELDS
    assert set(STATEMENT_FIELDS) - {"work", "compliance"} <= set(CSV_FIELDS)  # not per client
    acme, beta, gamma = rows
    assert (acme["month"], acme["closed"], acme["incidents"], acme["breaches"]) == (
        "2025-03",
        "true",
        "2",
        "1",
    )
    assert (acme["amount_due"], beta["included_minutes"]) == ("46650.00", "")  # "" = unlimited
    assert (gamma["incidents"], gamma["closing_balance_minutes"]) == ("0", "510")


# --------------------------------------------------------------------------- numbers and words


def test_russian_numbers_as_babel_writes_them(report: MonthReport) -> None:
    doc = render_document(with_figures(report, 0, amount_due=Decimal("1234.50")), "md")
    # Babel (CLDR) groups thousands with a no-break space and puts one before the sign too.
    assert f"**1{NBSP}234,50{NBSP}₽**" in doc
    assert f"42{NBSP}000,00{NBSP}₽" in doc
    assert f"5{NBSP}%" in doc  # prepayment discount
    assert "17:30" in doc and "∞" in doc  # hours as h:mm, unlimited as ∞


def test_english_numbers_and_labels(report: MonthReport) -> None:
    doc = render_document(with_figures(report, 0, amount_due=Decimal("1234.50")), "md", "en")
    assert f"**RUB{NBSP}1,234.50**" in doc
    assert f"RUB{NBSP}42,000.00" in doc
    assert "| Prepayment discount | 5% |" in doc
    assert "# Statement for March 2025" in doc
    assert "2025-03-12 10:00\u00a0+03:00" in doc
    assert "breached +1:10" in doc
    assert "Отчёт" not in doc


def test_russian_labels_and_dates(report: MonthReport) -> None:
    doc = render_document(report, "md")
    assert doc.startswith("# Отчёт за март 2025 г.\n")
    assert "12.03.2025 10:00\u00a0+03:00" in doc
    assert "нарушен +1:10" in doc and "под угрозой" in doc
    assert "Предварительный" not in doc


def test_preview_is_marked(preview: MonthReport) -> None:
    md = render_document(preview, "md")
    assert md.startswith("# Предварительный отчёт за март 2025 г.\n")
    assert "> **ПРЕДВАРИТЕЛЬНЫЙ.** Месяц ещё не закрыт" in md
    html = render_document(preview, "html")
    assert html.count('class="preview"') == 3  # on every page
    assert "Preliminary statement" in render_document(preview, "html", "en")


def test_dev_cap_exceeded_is_flagged(report: MonthReport) -> None:
    flagged = with_figures(report, 0, dev_cap_exceeded=True, dev_minutes=41 * 60)
    assert "превышает предусмотренные вариантом №1 40 ч" in render_document(flagged, "md")
    assert 'class="flag"' in render_document(flagged, "html")
    assert "exceeds the 40 h" in render_document(flagged, "md", "en")
    assert 'class="flag"' not in render_document(report, "html")


def test_markdown_escapes_table_text(report: MonthReport) -> None:
    nasty = replace(report.statements[0].incidents[0], title="a | b *c* <script> &copy; ~~d~~")
    doc = render_document(with_statement(report, 0, incidents=(nasty,)), "md")
    assert r"a \| b \*c\* \<script\> \&copy; \~\~d\~\~" in doc


def test_unknown_format_and_language(report: MonthReport) -> None:
    with pytest.raises(InputError, match="pdf"):
        render_document(report, "pdf")
    with pytest.raises(InputError, match="de"):
        render_document(report, "md", "de")


# --------------------------------------------------------------------------- HTML


def test_html_is_one_self_contained_file(report: MonthReport) -> None:
    doc = render_document(report, "html")
    assert doc.startswith("<!DOCTYPE html>") and doc.rstrip().endswith("</html>")
    lowered = doc.lower()
    for banned in ("http:", "https:", "//", "<script", "<link", "src=", "@import", "url("):
        assert banned not in lowered, banned
    assert "@page { size: A4; margin: 15mm }" in doc
    assert "page-break-after: always" in doc
    assert doc.count('<section class="sheet">') == 3


def test_html_has_a_chart_per_statement(report: MonthReport) -> None:
    doc = render_document(report, "html")
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", doc, re.S)
    assert len(charts) == 3
    acme, beta, gamma = charts
    days_with_hours = sum(1 for _, m in report.statements[0].daily_minutes if m > 0)
    assert acme.count('class="bar"') == days_with_hours
    assert acme.count('class="xl') == 2 * 31  # every day of March, in both panels
    assert "включено 15:00" in acme and 'class="lim"' in acme  # variant 1: the tier's hours
    assert "без ограничения часов" in beta and 'class="lim"' not in beta  # variant 2
    assert "доступно 21:30" in gamma  # variant 3: 6:30 carried + 15:00 bought
    assert "<polyline" in acme


def test_html_has_the_figures_and_incident_table(report: MonthReport) -> None:
    doc = render_document(report, "html")
    assert "ООО «Акме» (ACME)" in doc and "КИТ Консалтинг" in doc
    assert "№1 «Комплексное абонентское обслуживание»" in doc
    assert f"46{NBSP}650,00{NBSP}₽" in doc
    assert doc.count('<table class="incidents">') == 2  # GAMMA had none
    assert "Инцидентов в этом месяце не было." in doc
    for ticket in ("ACME-12", "ACME-15", "BETA-7", "BETA-9"):
        assert f'<span class="tk">{ticket}</span>' in doc
    assert '<span class="badge breached">нарушен +1:10</span>' in doc
    assert '<span class="badge at_risk">под угрозой</span>' in doc


def test_html_escapes_text(report: MonthReport) -> None:
    doc = render_document(report, "html")
    assert "Не проходят платежи &lt;эквайринг&gt;" in doc
    evil = with_statement(report, 0, client_name='<img src=x onerror="alert(1)">')
    out = render_document(evil, "html")
    assert "<img" not in out and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out


# --------------------------------------------------------------------------- terminal


def test_terminal_table(
    preview: MonthReport, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    print_report_table(preview)
    out = capsys.readouterr().out.replace(NBSP, " ")
    assert out.startswith("ПРЕДВАРИТЕЛЬНЫЙ: Месяц ещё не закрыт")
    for text in ("ACME", "BETA", "GAMMA", "46 650,00 ₽", "Итого к оплате: 327 000,00 ₽"):
        assert text in out
    assert "нарушен +1:10" in out and "под угрозой" in out
    assert "Инциденты: ООО «Акме» (ACME)" in out


def test_terminal_table_in_english_when_closed(
    report: MonthReport, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    print_report_table(report, "en")
    out = capsys.readouterr().out.replace(NBSP, " ")
    assert "PRELIMINARY" not in out
    assert "Statement for March 2025" in out and "Total due: RUB 327,000.00" in out
    assert "breached +1:10" in out


def test_import_is_light() -> None:
    """The CLI imports this module; Babel and Rich must wait until a document is drawn."""
    code = (
        "import sys, sla_cli.documents; "
        "print(sorted(m for m in ('babel', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
