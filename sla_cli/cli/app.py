"""The `sla` command: global options, command groups, and the one place errors are mapped."""

import contextlib
import gc
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from sla_cli import __version__
from sla_cli.cli.options import State
from sla_cli.errors import InputError, SlaError

if TYPE_CHECKING:
    from sla_cli.domain.production import ProductionYear


class SlaGroup(TyperGroup):
    """Maps ``SlaError`` and usage errors to one line on stderr (tracebacks: SLA_DEBUG=1)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        debug = os.environ.get("SLA_DEBUG") == "1"
        args = optional_month_value(list(sys.argv[1:] if args is None else args))
        try:
            _refuse_undecodable(args)
            _refuse_negative_duration(args)
            with warnings.catch_warnings():
                if not debug:  # a library's warning is not the user's to act on
                    warnings.simplefilter("ignore")
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except SlaError as e:
            if debug:
                raise
            _fail(e.message, e.exit_code)
        except typer.TyperException as e:  # usage errors and the like
            if debug:
                raise
            _fail(e.format_message(), e.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(1)
        except OSError as e:  # the system refused a file: a name too long, a folder not ours
            if debug:
                raise
            where = f"{e.filename}: " if e.filename else ""
            _fail(f"{where}{e.strerror or e}; nothing was written", 2)
        except Exception as e:  # a bug: say so in one line unless debugging
            if debug:
                raise
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            _fail(f"unexpected {type(e).__name__}: {first} (SLA_DEBUG=1 shows the traceback)", 1)
        sys.exit(code if isinstance(code, int) else 0)


def _refuse_undecodable(args: list[str]) -> None:
    """Bytes on the command line that are not UTF-8 (Python keeps them as lone surrogates)
    would fail deep inside: refuse them."""
    for i, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                f"argument {i} is not UTF-8 text; check the terminal's encoding"
            ) from None


def _refuse_negative_duration(args: list[str]) -> None:
    """`sla log -1h ACME-1` reads as an option to Click ("No such option: -1"): say what it
    is instead."""
    if command_named(args) != "log":
        return
    after = args[args.index("log") + 1 :]
    if after and after[0][:1] == "-" and after[0][1:2].isdigit():
        raise InputError(
            f"{after[0]}: durations are positive; to correct an entry use `sla log --undo` "
            "or `sla void ID`"
        )


def optional_month_value(args: list[str]) -> list[str]:
    """`sla report --month` alone means the current month: give the bare option its value.

    Click cannot tell an option's missing value from the next option, so it is filled in here.
    """
    if "report" not in args:
        return args
    from sla_cli.cli import periods

    out = list(args)
    for i in range(len(out) - 1, out.index("report"), -1):
        if out[i] == "--month" and (i + 1 == len(out) or out[i + 1].startswith("-")):
            out.insert(i + 1, periods.CURRENT)
    return out


def _fail(message: str, code: int) -> None:
    from sla_cli.render import error

    if message.strip():  # a bare `sla` or `sla contract` printed its help already
        error(message)
    sys.exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sla {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Ledger: an SQLAlchemy URL or a SQLite file path. Also SLA_DATABASE_URL.",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option("--config", help="Config file (TOML). Also SLA_CONFIG.", show_default=False),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Support contracts under an SLA: log hours, watch SLA clocks, close months, quote.

    SLA_USER names the engineer (default: the OS user; on PostgreSQL, the database role).
    """
    ctx.obj = State(config_option=config, db_option=db)


# The command modules, in the order `sla --help` lists their commands, and the names each
# registers: a run that names its command builds that command only. This module and the quick
# commands' (ledger, timers, incident) keep their annotations as objects, without `from
# __future__ import annotations`: Typer reads every signature as it starts, and would otherwise
# evaluate each annotation from its string, a millisecond of `sla log`.
MODULES = {
    "sales": ("init", "tariffs", "quote"),
    "contract": ("contract",),
    "ledger": ("log", "entries", "void"),
    "incident": ("incident", "breaches"),
    "calendar": ("calendar",),
    "periods": ("rollover", "report", "demo"),
    "trends": ("trends",),
    "audit": ("verify", "upgrade", "backup"),
    "timers": ("start", "stop", "status"),
    "exports": ("export", "timesheet", "import"),
    "closing": ("client", "invoice", "act", "invoices", "paid"),
    "alerts": ("notify", "notices"),
    "intake": ("intake",),
    "roles": ("role",),
}
_MODULE_OF = {command: module for module, names in MODULES.items() for command in names}
_GLOBAL_VALUES = {"--db", "--config"}  # the global options that take a value


def make_app(modules: Sequence[str] = tuple(MODULES), only: str | None = None) -> typer.Typer:
    """The `sla` command with the commands of ``modules`` (default: every command), or of
    those only the command named ``only``."""
    from importlib import import_module

    built = typer.Typer(
        cls=SlaGroup,
        name="sla",
        help="Support contracts under an SLA: log hours, watch SLA clocks, close months, quote.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(root)
    for name in modules:
        import_module(f"sla_cli.cli.{name}").register(built)
    if only is not None:  # Typer builds every registered command as it starts
        built.registered_commands = [c for c in built.registered_commands if c.name == only]
        built.registered_groups = [g for g in built.registered_groups if g.name == only]
    _flowing(built)
    return built


def _flowing(typer_app: typer.Typer) -> None:
    """Each command's help as paragraphs that wrap at the terminal's width: the line breaks a
    docstring has in the source are not kept inside a sentence (Rich keeps them otherwise)."""
    import inspect

    for info in typer_app.registered_commands:
        doc = info.help if isinstance(info.help, str) else inspect.getdoc(info.callback)
        if doc:
            info.help = paragraphs(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _flowing(group.typer_instance)


def paragraphs(doc: str) -> str:
    """``doc`` with the single line breaks inside its paragraphs joined (a list item, a line
    starting with ``-``, keeps its own line)."""
    out = []
    for para in doc.split("\n\n"):
        joined: list[str] = []
        for line in para.splitlines():
            if joined and not line.lstrip().startswith("- "):
                joined[-1] += " " + line.strip()
            else:
                joined.append(line.strip())
        out.append("\n".join(joined))
    return "\n\n".join(out)


def command_named(args: Sequence[str]) -> str | None:
    """The command ``args`` name (after any global options), or None: help, a misspelt
    command, or none at all, which the whole command list answers."""
    words = iter(args)
    for word in words:
        if word in _GLOBAL_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in _MODULE_OF else None
        elif word.split("=", 1)[0] not in _GLOBAL_VALUES:
            return None  # --help, --version, completion options: the whole app answers
    return None


def _words() -> list[str]:
    """The words of the command line: the arguments, or while completing, the words before
    the one being completed (Typer's completion passes them in the environment)."""
    if not os.environ.get("_SLA_COMPLETE"):
        return sys.argv[1:]
    import shlex

    try:
        if "COMP_WORDS" in os.environ:  # bash
            words = shlex.split(os.environ["COMP_WORDS"])
            return words[1 : int(os.environ.get("COMP_CWORD", "0"))]
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = shlex.split(line)[1:]
        return words if line.endswith(" ") else words[:-1]
    except ValueError:
        return []


app: typer.Typer  # every command: built when first asked for (tests, documentation)


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        built = globals()["app"] = make_app()
        return built
    raise AttributeError(name)


def _shown_as_they_can_be() -> None:
    """A terminal whose encoding cannot show a character (Cyrillic under ISO-8859-1) gets a
    replacement for it, not an error: the rest of the output is what the user needs."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def _calendar_kept() -> None:
    """The production calendar's years are read from ``holidays`` once and kept in the user's
    cache folder: a command that needs business time need not import the package again."""
    from sla_cli.domain import production

    production.use(_kept_year)


def _kept_year(country: str, year: int) -> "ProductionYear":
    from sla_cli.calendar_cache import cached_year

    return cached_year(country, year)


def main() -> None:
    """The command line (`sla_cli.console` loads it with the collector off). A short-lived
    process: collect garbage rarely, and skip the final collection at exit (freezing what is
    left), which otherwise costs a ledger command ~25 %.

    Only the named command's module is imported, and only that command built (Typer turns
    every command's signature into options as it starts, a third of a quick command's time
    otherwise)."""
    gc.set_threshold(100_000, 50, 100)
    gc.enable()
    _shown_as_they_can_be()
    _calendar_kept()
    command = command_named(_words())
    try:
        (make_app() if command is None else make_app((_MODULE_OF[command],), command))()
    finally:
        gc.freeze()
