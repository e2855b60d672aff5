"""A team ledger's table of names (``store.models`` holds it with the others): what the rows of
each database role carry as their author (revision 0012)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from sla_cli.store.columns import utc_column


class Person(SQLModel, table=True):
    """A database role's name in the ledger; a person's name is their latest row (a rename is
    a new row, as every ledger row is never changed)."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_login", "login"),)

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=100)  # the database role (session_user)
    name: str = Field(max_length=100)  # what its rows' authors read
    by: str = Field(max_length=100)
    created_at: datetime = utc_column()
