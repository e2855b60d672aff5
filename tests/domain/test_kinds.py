"""The closed sets print as SPEC §5 spells them: scripts compare these strings."""

from __future__ import annotations

from sla_cli.domain.kinds import CLOSE_TYPES, Billing, EntryType, WorkKind


def test_values_are_the_json_strings() -> None:
    assert [str(t) for t in EntryType] == [
        "work", "topup", "burn", "overage", "carry", "reversal",
    ]  # fmt: skip
    assert [str(k) for k in WorkKind] == ["support", "dev"]
    assert [str(b) for b in Billing] == ["monthly", "package"]
    assert {str(t) for t in CLOSE_TYPES} == {"burn", "overage", "carry"}
    assert EntryType("work") == "work" and f"{WorkKind.DEV}" == "dev"
