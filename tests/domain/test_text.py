"""Client keys and tickets as people type them."""

from __future__ import annotations

import re

import pytest

from sla_cli.domain.text import (
    check_author,
    check_length,
    check_text,
    control_character,
    normalise_ticket,
    ticket_key,
    valid_key,
    visible,
)
from sla_cli.errors import InputError


@pytest.mark.parametrize(
    ("typed", "ticket", "key"),
    [
        ("acme-12", "ACME-12", "ACME"),
        (" ACME-12 ", "ACME-12", "ACME"),
        ("my_co-7", "MY_CO-7", "MY_CO"),
        ("https://jira/x-1", "https://jira/x-1", "HTTPS://JIRA/X"),
        ("12345", "12345", None),
        ("ACME-", "ACME-", None),
    ],
)
def test_tickets(typed: str, ticket: str, key: str | None) -> None:
    assert normalise_ticket(typed) == ticket
    assert ticket_key(normalise_ticket(typed)) == key


@pytest.mark.parametrize(("typed", "key"), [("acme", "ACME"), (" beta_2 ", "BETA_2")])
def test_valid_keys(typed: str, key: str) -> None:
    assert valid_key(typed) == key


@pytest.mark.parametrize("typed", ["", "1ACME", "AC-ME", "A" * 33, "АКМЕ!"])
def test_bad_keys(typed: str) -> None:
    with pytest.raises(InputError):
        valid_key(typed)


def test_length() -> None:
    check_length("x" * 10, 10, "it")
    check_length(None, 10, "it")
    with pytest.raises(InputError, match="it is 11 characters long; at most 10 fit"):
        check_length("x" * 11, 10, "it")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ACME\x1b[31m", "U+001B"),
        ("line one\nline two", "U+000A"),
        ("tab\there", "U+0009"),
        ("cr\r", "U+000D"),
        ("del\x7f", "U+007F"),
        ("c1\x85", "U+0085"),
        ("c1\x9b31m", "U+009B"),
        ("Evil\u202eCorp", "U+202E"),
        ("isolate\u2066x", "U+2066"),
        ("sep\u2028x", "U+2028"),
    ],
)
def test_text_with_a_control_character_is_refused_naming_its_code(typed: str, code: str) -> None:
    with pytest.raises(InputError, match=re.escape(code)) as e:
        check_text(typed, 100, "--note")
    assert control_character(e.value.message) is None  # the message never carries it


@pytest.mark.parametrize(
    "typed", ["ACME [/b]", "[link=https://x]x[/link]", "C:\\[x]", "ООО «Акме» — ✓", "=1+2", None]
)
def test_plain_text_passes(typed: str | None) -> None:
    check_text(typed, 100, "--note")


def test_text_that_was_not_utf8_is_refused() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        check_text("x\udc85", 100, "--title")


@pytest.mark.parametrize(
    ("typed", "author"), [("anna", "anna"), ("  Anna K. ", "Anna K."), ("Иван", "Иван")]
)
def test_authors_are_names_without_surrounding_blanks(typed: str, author: str) -> None:
    assert check_author(typed) == author


@pytest.mark.parametrize("typed", ["", "   ", "an\x1bna", "a" * 101])
def test_a_blank_or_unprintable_author_is_refused(typed: str) -> None:
    with pytest.raises(InputError):
        check_author(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("plain", "plain"),
        ("a\x1b[2Jb", "a\ufffd[2Jb"),
        ("keeps\nnewlines", "keeps\nnewlines"),
        ("x\udc85", "x\ufffd"),
    ],
)
def test_visible_shows_control_characters_instead_of_obeying_them(stored: str, shown: str) -> None:
    assert visible(stored) == shown
