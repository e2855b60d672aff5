"""Mail intake: each message opens an incident, threads onto one, waits for a decision, or is
set aside; once per message (its key in ``mail_messages``, written with what it did)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sla_cli.domain.intake import (
    IntakeTerms,
    Mail,
    Outcome,
    clean_title,
    client_of,
    priority_of,
    ticket_tag,
    written_at,
)
from sla_cli.domain.text import MAX_USER, ticket_key
from sla_cli.errors import InputError, NotFound
from sla_cli.ops.incidents import open_incident, reopen_incident, wait_or_resume
from sla_cli.ops.lookup import client_by_key

if TYPE_CHECKING:
    from sla_cli.domain.incidents import IncidentRecord
    from sla_cli.domain.records import ClientRecord
    from sla_cli.store.store import Store


def take(
    s: Store, mail: Mail, source: str, terms: IntakeTerms, zone: str, user: str, now: datetime
) -> Outcome:
    """Act on one message in the store's transaction, and record that it was read."""
    s.lock_mail(mail.key)  # a second run reading it waits, then finds it read
    if s.mail_read([mail.key]):
        return _outcome(mail, source, "seen", None, now)
    if mail.problem is not None:
        return record(s, mail, source, "set_aside", mail.problem, user, now)
    if mail.automatic is not None:
        return record(s, mail, source, "ignored", mail.automatic, user, now)
    key = client_of(mail.sender, dict(terms.senders))
    if key is None:
        return record(s, mail, source, "pending", "unknown sender", user, now)
    client = client_by_key(s, key)
    s.lock_client(client.key)
    at = written_at(mail, now)
    found = _thread(s, mail, client)
    if found is not None and found.cancelled is None:
        threaded = _on(s, found, at, terms, zone, user, now)
        if threaded is not None:
            return record(s, mail, source, threaded, None, user, now, client, found)
    incident = _open(s, mail, client, at, terms, zone, user, now, reuse_tag=found is None)
    return record(s, mail, source, "opened", None, user, now, client, incident)


def _thread(s: Store, mail: Mail, client: ClientRecord) -> IncidentRecord | None:
    """The incident the message answers: by its references, else by the ticket tag."""
    found = s.mail_incident(client.id, mail.refers_to)
    if found is not None:
        return s.incident(found)
    tag = ticket_tag(mail.subject)
    if tag is not None and ticket_key(tag) == client.key:
        return s.latest_incident(client.id, tag, open_only=False)
    return None


def _on(
    s: Store, incident: IncidentRecord, at: datetime, terms: IntakeTerms, zone: str, user: str,
    now: datetime,
) -> str | None:  # fmt: skip
    """What a reply does to its incident: resumes it, reopens it, or is recorded on it; None:
    it is resolved too long ago, and the reply is a new request."""
    resolved = incident.resolved_at
    if resolved is None:
        if incident.waiting and terms.resume_waiting and at >= incident.state.waits[-1].start:
            try:
                wait_or_resume(s, incident.ticket, False, at, None, zone, user, now,
                               incident.client.key)  # fmt: skip
            except InputError:  # written before a later event of the incident
                return "reply"
            return "resumed"
        return "reply"
    if at <= resolved:
        return "reply"  # written before the resolution: it changes nothing
    if terms.reopen_days and at - resolved <= timedelta(days=terms.reopen_days):
        latest = s.latest_incident(incident.client.id, incident.ticket, open_only=False)
        if latest is not None and latest.id == incident.id:
            try:
                reopen_incident(s, incident.ticket, at, "a reply by mail", zone, user, now,
                                incident.client.key)  # fmt: skip
            except InputError:  # another incident of the ticket is open
                return "reply"
            return "reopened"
    return None


def _open(
    s: Store, mail: Mail, client: ClientRecord, at: datetime, terms: IntakeTerms, zone: str,
    user: str, now: datetime, reuse_tag: bool = True,
) -> IncidentRecord:  # fmt: skip
    """A new request: an incident on the ticket the subject tags (one of the client's with no
    incident open yet), else the client's next number."""
    tag = ticket_tag(mail.subject) if reuse_tag else None
    taken = tag is not None and s.latest_incident(client.id, tag, open_only=True) is not None
    if tag is None or ticket_key(tag) != client.key or taken:
        tag = f"{client.key}-{s.next_ticket_number(client.id)}"
    priority = priority_of(mail.subject, dict(terms.priorities))
    if priority is not None:
        from zoneinfo import ZoneInfo

        contract = s.contract_on(client.id, at.astimezone(ZoneInfo(zone)).date())
        if contract is None or priority not in {p.key for p in contract.priority_table}:
            priority = None  # the contract has no such priority: its default
    title = clean_title(mail.subject)
    return open_incident(s, tag, at, title, client.key, zone, user, now, priority)


def record(
    s: Store, mail: Mail, source: str, outcome: str, reason: str | None, user: str,
    now: datetime, client: ClientRecord | None = None, incident: IncidentRecord | None = None,
) -> Outcome:  # fmt: skip
    """Record the message as read, with what became of it."""
    at = None if mail.problem and mail.sender is None else written_at(mail, now)
    s.add_mail(
        {"key": mail.key, "message_id": mail.message_id, "sender": mail.sender,
         "subject": mail.subject or None, "written_at": at, "source": source[:16],
         "outcome": outcome, "reason": None if reason is None else reason[:500],
         "client_id": None if client is None else client.id,
         "incident_id": None if incident is None else incident.id, "by": user[:MAX_USER]}
    )  # fmt: skip
    ticket = None if incident is None else incident.ticket
    return _outcome(mail, source, outcome, reason, now, None if client is None else client.key,
                    ticket)  # fmt: skip


def _outcome(
    mail: Mail, source: str, outcome: str, reason: str | None, now: datetime,
    client: str | None = None, ticket: str | None = None,
) -> Outcome:  # fmt: skip
    at = None if mail.problem else written_at(mail, now)
    return Outcome(source, mail.key, mail.sender, mail.subject, at, outcome, reason, client,
                   ticket)  # fmt: skip


def assign(
    s: Store, message_id: int, client_key: str | None, terms: IntakeTerms, zone: str, user: str,
    now: datetime,
) -> tuple[str, str | None]:  # fmt: skip
    """Decide on a pending message: open an incident for the client ``client_key`` as the
    message would have (its tag, its priority by the subject's keywords), or dismiss it (None).
    The ticket opened, or None."""
    row = s.mail_message(message_id)
    if row is None or row.outcome not in ("pending", "set_aside"):
        raise NotFound(f"no pending message {message_id}; `sla intake --pending` lists them")
    if row.decided is not None:
        raise InputError(f"message {message_id} was decided already: {row.decided}")
    if client_key is None:
        s.add_mail_decision(row.id, None, None, user)
        return "dismissed", None
    client = client_by_key(s, client_key)
    s.lock_client(client.key)
    mail = Mail(row.key, None, row.sender, row.subject or "", row.written_at, None, (), None,
                None)  # fmt: skip
    at = row.written_at or row.created_at
    incident = _open(s, mail, client, at, terms, zone, user, now)
    s.add_mail_decision(row.id, client.id, incident.id, user)
    return "assigned", incident.ticket
