"""The parties' details on Russian closing documents, and the checks each must pass.

ИНН: 10 digits (an organisation) or 12 (an individual entrepreneur), with the Federal Tax
Service's check digits. КПП: 9 characters, the 5th and 6th digits or capital Latin letters.
ОГРН: 13 digits, ОГРНИП 15, each with its check digit. БИК: 9 digits. A settlement account and
a correspondent account: 20 digits, with the Bank of Russia's control key against the БИК.
Each ``*_problem`` function says what is wrong with a value, or returns None when it is fine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from sla_cli.domain.money import round_money

__all__ = [
    "Party",
    "VatTerms",
    "account_problem",
    "bik_problem",
    "corr_account_problem",
    "inn_problem",
    "kpp_problem",
    "ogrn_problem",
    "party_problems",
]

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")
_ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]  # three digits of the БИК, then the account's 20


class Party(NamedTuple):
    """One side of a document: who supplies the services, or who buys them."""

    name: str  # the full legal name, as documents print it
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""  # ОГРН (13 digits) or ОГРНИП (15)
    address: str = ""
    bank: str = ""
    bik: str = ""
    account: str = ""
    corr_account: str = ""
    signatory: str = ""  # who signs for it: «Генеральный директор Иванов И. И.»


class VatTerms(NamedTuple):
    """VAT as the config sets it: ``rate`` in percent, or None for none («Без НДС»)."""

    rate: Decimal | None = None
    included: bool = True  # the amounts include it; False: it is added on top

    def of(self, amount: Decimal) -> Decimal:
        """The VAT of a line of ``amount``, rounded to kopecks."""
        if self.rate is None:
            return Decimal("0.00")
        if self.included:
            return round_money(amount * self.rate / (100 + self.rate))
        return round_money(amount * self.rate / 100)


def _digits(value: str, lengths: tuple[int, ...], what: str) -> str | None:
    if not value.isascii() or not value.isdigit() or len(value) not in lengths:
        counts = " or ".join(str(n) for n in lengths)
        return f"{what} is {counts} digits, got {value!r}"
    return None


def _check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_problem(value: str) -> str | None:
    """An ИНН: 10 digits with one check digit, or 12 with two."""
    found = _digits(value, (10, 12), "an ИНН (INN)")
    if found is not None:
        return found
    if len(value) == 10:
        good = _check(value, _INN10) == int(value[9])
    else:
        good = _check(value, _INN11) == int(value[10]) and _check(value, _INN12) == int(value[11])
    return None if good else f"the ИНН (INN) {value} has a wrong check digit (a typo?)"


def kpp_problem(value: str) -> str | None:
    if _KPP.fullmatch(value) is None:
        return f"a КПП (KPP) is 9 characters (digits; the 5th and 6th may be A–Z), got {value!r}"
    return None


def ogrn_problem(value: str) -> str | None:
    """An ОГРН (13 digits) or ОГРНИП (15): the last digit is the rest modulo 11 (13), last digit."""
    found = _digits(value, (13, 15), "an ОГРН (OGRN) or ОГРНИП")
    if found is not None:
        return found
    modulo = 11 if len(value) == 13 else 13
    if int(value[:-1]) % modulo % 10 != int(value[-1]):
        return f"the ОГРН (OGRN) {value} has a wrong check digit (a typo?)"
    return None


def bik_problem(value: str) -> str | None:
    return _digits(value, (9,), "a БИК (BIC)")


def _key_problem(account: str, prefix: str, what: str) -> str | None:
    found = _digits(account, (20,), what)
    if found is not None:
        return found
    digits = prefix + account
    if sum(int(d) * w for d, w in zip(digits, _ACCOUNT_WEIGHTS, strict=True)) % 10:
        return f"the {what.removeprefix('a ')} {account} does not match the БИК (a typo in either?)"
    return None


def account_problem(account: str, bik: str) -> str | None:
    """A settlement account: 20 digits, its control key checked with the БИК's last three."""
    return _key_problem(account, bik[-3:], "a settlement account")


def corr_account_problem(account: str, bik: str) -> str | None:
    """A correspondent account: 20 digits, its control key checked with ``0`` and the БИК's
    5th and 6th digits."""
    return _key_problem(account, "0" + bik[4:6], "a correspondent account")


def party_problems(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """What is wrong with a party's details given by key (``inn``, ``kpp``, ``ogrn``, ``bik``,
    ``account``, ``corr_account``; an empty or missing one is unset, and fine)."""
    out: list[tuple[str, str]] = []
    bik = values.get("bik", "")
    checks = {"inn": inn_problem, "kpp": kpp_problem, "ogrn": ogrn_problem, "bik": bik_problem}
    for key, check in checks.items():
        value = values.get(key, "")
        found = check(value) if value else None
        if found is not None:
            out.append((key, found))
    for key, what, check_key in (("account", "a settlement account", account_problem),
                                 ("corr_account", "a correspondent account",
                                  corr_account_problem)):  # fmt: skip
        value = values.get(key, "")
        if not value:
            continue
        found = _digits(value, (20,), what)
        if found is None and bik and bik_problem(bik) is None:
            found = check_key(value, bik)
        elif found is None and not bik:
            found = f"{what} is checked against the БИК (BIC): set the bik too"
        if found is not None:
            out.append((key, found))
    return out
