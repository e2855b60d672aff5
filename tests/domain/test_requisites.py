"""The checks of the parties' details: ИНН, КПП, ОГРН, БИК and accounts against the БИК."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.requisites import (
    account_problem,
    corr_account_problem,
    inn_problem,
    kpp_problem,
    ogrn_problem,
    party_problems,
)

W10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
W11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
W12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def check(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def test_published_details_pass() -> None:
    # the Bank of Russia's published pair: a correspondent account and its БИК
    assert corr_account_problem("30101810400000000225", "044525225") is None
    assert inn_problem("7707083893") is None  # a published organisation's ИНН
    assert ogrn_problem("1027700132195") is None
    assert kpp_problem("773601001") is None and kpp_problem("7736AB001") is None


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_an_inn_of_ten_holds_with_its_check_digit_only(head: str) -> None:
    good = head + check(head, W10)
    assert inn_problem(good) is None
    for other in "0123456789":
        if other != good[-1]:
            assert "wrong check digit" in str(inn_problem(head + other))


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_an_inn_of_twelve_needs_both_check_digits(head: str) -> None:
    eleven = head + check(head, W11)
    good = eleven + check(eleven, W12)
    assert inn_problem(good) is None
    wrong = str((int(good[-1]) + 1) % 10)
    assert inn_problem(good[:-1] + wrong) is not None


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.text(alphabet="0123456789", min_size=20, max_size=20),
    st.integers(min_value=0, max_value=19),
    st.integers(min_value=1, max_value=9),
)
def test_any_one_digit_typo_in_an_account_is_caught(
    bik: str, account: str, at: int, shift: int
) -> None:
    # make ``account`` valid by choosing its control digit (the ninth), then change one digit
    valid = next(
        a for d in "0123456789" if account_problem(a := account[:8] + d + account[9:], bik) is None
    )
    typo = valid[:at] + str((int(valid[at]) + shift) % 10) + valid[at + 1 :]
    assert "does not match the БИК" in str(account_problem(typo, bik))


def test_wrong_lengths_and_letters_are_named() -> None:
    assert "10 or 12 digits" in str(inn_problem("77070838"))
    assert "10 or 12 digits" in str(inn_problem("77070838９３"))  # full-width digits
    assert "9 characters" in str(kpp_problem("77360100"))
    assert "13 or 15 digits" in str(ogrn_problem("10277001321"))
    assert "20 digits" in str(account_problem("4070281040000000022", "044525225"))


def test_a_party_names_each_wrong_key_and_an_account_needs_its_bik() -> None:
    found = dict(party_problems({"inn": "7707083894", "kpp": "7736", "account": "1" * 20}))
    assert set(found) == {"inn", "kpp", "account"}
    assert "set the bik too" in found["account"]
    assert party_problems({"inn": "", "kpp": ""}) == []  # unset is fine
