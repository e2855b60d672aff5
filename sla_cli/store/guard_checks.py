"""The database's guards as the ledger holds them, compared with what the revisions created
(``store.guards``), and the roles that may get past them.

Only the ledger's own schema is looked at on PostgreSQL (``current_schema()``): a trigger of
that name elsewhere guards nothing of this ledger, and neither does a function its triggers
call from another schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple

from sla_cli.store import guards
from sla_cli.store.base import Part

Problem = Literal["missing", "disabled", "changed"]
SHOWN = 200  # characters of a changed definition a problem quotes


class GuardProblem(NamedTuple):
    """A guard that is not as the revisions created it."""

    name: str  # a trigger, or (PostgreSQL) a function the triggers call
    problem: Problem
    detail: str  # what is wrong, in words


class BypassRole(NamedTuple):
    """A PostgreSQL role that can get past the guards, and how."""

    role: str
    why: str


class FoundTrigger(NamedTuple):
    """A PostgreSQL trigger of the ledger's schema, as ``pg_trigger`` holds it."""

    name: str
    table: str
    type: int  # tgtype
    enabled: str  # tgenabled: O fires in an ordinary session, D never, R on replicas, A always
    function: str
    function_schema: str
    own_function: bool  # the function is in the ledger's schema
    conditional: bool  # a WHEN condition
    columns: bool  # UPDATE OF some columns only
    arguments: int


class FoundFunction(NamedTuple):
    """A PostgreSQL function of the ledger's schema, as ``pg_proc`` holds it."""

    name: str
    language: str
    body: str
    settings: list[str] | None  # SET clauses (proconfig)


_PG_TRIGGERS = """
SELECT t.tgname AS name, c.relname AS "table", t.tgtype AS type, t.tgenabled AS enabled,
  p.proname AS function, p.pronamespace::regnamespace::text AS function_schema,
  p.pronamespace = current_schema()::regnamespace AS own_function,
  t.tgqual IS NOT NULL AS conditional, t.tgattr::text <> '' AS columns, t.tgnargs AS arguments
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
"""
_PG_FUNCTIONS = """
SELECT p.proname AS name, l.lanname AS language, p.prosrc AS body, p.proconfig AS settings
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = current_schema()::regnamespace AND p.proname IN (:names)
  AND p.pronargs = CASE p.proname WHEN :allowed THEN 2 ELSE 0 END
"""
# every role but the owner of the ledger's tables, and what it may do to get past the guards
_PG_ROLES = """
WITH owner AS (
  SELECT c.relowner AS oid FROM pg_class c
  WHERE c.relname = 'entries' AND c.relnamespace = current_schema()::regnamespace
)
SELECT r.rolname AS role, r.rolsuper AS superuser, pg_get_userbyid(o.oid) AS owner,
  pg_has_role(r.oid, o.oid, 'MEMBER') AS owner_member, {set} AS may_set, {alter} AS may_alter
FROM pg_roles r, owner o WHERE r.oid <> o.oid ORDER BY r.rolname
"""
REPLICATION_ROLE = "session_replication_role"
# on entries (0011; 0012 checks through sla_entry_allowed): each one's command, and its USING
# and WITH CHECK expressions as PostgreSQL prints them back
POLICIES = {
    "entries_read": ("SELECT", "true", None),
    "entries_add": ("INSERT", None, f"{guards.ENTRY_ALLOWED}(type, reverses)"),
}


def search_path(schema: str) -> str:
    """The one setting every guard function runs with (0012), for the ledger's schema as
    ``quote_ident`` writes it: its own tables, temporary ones last, so none stands in."""
    return f"search_path={schema}, pg_temp"


class GuardChecks(Part):
    """The guards a ledger holds, checked against what the revisions created."""

    def guard_problems(self) -> list[GuardProblem]:
        """Each guard missing, disabled or changed, by name (a name can be both disabled and
        changed)."""
        if self.db.dialect == "postgresql":
            triggers = [FoundTrigger(*r) for r in self.db.rows(_PG_TRIGGERS)]
            names = list(guards.pg_functions())
            rows = self.db.rows(_PG_FUNCTIONS, {"names": names, "allowed": guards.ENTRY_ALLOWED})
            schema = str(self.db.value("SELECT quote_ident(current_schema())"))
            functions = {r.name: FoundFunction(*r) for r in rows}
            problems = pg_problems(triggers, functions, search_path(schema))
            return problems + self._policy_problems()
        found = self.db.rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return sqlite_problems({name: sql for name, sql in found})

    def _policy_problems(self) -> list[GuardProblem]:
        """Row-level security on ``entries`` (revision 0011): on, not bypassed by FORCE off
        for its owner alone, with its two policies for everyone."""
        security = self.db.value(
            "SELECT relrowsecurity FROM pg_class WHERE relname = 'entries' "
            "AND relnamespace = current_schema()::regnamespace"
        )
        out = []
        if not security:
            out.append(GuardProblem("entries_row_security", "disabled", "row-level security off"))
        found = {
            r.name: r
            for r in self.db.rows(
                "SELECT policyname AS name, cmd, permissive, roles::text[] AS roles, qual, "
                "with_check FROM pg_policies "
                "WHERE schemaname = current_schema() AND tablename = 'entries'"
            )
        }
        for name, (cmd, using, check) in POLICIES.items():
            p = found.pop(name, None)
            if p is None:
                out.append(GuardProblem(name, "missing", "dropped"))
                continue
            changes = []
            if p.cmd != cmd or p.permissive != "PERMISSIVE" or list(p.roles) != ["public"]:
                changes.append(f"for {p.cmd} to {', '.join(p.roles)}")
            if p.qual != using:
                changes.append(f"USING {_quoted(p.qual or 'nothing')}")
            if p.with_check != check:
                changes.append(f"WITH CHECK {_quoted(p.with_check or 'nothing')}")
            if changes:
                out.append(GuardProblem(name, "changed", "; ".join(changes)))
        out.extend(GuardProblem(n, "changed", "a policy added by hand") for n in sorted(found))
        return out

    def missing_guards(self) -> list[str]:
        """The guards dropped or disabled, by name."""
        return missing(self.guard_problems())

    def bypass_roles(self) -> list[BypassRole]:
        """The PostgreSQL roles, other than the owner of the ledger's tables, that may disable
        or drop the guards or skip them (none on SQLite, which has no roles)."""
        if self.db.dialect != "postgresql":
            return []
        granted = self.db.number("SELECT current_setting('server_version_num')::int") >= 150000
        checks = {  # PostgreSQL 15 on lets a role be granted a superuser's setting
            which: (
                f"has_parameter_privilege(r.oid, '{REPLICATION_ROLE}', '{privilege}')"
                if granted
                else "false"
            )
            for which, privilege in (("set", "SET"), ("alter", "ALTER SYSTEM"))
        }
        out = []
        for r in self.db.rows(_PG_ROLES.format(**checks)):
            why = bypass_reasons(r.superuser, r.owner, r.owner_member, r.may_set, r.may_alter)
            if why:
                out.append(BypassRole(r.role, why))
        return out


def missing(problems: Iterable[GuardProblem]) -> list[str]:
    """The names of the guards dropped or disabled."""
    return sorted({p.name for p in problems if p.problem != "changed"})


def changed(problems: Iterable[GuardProblem]) -> list[GuardProblem]:
    """The guards whose definitions are not what the revisions created."""
    return [p for p in problems if p.problem == "changed"]


def bypass_reasons(
    superuser: bool, owner: str, owner_member: bool, may_set: bool, may_alter: bool
) -> str:
    """How a role may get past the guards, in words ('' when it may not)."""
    if superuser:
        return (
            "a superuser: may disable or drop the triggers, or set "
            f"{REPLICATION_ROLE} to replica, which skips them"
        )
    reasons = []
    if owner_member:
        reasons.append(
            f"a member of {owner}, which owns the ledger's tables: may disable or drop the triggers"
        )
    if may_set:
        reasons.append(
            f"granted SET on {REPLICATION_ROLE}: may set it to replica, which skips the triggers"
        )
    if may_alter:
        reasons.append(
            f"granted ALTER SYSTEM on {REPLICATION_ROLE}: may set it to replica for every "
            "session once the configuration is reloaded, which skips the triggers"
        )
    return "; ".join(reasons)


def _quoted(text: str) -> str:
    text = guards.collapsed(text)
    return f"«{text[:SHOWN]}…»" if len(text) > SHOWN else f"«{text}»"


def sqlite_problems(found: Mapping[str, str | None]) -> list[GuardProblem]:
    """The guard triggers of an SQLite ledger missing or changed; ``found``: each trigger's
    name and the text ``sqlite_master`` holds."""
    present = {name.lower(): sql or "" for name, sql in found.items()}
    out = []
    for name, text in sorted(guards.sqlite_triggers().items()):
        if name not in present:
            out.append(GuardProblem(name, "missing", "dropped"))
        elif guards.collapsed(present[name]) != guards.collapsed(text):
            out.append(GuardProblem(name, "changed", f"it now reads {_quoted(present[name])}"))
    return out


def pg_problems(
    triggers: Iterable[FoundTrigger], functions: Mapping[str, FoundFunction], path: str
) -> list[GuardProblem]:
    """The guard triggers and functions of a PostgreSQL ledger missing, disabled or changed;
    ``triggers``: every trigger of the ledger's schema, ``functions``: the guards' functions
    found there, by name; ``path``: the setting each function runs with (``search_path``)."""
    by_name: dict[str, list[FoundTrigger]] = {}
    for t in triggers:
        by_name.setdefault(t.name, []).append(t)
    out = []
    for name, want in sorted(guards.pg_triggers().items()):
        candidates = by_name.get(name, [])
        found = next((t for t in candidates if t.table == want.table), None)
        found = found or (candidates[0] if candidates else None)
        if found is None:
            out.append(GuardProblem(name, "missing", "dropped"))
            continue
        changes = _trigger_changes(want, found)
        if changes:
            out.append(GuardProblem(name, "changed", "; ".join(changes)))
        if found.enabled == "D":
            out.append(GuardProblem(name, "disabled", "disabled"))
        elif found.enabled == "R":
            out.append(GuardProblem(name, "disabled", "enabled for replica sessions only"))
    callers = Counter(t.function for t in guards.pg_triggers().values())
    for name, want_function in sorted(guards.pg_functions().items()):
        function = functions.get(name)
        n = callers[name]
        called = (
            f"the function {n} guard trigger{'s call' if n != 1 else ' calls'}"
            if n
            else "the function the row-level security of entries calls"
        )
        if function is None:
            out.append(GuardProblem(name, "missing", f"{called}, dropped"))
            continue
        changes = _function_changes(want_function, function, path)
        if changes:
            out.append(GuardProblem(name, "changed", "; ".join([called, *changes])))
    return out


def _trigger_changes(want: guards.PgTrigger, t: FoundTrigger) -> list[str]:
    out = []
    if t.table != want.table:
        out.append(f"it is on {t.table}, not {want.table}")
    if t.type != want.type:
        out.append(f"it fires {guards.fires(t.type)}, not {want.fires()}")
    if not t.own_function:
        out.append(f"it calls {t.function_schema}.{t.function}(), of another schema")
    elif t.function != want.function:
        out.append(f"it calls {t.function}(), not {want.function}()")
    if t.conditional:
        out.append("it fires only WHEN a condition holds")
    if t.columns:
        out.append("it fires only on an UPDATE OF some columns")
    if t.arguments:
        out.append("it is given arguments")
    if t.enabled == "A":
        out.append("it fires in replica sessions too (ENABLE ALWAYS)")
    return out


def _function_changes(want: guards.PgFunction, f: FoundFunction, path: str) -> list[str]:
    out = []
    if f.language != want.language:
        out.append(f"it is written in {f.language}, not {want.language}")
    if guards.collapsed(f.body) != want.body:
        out.append(f"its body now reads {_quoted(f.body)}")
    if list(f.settings or []) != [path]:
        out.append(
            f"it runs with {', '.join(f.settings)}" if f.settings else f"it runs without {path}"
        )
    return out
