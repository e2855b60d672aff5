"""The intake's reading of real-shaped messages (tests/intake/mail): each with its outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_cli.domain.intake import (
    Mail,
    clean_title,
    client_of,
    priority_of,
    read_mail,
    ticket_tag,
    written_at,
)

CORPUS = Path(__file__).parent / "mail"
NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)


def mail(name: str) -> Mail:
    return read_mail((CORPUS / name).read_bytes())


# name: sender, title, tag, when the client wrote (UTC), automatic, problem
EXPECTED = {
    "outlook_new.eml": ("ivanov@acme.ru", "Срочно: не работает сайт", None,
                        datetime(2026, 4, 10, 15, 40, 12, tzinfo=UTC), None, None),
    "thunderbird_reply.eml": ("petrov@acme.ru", "Не работает сайт", "ACME-12",
                              datetime(2026, 4, 14, 8, 4, 58, tzinfo=UTC), None, None),
    "koi8_reply.eml": ("sidorov@acme.ru", "Ошибка в отчёте", None,
                       datetime(2026, 3, 11, 6, 30, tzinfo=UTC), None, None),
    "forwarded_chain.eml": ("ivanov@acme.ru", "Проблема с почтой", None,
                            datetime(2026, 3, 12, 11, 0, tzinfo=UTC), None, None),
    "auto_reply.eml": ("ivanov@acme.ru", "Автоответ: Re: Не работает сайт", "ACME-12",
                       datetime(2026, 3, 12, 11, 1, tzinfo=UTC), "Auto-Submitted: auto-replied",
                       None),
    "bounce.eml": ("mailer-daemon@mail.example.ru", "Undelivered Mail Returned to Sender", None,
                   datetime(2026, 3, 12, 11, 2, tzinfo=UTC), "a delivery status report", None),
    "no_date.eml": ("ivanov@acme.ru", "Нет даты", None,  # the first hop, not the last
                    datetime(2026, 3, 13, 7, 15, tzinfo=UTC), None, None),
    "future_date.eml": ("ivanov@acme.ru", "Clock ahead", None,  # a week ahead: the first hop
                        datetime(2026, 3, 13, 8, 0, tzinfo=UTC), None, None),
    "no_from.eml": (None, "Who am I", None, datetime(2026, 3, 13, 8, 0, tzinfo=UTC), None,
                    "no From address"),
    "broken_mime.eml": ("ivanov@acme.ru", "Broken", None, datetime(2026, 3, 13, 8, 0, tzinfo=UTC),
                        None, "broken MIME (NoBoundaryInMultipartDefect)"),
    "control_subject.eml": ("ivanov@acme.ru", "(no subject)", None,
                            datetime(2026, 3, 13, 8, 0, tzinfo=UTC), None,
                            "a subject of control characters only"),
    "unknown_sender.eml": ("someone@other.example", "Can you help?", None,
                           datetime(2026, 3, 13, 9, 0, tzinfo=UTC), None, None),
}  # fmt: skip


def test_the_corpus_is_covered() -> None:
    assert {p.name for p in CORPUS.glob("*.eml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_message_reads_as_expected(name: str) -> None:
    sender, title, tag, when, automatic, problem = EXPECTED[name]
    m = mail(name)
    assert (m.sender, clean_title(m.subject), ticket_tag(m.subject)) == (sender, title, tag)
    assert (written_at(m, NOW), m.automatic, m.problem) == (when, automatic, problem)


def test_replies_name_what_they_answer_nearest_first() -> None:
    m = mail("thunderbird_reply.eml")
    assert m.refers_to == ("<reply-1@example.ru>", "<A1B2C3D4E5F6@EXCH01.acme.local>")
    assert m.key == m.message_id == "<5e6f7a8b-1111-2222-3333-444455556666@acme.ru>"


def test_the_key_from_the_header_lines_is_the_parsed_message_id() -> None:
    for path in CORPUS.glob("*.eml"):
        m = mail(path.name)
        assert m.key == (m.message_id or m.key), path.name
    folded = b"From: a@b.c\r\nMessage-ID:\r\n <folded@x>\r\nSubject: s\r\n\r\nbody"
    assert read_mail(folded).key == read_mail(folded).message_id == "<folded@x>"


def test_a_message_without_an_id_is_known_by_its_headers() -> None:
    raw = (CORPUS / "unknown_sender.eml").read_bytes()
    assert read_mail(raw).key.startswith("sha256:")
    assert read_mail(raw).key == read_mail(raw.replace(b"Hello.", b"Other body")).key
    assert read_mail(raw).key != read_mail(raw.replace(b"help?", b"help!")).key


def test_a_huge_message_is_set_aside_unread() -> None:
    raw = (CORPUS / "outlook_new.eml").read_bytes() + b"x" * (30 * 2**20)
    m = read_mail(raw)
    assert m.problem == "30 MB, over the limit of 25 MB"
    assert m.key == "<A1B2C3D4E5F6@EXCH01.acme.local>"  # known by its header lines alone


def _at(date: datetime | None, hop: datetime | None) -> Mail:
    return Mail("k", None, "a@b.c", "s", date, hop, (), None, None)


def test_the_date_is_bounded_by_the_first_hop_and_now() -> None:
    hop = datetime(2026, 4, 10, 15, 40, tzinfo=UTC)
    assert written_at(_at(hop - timedelta(hours=3), hop), NOW) == hop - timedelta(hours=3)
    assert written_at(_at(hop - timedelta(days=2), hop), NOW) == hop  # a stale Date
    assert written_at(_at(hop + timedelta(minutes=5), hop), NOW) == hop  # after it arrived
    assert written_at(_at(None, None), NOW) == NOW
    assert written_at(_at(NOW + timedelta(days=7), None), NOW) == NOW  # never in the future
    assert written_at(_at(None, NOW + timedelta(hours=1)), NOW) == NOW


@given(st.datetimes(timezones=st.just(UTC)), st.none() | st.datetimes(timezones=st.just(UTC)))
def test_the_moment_is_never_after_now_nor_after_the_first_hop(
    date: datetime, hop: datetime | None
) -> None:
    found = written_at(_at(date, hop), NOW)
    assert found <= NOW
    if hop is not None and hop <= NOW:
        assert hop - timedelta(days=1, seconds=1) <= found <= hop


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Re: RE: Fwd: [ACME-12] Сайт", "Сайт"),
        ("Отв: Отв: Ошибка", "Ошибка"),
        ("FW: Re[2]: printer", "printer"),
        ("Пересл: [acme-7] тест", "тест"),
        ("Refund request", "Refund request"),  # "Re" only as a prefix with its colon
        ("", "(no subject)"),
    ],
)
def test_titles_lose_prefixes_and_the_tag(subject: str, title: str) -> None:
    assert clean_title(subject) == title


def test_tags_name_a_ticket() -> None:
    assert ticket_tag("Re: [acme-7] тест") == "ACME-7"
    assert ticket_tag("no tag [ACME] here [12]") is None


def test_senders_map_by_address_then_domain() -> None:
    senders = {"boss@acme.ru": "boss", "acme.ru": "acme", "@globex.com": "glx"}
    assert client_of("boss@acme.ru", senders) == "BOSS"
    assert client_of("ivanov@acme.ru", senders) == "ACME"
    assert client_of("x@mail.globex.com", senders) == "GLX"  # a subdomain
    assert client_of("x@other.example", senders) is None
    assert client_of(None, senders) is None


def test_priority_from_the_subject() -> None:
    words = {"срочно": "high", "urgent": "high"}
    assert priority_of("СРОЧНО: упал сайт", words) == "high"
    assert priority_of("вопрос", words) is None


@given(st.binary(max_size=2000))
def test_any_bytes_read_without_raising(raw: bytes) -> None:
    m = read_mail(raw)
    assert m.key
    assert m.problem is not None or m.sender is not None
