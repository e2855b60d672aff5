"""Sending a notice along a route, through Apprise (e-mail, Telegram, Slack, Mattermost, Teams,
a JSON webhook, …). A route's URL is a secret: it comes from the config, an environment
variable or a file only its owner can read, and messages name its scheme and host only."""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import urlsplit

from sla_cli.domain.alerts import Route
from sla_cli.errors import InputError
from sla_cli.files import read_secret

__all__ = ["route_url", "send", "shown"]

_JSON = ("json", "jsons")  # Apprise's JSON webhook: the body carries the notice's own payload


def shown(url: str) -> str:
    """What a message may say of a URL: its scheme and host, never a token or a password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" if parts.scheme else "(a URL)"


def route_url(route: Route) -> str:
    """The route's URL: as the config writes it, or read from its variable or its file (which
    must be a regular file only its owner can read or write)."""
    if route.url:
        return route.url
    if route.url_env:
        found = os.environ.get(route.url_env, "").strip()
        if not found:
            raise InputError(f"route {route.name}: the variable {route.url_env} is not set")
        return found
    return read_secret(route.url_file, f"route {route.name}")


def send(url: str, payload: dict[str, object]) -> str | None:
    """Deliver one notice; None when delivered, else what went wrong (without the URL's
    secrets). Apprise bounds each connection and read (4 s each by default; ``cto`` and
    ``rto`` in the URL change them)."""
    import apprise

    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # it would print URLs
    sender = apprise.Apprise()
    if not sender.add(url):
        return f"{shown(url)}: not a URL Apprise can send to"
    scheme = urlsplit(url).scheme.lower()
    body = json.dumps(payload, ensure_ascii=False) if scheme in _JSON else str(payload["body"])
    try:
        ok = sender.notify(title=str(payload["subject"]), body=body)
    except Exception as e:  # a plugin's own failure: say which, never the URL
        return f"{shown(url)}: {type(e).__name__}"
    return None if ok else f"{shown(url)}: not delivered (refused, unreachable or timed out)"
