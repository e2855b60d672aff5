"""The intake tests' Dovecot on loopback."""

from tests.intake.dovecot import dovecot

__all__ = ["dovecot"]
