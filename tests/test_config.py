from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from sla_cli.config import load_settings, parse_settings
from sla_cli.config.defaults import default_document, write_config
from sla_cli.domain.calendar import Schedule
from sla_cli.errors import ConfigError


def test_what_init_writes_reads_back_equal_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    write_config(path, default_document())
    loaded = load_settings(path)
    assert loaded.source == path
    assert loaded._replace(source=None) == parse_settings({})


def test_written_config_carries_every_number_of_the_offer(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write_config(path, default_document())
    text = path.read_text(encoding="utf-8")
    assert "PRICES ARE EXAMPLES" in text
    data = tomllib.loads(text)
    v1, v2, v3 = (data["variants"][k] for k in ("1", "2", "3"))
    assert [t["hours"] for t in v1["tiers"]] == [10, 15, 25, 40]
    assert [t["hours"] for t in v3["tiers"]] == [10, 15, 30, 50]
    assert "hours" not in v2["tiers"][0]  # unlimited
    assert (v1["min_months"], v2["min_months"]) == (3, 1)
    assert v1["prepay_discounts"] == [
        {"min_months": 7, "percent": 5},
        {"min_months": 13, "percent": 10},
    ]
    assert v2["prepay_discounts"] == [{"min_months": 3, "percent": 10}]
    assert [(v["reaction_hours"], v["start_hours"]) for v in (v1, v2, v3)] == [
        (2, 4),
        (1, 3),
        (3, 6),
    ]
    assert [v["max_hour_discount_percent"] for v in (v1, v2, v3)] == [15, 50, 15]
    assert v1["dev_cap_hours"] == 40
    assert data["billing"]["increment_minutes"] == 1
    assert data["company"]["timezone"] == "Europe/Moscow"
    assert (data["schedule"]["day_start"], data["schedule"]["day_end"]) == ("09:00", "19:00")


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="--force"):
        write_config(path, default_document())
    assert path.read_text(encoding="utf-8") == "# mine\n"
    write_config(path, default_document(), force=True)
    assert "variants" in path.read_text(encoding="utf-8")


def test_missing_file_gives_the_built_in_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == parse_settings({})


def test_a_partial_config_overrides_only_what_it_names(
    custom_config: Callable[[str], Path],
) -> None:
    path = custom_config('[billing]\nincrement_minutes = 15\nhour_rate = "4500"\n')
    s = load_settings(path)
    assert s.increment_minutes == 15
    assert str(s.catalog.hour_rate) == "4500"
    assert s.catalog.variant(1).min_months == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[billing\n", "not valid TOML"),
        (
            '[billing]\nincrement_minutes = "fifteen"\n',
            "billing.increment_minutes: expected a whole number",
        ),
        ("[billing]\nincrement_minutes = 0\n", "billing.increment_minutes: must be a positive"),
        ('[company]\ntimezone = "Mars/Olympus"\n', "company.timezone: unknown time zone"),
        ('[schedule]\nday_start = "9 am"\n', "schedule.day_start: expected a time like 09:00"),
        ('[schedule]\nextra_holidays = ["soon"]\n', "schedule.extra_holidays: expected dates"),
        (
            '[[variants.1.tiers]]\nkey = "x"\nprice = "abc"\n',
            "variants.1.tiers[0].price: expected a number",
        ),
        ("[variants.1]\nmax_hour_discount_percent = 150\n", "must be at most 100"),
        (
            '[sla]\npausing_clocks = ["start", "resolution"]\n',
            "sla.pausing_clocks: unknown clock 'resolution'; known: reaction, start, resolve",
        ),
        ('[sla]\npausing_clocks = "start"\n', "sla.pausing_clocks: expected"),
    ],
)
def test_a_broken_config_names_the_file_the_key_and_the_problem(
    custom_config: Callable[[str], Path], text: str, message: str
) -> None:
    path = custom_config(text)
    with pytest.raises(ConfigError) as e:
        load_settings(path)
    assert str(path) in e.value.message
    assert message in e.value.message
    assert "\n" not in e.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[biling]\nhour_rate = '1'\n", "biling: unknown section"),
        ("[billing]\nrefuse_overdrft = true\n", "billing.refuse_overdrft: unknown key"),
        ("[variants.1]\nreaction_hour = 3\n", "variants.1.reaction_hour: unknown key"),
        (
            '[[variants.3.tiers]]\nkey = "a"\nprice = "1"\n[[variants.3.tiers]]\nkey = "a"\n'
            'price = "2"\n',
            "variants.3.tiers: tier keys must differ",
        ),
        ('[schedule]\ncountry = "XX"\n', "schedule.country: no production calendar for 'XX'"),
        (
            '[schedule]\nextra_holidays = ["2026-12-01"]\nextra_workdays = ["2026-12-01"]\n',
            "schedule.extra_workdays: 2026-12-01 is also in extra_holidays",
        ),
        (
            '[schedule]\nday_end = "10:00"\nshorten_preholiday = true\n',
            "schedule.shorten_preholiday: needs a working day longer than one hour",
        ),
        (
            '[schedule]\nday_start = "19:00"\nday_end = "09:00"\n',
            "schedule.day_end: the working day must end",
        ),
    ],
)
def test_typos_and_contradictions_are_named_not_ignored(
    custom_config: Callable[[str], Path], text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(custom_config(text))


def test_the_clocks_a_wait_pauses_are_configured(custom_config: Callable[[str], Path]) -> None:
    assert load_settings(custom_config("")).pausing_clocks == {"start", "resolve"}
    path = custom_config('[sla]\npausing_clocks = ["reaction", "start"]\n')
    assert load_settings(path).pausing_clocks == {"reaction", "start"}
    assert load_settings(custom_config("[sla]\npausing_clocks = []\n")).pausing_clocks == set()


def test_another_production_calendar_can_be_configured(
    custom_config: Callable[[str], Path],
) -> None:
    assert load_settings(custom_config('[schedule]\ncountry = "DE"\n')).schedule.country == "DE"


def test_the_example_config_is_what_init_writes(tmp_path: Path) -> None:
    written = tmp_path / "config.toml"
    write_config(written, default_document())
    example = Path(__file__).resolve().parent.parent / "examples" / "config.toml"
    assert example.read_text(encoding="utf-8") == written.read_text(encoding="utf-8")


def test_the_built_in_schedule_is_the_domain_default() -> None:
    assert parse_settings({}).schedule == Schedule()


def test_the_schedule_is_built_once_from_the_file(custom_config: Callable[[str], Path]) -> None:
    path = custom_config('[schedule]\nweekdays = [1, 2, 3, 4, 5, 6]\nday_end = "18:00"\n')
    settings = load_settings(path)
    assert settings.schedule is settings.schedule
    assert settings.schedule.weekdays == frozenset(range(6))
    assert settings.schedule.day_end.hour == 18
    assert settings.timezone == settings.schedule.timezone == "Europe/Moscow"
