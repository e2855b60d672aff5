"""Client keys and tickets as people type them."""

from __future__ import annotations

import pytest

from sla_cli.domain.text import check_length, normalise_ticket, ticket_key, valid_key
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
