"""`sla intake --maildir` over a folder of client mail, then again over the same folder.

    python bench/intake.py [--messages N] [--clients N]

Builds an SQLite ledger of ``--clients`` (default 10) variant 1 contracts and a Maildir of
``--messages`` (default 1,000) messages from their domains: new requests, replies to earlier
ones (by References), auto-replies, and mail from unknown senders. Then `sla intake` reads the
folder (every message acts) and reads it again (each one read before: nothing changes), and
the wall times are printed with the incidents opened. Prints figures; not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import sla_command

from sla_cli.config.defaults import default_document, write_config

NOW = "2026-11-24T12:00:00+03:00"


def message(n: int, clients: int) -> bytes:
    client = n % clients
    day, minute = 2 + n * 20 // 1440, n * 20 % 1440
    when = f"{day} Nov 2026 {minute // 60:02d}:{minute % 60:02d}:00 +0300"
    head = f"From: user{n}@client{client}.example\r\nDate: {when}\r\nMessage-ID: <m{n}@bench>\r\n"
    head = f"Received: from mx by mail.example.ru; {when}\r\n" + head
    if n % 20 == 7:
        head = head.replace("@client", "@stranger")  # an unknown sender: pending
    elif n % 20 == 11:
        head += "Auto-Submitted: auto-replied\r\n"
    elif n % 5 == 3 and n >= 10:
        head += f"In-Reply-To: <m{n - 3 * clients}@bench>\r\n"
    subject = "=?utf-8?b?0KHRgNC+0YfQvdC+OiDQvdC1INGA0LDQsdC+0YLQsNC10YI=?="  # Срочно: …
    return (head + f"Subject: Re: {subject} {n}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "\r\n" + "Текст обращения.\r\n" * 20).encode()  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    sla = sla_command()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        doc = default_document()
        doc["intake"]["senders"] = {f"client{c}.example": f"C{c}" for c in range(args.clients)}
        write_config(folder / "config.toml", doc)
        env = {**os.environ, "SLA_CONFIG": str(folder / "config.toml"), "SLA_NOW": NOW,
               "SLA_DATABASE_URL": str(folder / "ledger.db"), "SLA_USER": "bench"}  # fmt: skip
        subprocess.run([*sla, "init", "--force"], env=env, check=True, capture_output=True)
        for c in range(args.clients):
            subprocess.run(
                [*sla, "contract", "add", f"Client {c}", "--key", f"C{c}", "--variant", "1",
                 "--tier", "basic", "--start", "2026-11-01", "--months", "12"],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
        box = mailbox.Maildir(folder / "Maildir", create=True)
        for n in range(args.messages):
            box.add(message(n, args.clients))
        command = [*sla, "intake", "--maildir", str(folder / "Maildir"), "--format", "json"]
        for label in ("first read", "read again"):
            start = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, check=False)
            took = time.perf_counter() - start
            outcomes = [x["outcome"] for x in json.loads(done.stdout)]
            counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
            print(f"{label}: {len(outcomes)} messages in {took:.2f} s (exit {done.returncode}): "
                  + ", ".join(f"{o} {k}" for o, k in counts.items()))  # fmt: skip


if __name__ == "__main__":
    main()
