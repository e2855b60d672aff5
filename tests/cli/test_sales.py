from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Sla


def test_quote_json_for_twelve_months_gives_five_percent(sla: Sla) -> None:
    data = sla.ok("quote", "--variant", "1", "--months", "12", "--format", "json").json()
    assert data["variant"] == 1 and data["months"] == 12 and data["currency"] == "RUB"
    assert [o["discount_percent"] for o in data["options"]] == [5, 5, 5, 5]
    assert set(data["options"][0]) == {
        "tier",
        "tier_name",
        "hours",
        "monthly_fee",
        "discount_percent",
        "total",
        "hour_price",
        "package_price",
    }
    basic = data["options"][1]
    assert basic == {
        "tier": "basic",
        "tier_name": "Базовый",
        "hours": 15,
        "monthly_fee": "42000.00",
        "discount_percent": 5,
        "total": "478800.00",
        "hour_price": "2660.00",
        "package_price": None,
    }


def test_quote_discounts_follow_the_literal_thresholds(sla: Sla) -> None:
    def discounts(months: str) -> set[int]:
        out = sla.ok("quote", "--variant", "1", "--months", months, "--format", "json").json()
        return {o["discount_percent"] for o in out["options"]}

    assert discounts("6") == {0}
    assert discounts("13") == {10}


def test_quote_under_the_minimum_term_exits_2_naming_it(sla: Sla) -> None:
    r = sla("quote", "--variant", "1", "--months", "2")
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "minimum term of 3 months" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_quote_one_tier_as_a_table(sla: Sla) -> None:
    out = sla.ok("quote", "--variant", "3", "--tier", "optimal").text
    assert "Оптимальный" in out and "81 000.00" in out
    assert "Минимальный" not in out


def test_quote_csv_has_a_header_and_a_row_per_tier(sla: Sla) -> None:
    lines = sla.ok("quote", "-v", "2", "-m", "3", "-f", "csv").stdout.splitlines()
    assert lines[0].startswith("variant,months,tier,tier_name,hours,monthly_fee")
    assert lines[1].startswith("2,3,standard,Стандартный,,250000.00,10,675000.00")


def test_unknown_tier_lists_the_known_ones(sla: Sla) -> None:
    r = sla("quote", "--variant", "1", "--tier", "gold")
    assert r.exit_code == 2
    assert "minimal, basic, optimal, extended" in r.stderr


def test_usage_errors_are_one_line_and_exit_2(sla: Sla) -> None:
    r = sla("quote", "--variant", "one")
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("sla: error:")


def test_tariffs_table_shows_every_tier_and_target(sla: Sla) -> None:
    out = sla.ok("tariffs").text
    for name in (
        "Минимальный",
        "Базовый",
        "Оптимальный",
        "Расширенный",
        "Стандартный",
        "Максимальный",
    ):
        assert name in out
    assert "5 % from 7, 10 % from 13" in out
    assert "09:00–19:00" in out
    assert "examples" in out


def test_tariffs_json(sla: Sla) -> None:
    data = sla.ok("tariffs", "--format", "json").json()
    assert len(data["tiers"]) == 9
    assert data["tiers"][0]["reaction_minutes"] == 120


def test_init_writes_the_config_once_and_then_keeps_it(sla: Sla, tmp_path: Path) -> None:
    sla.config.unlink()
    r = sla.ok("init")
    assert "config written" in r.stdout
    assert tomllib.loads(sla.config.read_text(encoding="utf-8"))["variants"]["1"]["min_months"] == 3
    # the user's own prices, then a second ledger: the config is kept as it is
    mine = sla.config.read_text(encoding="utf-8").replace(
        'hour_rate = "3000.00"', 'hour_rate = "4500.00"'
    )
    assert mine != sla.config.read_text(encoding="utf-8")
    sla.config.write_text(mine, encoding="utf-8")
    second = tmp_path / "second.db"
    for args in (("init",), ("init", "--force")):
        r = sla.ok(*args, env={"SLA_DATABASE_URL": str(second)})
        assert f"config kept at {sla.config}" in r.stdout and "ledger ready" in r.stdout
        assert sla.config.read_text(encoding="utf-8") == mine
    assert second.is_file()
    assert "--reset-config" in sla.ok("init", "--force").stderr
    assert list(sla.config.parent.glob("*.bak")) == []
    # rewriting it is asked for by name, and the old one is kept beside it
    r = sla.ok("init", "--reset-config")
    assert "config written" in r.stdout
    (copy,) = sla.config.parent.glob(f"{sla.config.name}.*.bak")
    assert copy.read_text(encoding="utf-8") == mine and f"kept at {copy}" in r.stdout
    assert 'hour_rate = "3000.00"' in sla.config.read_text(encoding="utf-8")
    assert (copy.stat().st_mode & 0o777) == 0o600


def test_init_on_a_broken_config_names_it_and_changes_nothing(sla: Sla) -> None:
    sla.config.write_text("[billing]\nincrement_minutes = -5\n", encoding="utf-8")
    r = sla("init")
    assert r.exit_code == 2 and "increment_minutes" in r.stderr and "--reset-config" in r.stderr
    assert sla.config.read_text(encoding="utf-8") == "[billing]\nincrement_minutes = -5\n"
    sla.ok("init", "--reset-config")
    assert "increment_minutes = 1" in sla.config.read_text(encoding="utf-8")


def test_init_never_writes_a_config_over_the_ledger(sla: Sla) -> None:
    ledger = Path(sla.db_url.removeprefix("sqlite:///"))
    before = ledger.read_bytes()
    r = sla("--config", str(ledger), "init", "--reset-config")
    assert r.exit_code == 2 and "the ledger" in r.stderr
    assert ledger.read_bytes() == before


def test_a_broken_config_is_one_line_naming_the_file(sla: Sla) -> None:
    sla.config.write_text("[billing]\nincrement_minutes = -5\n", encoding="utf-8")
    r = sla("quote", "--variant", "1")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        f"sla: error: {sla.config}: billing.increment_minutes: "
        "must be a positive whole number, got -5"
    )


def test_an_explicit_config_that_does_not_exist_is_an_error(sla: Sla) -> None:
    r = sla("tariffs", env={"SLA_CONFIG": str(sla.config) + ".missing"})
    assert r.exit_code == 2
    assert "sla init" in r.stderr


def test_init_that_cannot_open_the_ledger_writes_no_config(sla: Sla) -> None:
    sla.config.unlink()
    r = sla("init", env={"SLA_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert r.exit_code == 75 and "is unavailable" in r.stderr  # worth retrying
    assert not sla.config.exists()


def test_tariff_prices_are_money_strings_however_the_config_writes_them(
    sla: Sla, custom_config: Callable[[str], Path]
) -> None:
    path = custom_config(
        '[billing]\nhour_rate = 3000\n[[variants.2.tiers]]\nkey = "standard"\nprice = 250000\n'
    )
    r = sla.ok("tariffs", "--format", "json", env={"SLA_CONFIG": str(path)})
    data = r.json()
    assert data["hour_rate"] == "3000.00"
    assert {t["price"] for t in data["tiers"] if t["variant"] == 2} == {"250000.00"}
    assert {t["billing"] for t in data["tiers"]} == {"monthly", "package"}
