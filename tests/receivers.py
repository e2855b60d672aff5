"""Real receivers on loopback for the notices `sla notify` sends: an SMTP server (aiosmtpd) and
an HTTP server for webhooks, each recording what arrived."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """What an SMTP server on loopback received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = free_port()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    @property
    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}?from=sla@example.com&to=duty@example.com&mode=insecure"
        )

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


class Hook:
    """What a webhook on loopback received; ``status`` it answers, ``delay`` before it does."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        self.hanging = False  # hold each request until this is cleared, then lose it
        self.arrived = threading.Event()  # a request came in
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(size))
                hook.arrived.set()
                if hook.hanging:
                    while hook.hanging:
                        time.sleep(0.05)
                    return  # the sender is gone: nothing was taken
                time.sleep(hook.delay)
                if hook.status == 200:
                    hook.posts.append(body)
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/sla?rto=2&cto=2"

    def payloads(self) -> list[dict[str, Any]]:
        """The notices as sent: the JSON each webhook's message carries."""
        return [json.loads(p["message"]) for p in self.posts]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    try:
        yield h
    finally:
        h.server.shutdown()
        h.server.server_close()
