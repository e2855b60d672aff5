"""A run builds only the command it names: the table of modules must match what they register."""

from __future__ import annotations

import typer

from sla_cli.cli.app import MODULES, app, command_named, make_app


def names(built: typer.Typer) -> set[str]:
    group = typer.main.get_command(built)
    assert isinstance(group, typer.core.TyperGroup)
    return set(group.commands)


def test_each_module_registers_exactly_the_commands_listed_for_it() -> None:
    for module, commands in MODULES.items():
        assert names(make_app((module,))) == set(commands), module
        for command in commands:
            assert names(make_app((module,), command)) == {command}
    assert names(app) == {c for commands in MODULES.values() for c in commands}


def test_the_command_named_after_global_options_is_found() -> None:
    assert command_named(["log", "2h", "ACME-1"]) == "log"
    assert command_named(["--db", "x.db", "incident", "ack", "ACME-1"]) == "incident"
    assert command_named(["--config=c.toml", "--db", "log", "start"]) == "start"
    # help, the version, a misspelt or missing command: the whole app answers
    for args in (["--help", "log"], ["--version"], ["lgo", "2h"], [], ["--db", "x.db"]):
        assert command_named(args) is None, args
