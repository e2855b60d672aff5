"""CSV cells a spreadsheet shows as they are (OWASP "CSV Injection"): one rule for every CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal

import pytest

from sla_cli.render import csv_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\ufffdx"),  # quoted, and no carriage return reaches a terminal
        ("a\x1b[2Jb", "a\ufffd[2Jb"),
        ("-60", "-60"),
        ("-1500.00", "-1500.00"),
        ("+7", "+7"),
        ("a=b", "a=b"),
        (-60, -60),
        (Decimal("-12.50"), Decimal("-12.50")),
        (None, ""),
        ("", ""),
        (True, "true"),  # as JSON spells it, in every CSV (`sla tariffs` burns, report closed)
        (False, "false"),
    ],
)
def test_text_that_would_start_a_formula_is_quoted_numbers_are_not(
    value: object, cell: object
) -> None:
    assert csv_cell(value) == cell


def test_the_statement_csv_follows_the_same_rule() -> None:
    from sla_cli.documents import render_document
    from tests.report_fixture import sample_report

    report = sample_report()
    first = report.statements[0]
    evil = replace(first, terms=first.terms._replace(tier_key="=HYPERLINK(1)"))
    report = replace(report, statements=(evil, *report.statements[1:]))
    header, row, *_ = csv.reader(io.StringIO(render_document(report, "csv")))
    assert row[header.index("tier")] == "'=HYPERLINK(1)"
