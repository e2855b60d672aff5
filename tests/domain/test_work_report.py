"""The work report from a month's entries: tickets by hours, titles, engineers, days, kinds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.kinds import EntryType, WorkKind
from sla_cli.domain.records import EntryRecord
from sla_cli.domain.work_report import NO_TICKET, work_report

STAMP = datetime(2026, 11, 1, tzinfo=UTC)


def entry(n: int, ticket: str | None, day: int, minutes: int, kind: WorkKind = WorkKind.SUPPORT,
          by: str = "anna", note: str | None = None) -> EntryRecord:  # fmt: skip
    return EntryRecord(
        n, 1, 1, "ACME", ticket, date(2026, 10, day), minutes, EntryType.WORK, EntryType.WORK,
        kind, None, None, by, note, None, STAMP,
    )  # fmt: skip


def test_tickets_come_with_most_hours_first_and_their_titles() -> None:
    found = work_report(
        [
            entry(1, "ACME-2", 3, 60, note="Первая заметка"),
            entry(2, "ACME-1", 2, 30, WorkKind.DEV, "boris"),
            entry(3, "ACME-1", 1, 45, by="vera", note="Разбор"),
            entry(4, None, 4, 90, note="Совещание"),
            entry(5, "ACME-3", 5, 75),
        ],
        {"ACME-1": "Падает выгрузка", "ACME-3": None},
    )
    assert [t.ticket for t in found] == [NO_TICKET, "ACME-1", "ACME-3", "ACME-2"]
    no_ticket, one, three, two = found
    assert (no_ticket.title, no_ticket.incident) == ("Совещание", False)
    assert (one.title, one.incident, one.support_minutes, one.dev_minutes) == (
        "Падает выгрузка", True, 45, 30,
    )  # fmt: skip
    assert one.engineers == ("boris", "vera")  # in the order they first worked on it
    assert one.days == (date(2026, 10, 1), date(2026, 10, 2))
    assert (three.title, three.incident) == ("", True)  # an incident without a title or notes
    assert (two.title, two.incident) == ("Первая заметка", False)


def test_tickets_of_equal_hours_are_in_ticket_order_work_without_a_ticket_last() -> None:
    found = work_report([entry(1, "B-1", 1, 60), entry(2, None, 1, 60), entry(3, "A-1", 1, 60)], {})
    assert [t.ticket for t in found] == ["A-1", "B-1", NO_TICKET]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A-1", "A-2", "B-7", None]),
            st.integers(1, 31),
            st.integers(1, 600),
            st.sampled_from(list(WorkKind)),
        ),
        max_size=40,
    )
)
def test_the_tickets_add_up_to_every_entry_by_kind(
    rows: list[tuple[str | None, int, int, WorkKind]],
) -> None:
    entries = [entry(n, t, d, m, k) for n, (t, d, m, k) in enumerate(rows, 1)]
    found = work_report(entries, {})
    assert sum(t.minutes for t in found) == sum(e.minutes for e in entries)
    dev = sum(e.minutes for e in entries if e.kind == WorkKind.DEV)
    assert sum(t.dev_minutes for t in found) == dev
    assert sum(len(t.log) for t in found) == len(entries)
    assert [t.minutes for t in found] == sorted((t.minutes for t in found), reverse=True)
