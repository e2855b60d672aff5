"""The intake's tables (``store.models`` holds them with the others): the mail read, and the
decisions on the messages that waited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from sla_cli.store.columns import utc_column


class MailMessage(SQLModel, table=True):
    """A message the intake read, once (``key``: its Message-ID, or a digest of its headers),
    and what became of it; never its body."""

    __tablename__ = "mail_messages"
    __table_args__ = (
        UniqueConstraint("key", name="uq_mail_messages_key"),
        Index("ix_mail_messages_incident", "incident_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300)
    message_id: str | None = Field(default=None, max_length=300)
    sender: str | None = Field(default=None, max_length=320)
    subject: str | None = Field(default=None, max_length=500)
    written_at: datetime | None = utc_column(nullable=True)  # when the client wrote
    source: str = Field(max_length=16)  # stdin, maildir, imap
    outcome: str = Field(max_length=16)  # opened, reply, resumed, reopened, pending, ...
    reason: str | None = Field(default=None, max_length=500)
    client_id: int | None = Field(default=None, foreign_key="clients.id")
    incident_id: int | None = Field(default=None, foreign_key="incidents.id")
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()


class MailDecision(SQLModel, table=True):
    """What became of a pending message: assigned to a client (and the incident it opened),
    or dismissed (no client)."""

    __tablename__ = "mail_decisions"
    __table_args__ = (UniqueConstraint("message_id", name="uq_mail_decisions_message"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="mail_messages.id")
    client_id: int | None = Field(default=None, foreign_key="clients.id")
    incident_id: int | None = Field(default=None, foreign_key="incidents.id")
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()
