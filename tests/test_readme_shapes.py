"""The README's JSON shapes are what the commands print, so the two cannot drift apart.

The README writes a shape as its keys: ``{"month", "statements": [{"client", …}]}``, a note in
parentheses after a key, ``"a" or "b"`` for one key of two. Each shape is found by the words
just before it (``SHAPES``) and compared with the JSON of the commands listed beside it, run on
one ledger that holds every part of every shape: the keys at every level (none missing, none
extra), the keys of each element of a list, and the types the README gives. Those are a nested
object or list; ``("a"|"b")``, one of those strings; ``(a count)``, a whole number; and the
README's conventions: ``*_minutes`` are whole numbers, money is a decimal string, times are
ISO 8601 with their offset. Any other value is a plain one (a string, a number, true or
false), and null goes with any type.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from sla_cli.cli.app import app
from sla_cli.config.defaults import default_document, write_config
from tests.conftest import Sla, sqlite_url
from tests.receivers import Hook

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
NOW = {"SLA_NOW": "2026-11-24T12:00:00+03:00"}
MAILDIR = Path(__file__).parent / "intake" / "maildir"  # one message from an unknown sender

MINUTES = re.compile(r"_minutes$")
MONEY = re.compile(r"(^|_)(fee|price|amount|total|offset|left_to_pay|hour_rate)(_|$)")
TIME = re.compile(r"^(at|due)$|_(at|due)$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$")
DECIMAL = re.compile(r"^-?\d+\.\d\d$")


@dataclass(frozen=True)
class Case:
    """A README shape: the words just before it, and the commands that print it."""

    marker: str
    runs: tuple[tuple[str, ...], ...]
    adds_to: str | None = None  # the marker of a shape whose list elements this one extends
    any_type: frozenset[str] = frozenset()  # paths whose values the README gives no one type
    before: tuple[tuple[str, ...], ...] = ()  # commands run first (what the shape needs)


SHAPES = {
    "tariffs": Case("- `tariffs`: ", (("tariffs",),)),
    "quote": Case(
        "- `quote`: ",
        (("quote", "--variant", "1", "--months", "12"), ("quote", "--variant", "3")),
    ),
    "entries": Case("- `entries`: ", (("entries",),)),
    "incident list": Case("- `incident list`: ", (("incident", "list", "--all"),)),
    "contract list": Case("- `contract list`: ", (("contract", "list", "--all"),)),
    "contract show": Case(
        "`contract show` adds ",
        (("contract", "show", "ACME"), ("contract", "show", "EPS")),
        adds_to="- `contract list`: ",
        # the ledger holds no month a year back: its keys are those of "recent", which is seen
        any_type=frozenset({"forecast.last_year"}),
    ),
    "breaches": Case(
        "- `breaches`: ", (("breaches", "--month", "2026-10"), ("breaches", "--month", "2026-11"))
    ),
    "report": Case("- `report`: ", (("report", "--month", "2026-10"),)),
    "status": Case("- `status`: ", (("status", "--all"),)),
    "rollover": Case("- `rollover`: ", (("rollover", "--dry-run"),)),
    "trends": Case(
        "- `trends`: ",
        (("trends",), ("trends", "--since", "2026-09", "--until", "2026-11")),
        # the ledger holds no month a year back (as for `contract show`)
        any_type=frozenset({"forecasts[].last_year"}),
    ),
    "calendar": Case(
        "- `calendar`: ", (("calendar", "--year", "2024"), ("calendar", "--month", "2024-04"))
    ),
    "timesheet": Case("the table fits 80 columns. JSON: ", (("timesheet", "--month", "2026-10"),)),
    "export": Case("or as CSV or JSON ", (("export", "--month", "2026-10", "--format", "json"),)),
    "invoice": Case("- `invoice` and `act`: ", (("invoice", "GAMMA", "--month", "2026-09"),)),
    "act": Case("- `invoice` and `act`: ", (("act", "ACME", "--month", "2026-09"),)),
    "invoices": Case("- `invoices`: ", (("invoices",),)),
    "paid": Case("; `paid`: ", (("paid", "1", "--undo"),)),
    "client show": Case("- `client show`: ", (("client", "show", "ACME"),)),
    "notify": Case(
        "- `notify`: ",
        (("notify", "--dry-run"), ("notify",)),
        before=(("incident", "open", "ACME-77", "--at", "2026-11-24T09:00"),),  # breached by NOW
    ),
    "notices": Case("`notices`: ", (("notices",),), before=(("notify",),)),
    # an SQLite ledger has no roles (tests/cli/test_roles.py compares them on PostgreSQL)
    "role list": Case("- `role list`: ", (("role", "list"),), any_type=frozenset({"", "[]"})),
    "intake": Case("- `intake`: ", (("intake", "--maildir", str(MAILDIR), "--dry-run"),)),
    "client set": Case("- `client show`: ", (("client", "set", "GAMMA", "--inn", "771234567859"),)),
    "verify": Case(
        "`--format json` gives ",
        (("verify",),),
        # the figure's own value: minutes, money, the digest, a flag, or a clock
        # and the roles that may get past the guards: PostgreSQL's, an SQLite ledger has none
        # (tests/cli/test_verify_guards.py compares their keys on PostgreSQL)
        any_type=frozenset(
            {
                "differences[].at_close",
                "differences[].now",
                "bypass_roles",
                "bypass_roles[]",
                "unknown_authors",
                "unknown_authors[]",
                "extra_grants",
                "extra_grants[]",
            }
        ),
    ),
}


NOT_JSON = [
    '`["start", "resolve"]`',  # the config table: a TOML default, not a command's JSON
    '`{"version", "title",',  # what a webhook receives, not a command's JSON
    '`{"event" ("warning"',
]


# -- reading the README's notation ------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """What the README says of a value: ``kind`` is plain, object or array."""

    kind: str = "plain"
    members: tuple[Member, ...] = ()
    element: Value | None = None  # an array's; None: not said
    choices: frozenset[str | None] | None = None
    count: bool = False


@dataclass(frozen=True)
class Member:
    names: tuple[str, ...]  # more than one: exactly one of them is present
    value: Value


STRING = Value("plain")
CHOICES = re.compile(r'\s*(?:"[^"]*"|null)(?:\s*\|\s*(?:"[^"]*"|null))+\s*')


class Notation:
    """A reader of the README's shapes, from a position in its text."""

    def __init__(self, text: str) -> None:
        self.text = text.replace("`", " ").replace("\\|", " |")  # same length: same positions

    def skip(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def expect(self, pos: int, token: str) -> int:
        pos = self.skip(pos)
        assert self.text.startswith(token, pos), f"README: {token!r} expected: {self.at(pos)}"
        return pos + len(token)

    def at(self, pos: int) -> str:
        return repr(self.text[pos : pos + 60])

    def shape(self, pos: int) -> tuple[Value, int]:
        """The object or list at ``pos`` (after blanks), and the position after it."""
        pos = self.skip(pos)
        if self.text.startswith("{", pos):
            members, pos = self.members(pos + 1)
            return Value("object", members), self.expect(pos, "}")
        pos = self.skip(self.expect(pos, "["))
        element: Value | None = None  # `[...]`: elements not said
        unsaid = re.compile(r"\.\.\.|…").match(self.text, pos)
        example = re.compile(r'"[^"]*"(\s*,\s*(\.\.\.|…))?').match(self.text, pos)
        if unsaid:
            pos = unsaid.end()
        elif example:  # `["YYYY-MM", …]`: strings
            element, pos = STRING, example.end()
        else:
            element, pos = self.shape(pos)
        return Value("array", element=element), self.expect(pos, "]")

    def members(self, pos: int) -> tuple[tuple[Member, ...], int]:
        """Members separated by commas (or "and"), up to what is not one."""
        out = [self.member(pos)]
        while True:
            sep = re.compile(r'\s*(,|\band\b)\s*(?=")').match(self.text, out[-1][1])
            if not sep:
                return tuple(m for m, _ in out), out[-1][1]
            out.append(self.member(sep.end()))

    def member(self, pos: int) -> tuple[Member, int]:
        names = []
        while True:
            key = re.compile(r'\s*"([a-z][a-z0-9_]*)"').match(self.text, pos)
            assert key, f"README: a key expected: {self.at(pos)}"
            names.append(key.group(1))
            pos = key.end()
            alt = re.compile(r"\s+or\s+(?=\")").match(self.text, pos)
            if not alt:
                break
            pos = alt.end()
        value = Value()
        for _ in range(2):  # a note, a ": shape", or both in either order
            after = self.skip(pos)
            if self.text.startswith("(", after):
                said, pos = self.note(after)
                value = said or value
            elif self.text.startswith(":", after) and self.text[self.skip(after + 1)] in "[{":
                value, pos = self.shape(after + 1)
        return Member(tuple(names), value), pos

    def note(self, pos: int) -> tuple[Value | None, int]:
        """A note in parentheses: the value's choices, shape or count; None: words only."""
        depth, end = 0, pos
        while True:
            depth += {"(": 1, ")": -1}.get(self.text[end], 0)
            end += 1
            if depth == 0:
                break
        inner = self.text[pos + 1 : end - 1]
        if CHOICES.fullmatch(inner):
            found = re.findall(r'"([^"]*)"|(null)', inner)
            return Value(choices=frozenset(s if not n else None for s, n in found)), end
        nested = re.search(r"[\[{]", inner)
        if nested:
            return self.shape(pos + 1 + nested.start())[0], end
        return (Value(count=True) if inner.strip() == "a count" else None), end


def readme_shape(case: Case) -> tuple[Value, int, int]:
    """The shape the README gives ``case``, and where it starts and ends in the README."""
    assert README.count(case.marker) == 1, f"the README should hold {case.marker!r} once"
    notation = Notation(README)
    start = README.index(case.marker) + len(case.marker)
    if case.adds_to is None:
        value, end = notation.shape(start)
        return value, start, end
    base, _, _ = readme_shape(Case(case.adds_to, ()))
    assert base.element is not None
    added, end = notation.members(start)
    return Value("object", base.element.members + added), start, end


# -- comparing a shape with what a command printed -------------------------------------------


def compare(doc: Value, out: Any, path: str, case: Case, seen: set[str]) -> list[str]:
    """What differs between the README's ``doc`` and the printed ``out``, at ``path``."""
    if out is None or path in case.any_type:
        return []
    if doc.kind == "object":
        if not isinstance(out, dict):
            return [f"{path or 'the output'}: the README has an object, the output {out!r}"]
        seen.add(path)
        return compare_keys(doc, out, path, case, seen)
    if doc.kind == "array":
        if not isinstance(out, list):
            return [f"{path or 'the output'}: the README has a list, the output {out!r}"]
        if out:
            seen.add(path)
        element = doc.element
        if element is None:
            return []
        return [e for item in out for e in compare(element, item, f"{path}[]", case, seen)]
    return plain(doc, out, path)


def compare_keys(
    doc: Value, out: dict[str, Any], path: str, case: Case, seen: set[str]
) -> list[str]:
    """Each key of the README once (one of ``"a" or "b"``), no other, each value compared."""
    errors = []
    named = {n for m in doc.members for n in m.names}
    for extra in sorted(out.keys() - named):
        errors.append(f"{path}.{extra}: printed, not in the README".lstrip("."))
    for m in doc.members:
        present = [n for n in m.names if n in out]
        if len(present) != 1:
            errors.append(f"{path}.{' or '.join(m.names)}: in the README, printed {present}")
        for name in present:
            errors += compare(m.value, out[name], f"{path}.{name}".lstrip("."), case, seen)
    return errors


def plain(doc: Value, out: Any, path: str) -> list[str]:
    """A value that is neither an object nor a list, of the type the README gives it."""
    key = path.rsplit(".", 1)[-1]
    if isinstance(out, dict | list):
        return [f"{path}: the README has a plain value, the output {out!r}"]
    if doc.choices is not None and out not in doc.choices:
        return [f"{path}: {out!r} is not one of the README's {sorted(map(str, doc.choices))}"]
    whole = isinstance(out, int) and not isinstance(out, bool)
    if (doc.count or MINUTES.search(key)) and not whole:
        return [f"{path}: {out!r} is not a whole number"]
    money = MONEY.search(key)
    if money and not (isinstance(out, str) and DECIMAL.match(out)):
        return [f"{path}: {out!r} is not money as a decimal string"]
    if not money and TIME.search(key) and not (isinstance(out, str) and ISO.match(out)):
        return [f"{path}: {out!r} is not a time in ISO 8601 with its offset"]
    return []


def containers(doc: Value, path: str = "") -> Iterator[str]:
    """The paths of the objects, and of the lists of objects, a shape names (inside it too):
    an output compared with it should hold each one, or their keys would go unchecked."""
    if doc.kind == "object" or (doc.element is not None and doc.element.kind == "object"):
        yield path
    for m in doc.members:
        for name in m.names:
            yield from containers(m.value, f"{path}.{name}".lstrip("."))
    if doc.element is not None:
        yield from containers(doc.element, f"{path}[]")


# -- one ledger with every part of every shape -----------------------------------------------


def with_priorities() -> dict[str, Any]:
    """The default config, with a resolution target on variant 2 (for a resolve clock)."""
    from sla_cli.demo import DEMO_COMPANY

    doc = default_document()
    doc["company"].update(DEMO_COMPANY)
    doc["billing"]["vat"] = "20"
    doc["variants"]["2"]["priorities"] = [
        {"key": "normal", "reaction_hours": 1, "start_hours": 3},
        {"key": "urgent", "reaction_hours": 0.5, "start_hours": 1, "resolve_hours": 8},
    ]
    return doc


LEDGER = [
    ("contract", "add", "Acme", "--key", "ACME", "--variant", "1", "--tier", "basic",
     "--start", "2026-09-01", "--months", "12", "--prepaid-months", "12"),
    ("contract", "add", "Beta", "--key", "BETA", "--variant", "2", "--tier", "standard",
     "--start", "2026-09-01", "--months", "12", "--tz", "Asia/Yekaterinburg"),
    ("contract", "add", "Gamma", "--key", "GAMMA", "--variant", "3", "--tier", "optimal",
     "--start", "2026-09-01"),
    ("contract", "add", "Eps", "--key", "EPS", "--variant", "1", "--tier", "basic",
     "--start", "2026-12-01", "--months", "3"),
    ("contract", "cancel", "EPS", "--note", "signed by mistake"),
    ("contract", "prepay", "BETA", "--months", "2", "--note", "paid for two months"),
    ("contract", "end", "ACME", "--on", "2027-06-30", "--note", "the client asked"),
    ("log", "3h", "ACME-1", "--on", "2026-09-07"),
    ("log", "2h", "ACME-1", "--on", "2026-10-05", "--from", "10:00", "--note", "gateway"),
    ("log", "1h", "ACME-2", "--on", "2026-10-06", "--by", "boris"),
    ("log", "4h", "BETA-1", "--on", "2026-10-06", "--kind", "dev"),
    ("log", "2h", "GAMMA-1", "--on", "2026-10-07"),
    ("contract", "topup", "GAMMA", "--on", "2026-10-10"),
    ("void", "3"),
    ("incident", "open", "ACME-3", "--at", "2026-10-06T10:00", "--title", "Оплата"),
    ("incident", "ack", "ACME-3", "--at", "2026-10-06T13:00"),
    ("incident", "resolve", "ACME-3", "--at", "2026-10-07T12:00"),
    ("incident", "open", "BETA-2", "--at", "2026-10-07T10:00", "--priority", "urgent"),
    ("incident", "wait", "BETA-2", "--at", "2026-10-07T11:00"),
    ("incident", "resume", "BETA-2", "--at", "2026-10-08T11:00"),
    ("incident", "open", "GAMMA-2", "--at", "2026-11-23T10:00"),
    ("incident", "open", "ACME-9", "--at", "2026-11-20T10:00"),
    ("incident", "cancel", "ACME-9", "--note", "opened by mistake"),
    ("rollover", "--month", "2026-09"),
    ("start", "GAMMA-2", "--note", "looking"),
    ("client", "set", "ACME", "--full-name", "ООО «Акме»", "--inn", "7723456782", "--kpp",
     "772301001", "--address", "Москва"),
    ("invoice", "GAMMA", "--month", "2026-09"),
    ("paid", "1", "--on", "2026-10-05", "--amount", "1000.00"),
    ("paid", "1", "--on", "2026-10-06", "--amount", "500.00"),
]  # fmt: skip


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, empty_ledger: Path) -> Sla:
    folder = tmp_path_factory.mktemp("shapes")
    doc = with_priorities()
    doc["notify"]["routes"] = [{"name": "hook", "url": Hook().url}]  # a webhook on loopback
    write_config(folder / "config.toml", doc)
    shutil.copy(empty_ledger, folder / "ledger.db")
    sla = Sla(folder / "config.toml", sqlite_url(folder / "ledger.db"))
    for args in LEDGER:
        sla.ok(*args, env=NOW)
    return sla


def tampered(sla: Sla, folder: Path) -> Sla:
    """A copy of the ledger whose closed September was changed behind its guards."""
    shutil.copy(Path(sla.db_url.removeprefix("sqlite:///")), folder / "tampered.db")
    db = sqlite3.connect(folder / "tampered.db")
    db.executescript(
        "DROP TRIGGER entries_no_update;"
        "UPDATE entries SET minutes = minutes + 60 WHERE \"on\" < '2026-10-01' AND type = 'work';"
    )
    db.commit()
    db.close()
    return Sla(sla.config, sqlite_url(folder / "tampered.db"))


# -- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHAPES)
def test_the_readme_shape_is_what_the_command_prints(
    name: str, ledger: Sla, tmp_path: Path
) -> None:
    case = SHAPES[name]
    doc, _, _ = readme_shape(case)
    sla = tampered(ledger, tmp_path) if name == "verify" else ledger
    seen: set[str] = set()
    errors = []
    for args in case.before:
        sla.ok(*args, env=NOW)
    for args in case.runs:
        r = sla(*args, *(() if "--format" in args else ("--format", "json")), env=NOW)
        assert r.exit_code in (0, 1), f"sla {' '.join(args)}: {r.stderr}"
        errors += [f"sla {' '.join(args)}: {e}" for e in compare(doc, r.json(), "", case, seen)]
    assert not errors, "\n".join(dict.fromkeys(errors))  # each once, not once an element
    unseen = [p or "the output" for p in containers(doc) if p not in seen | case.any_type]
    assert unseen == [], "the test's ledger should print these non-empty"


def test_every_shape_in_the_readme_is_compared() -> None:
    """A shape the table does not name would go unchecked: each one is in ``SHAPES``."""
    spans = [readme_shape(case)[1:] for case in SHAPES.values()]
    openers = [m.start() for m in re.finditer(r'`[\[{][\["{]|```json', README)]
    spans += [(README.index(text), README.index(text) + len(text)) for text in NOT_JSON]
    loose = [README[p : p + 50] for p in openers if not any(a <= p + 1 < b for a, b in spans)]
    assert loose == [], "a JSON shape in the README that no case of SHAPES compares"


def test_every_command_that_prints_json_has_a_shape() -> None:
    def json_commands(cmd: Any, path: tuple[str, ...]) -> Iterator[str]:
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from json_commands(sub, (*path, name))
        for p in getattr(cmd, "params", []):
            if "--format" in p.opts and "json" in getattr(p.type, "choices", ()):
                yield " ".join(path)

    assert sorted(json_commands(get_command(app), ())) == sorted(SHAPES)


def test_the_comparison_finds_a_key_added_removed_or_renamed() -> None:
    """The comparison itself: a key more, a key less, a list's element, a type, a choice."""
    case = Case("", ())
    doc, _ = Notation(
        '{"closed": [{"month", "client", "burned_minutes", "overage_minutes", "carried_minutes"}],'
        ' "already_closed": ["YYYY-MM", …]}'
    ).shape(0)
    line: dict[str, Any] = {"month": "2026-10", "client": "A", "burned_minutes": 1,
                            "overage_minutes": 0, "carried_minutes": None}  # fmt: skip
    good = {"closed": [line], "already_closed": ["2026-09"]}

    def errors(out: Any) -> list[str]:
        return compare(doc, out, "", case, set())

    assert errors(good) == []
    renamed = {k: v for k, v in line.items() if k != "burned_minutes"} | {"burnt_minutes": 1}
    assert errors({**good, "closed": [renamed]}) == [
        "closed[].burnt_minutes: printed, not in the README",
        "closed[].burned_minutes: in the README, printed []",
    ]
    assert errors({**good, "extra": 1}) == ["extra: printed, not in the README"]
    assert errors({**good, "already_closed": "2026-09"})
    assert errors({**good, "closed": [{**line, "burned_minutes": "1"}]}) == [
        "closed[].burned_minutes: '1' is not a whole number"
    ]
    entries, _ = Notation('[{"on", "type" ("work"|"topup"), "kind" ("dev"|null)}]').shape(0)
    assert (
        compare(entries, [{"on": "2026-10-01", "type": "work", "kind": None}], "", case, set())
        == []
    )
    assert compare(
        entries, [{"on": "2026-10-01", "type": "bonus", "kind": "dev"}], "", case, set()
    ) == ["[].type: 'bonus' is not one of the README's ['topup', 'work']"]
