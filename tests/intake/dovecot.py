"""A Dovecot IMAP server on loopback for the intake's tests: its own config, users and
self-signed certificate in a temporary folder, on a free port; skipped without the binary."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "intake", "s3cret-Пароль"


@dataclass
class Dovecot:
    port: int
    cert: Path

    def client(self) -> object:
        import imaplib
        import ssl

        context = ssl.create_default_context(cafile=str(self.cert))
        box = imaplib.IMAP4_SSL("127.0.0.1", self.port, timeout=10, ssl_context=context)
        plain = f"\0{USER}\0{PASSWORD}".encode()
        box.authenticate("PLAIN", lambda _: plain)
        return box


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot",) if os.access(p, os.X_OK)), None
    )


def _config(root: Path, port: int, uid: int, gid: int, internal: str, login: str) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:~/Maildir
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    binary, openssl = _binary(), shutil.which("openssl")
    if binary is None or openssl is None:
        pytest.skip("no dovecot (Debian's dovecot-imapd) or openssl: the IMAP tests need them")
    root = Path(tempfile.mkdtemp(prefix="sla-dovecot-"))
    root.chmod(0o755)  # the mail user reads its home below it
    try:
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True, capture_output=True,
        )  # fmt: skip
        (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
        (root / "home").mkdir()
        if os.getuid() == 0:  # Dovecot serves no mail as root: as nobody, its own users else
            import pwd

            nobody = pwd.getpwnam("nobody")
            uid, gid, internal, login = nobody.pw_uid, nobody.pw_gid, "dovecot", "dovenull"
            os.chown(root / "home", uid, gid)
        else:
            import getpass

            uid, gid = os.getuid(), os.getgid()
            internal = login = getpass.getuser()
        port = _free_port()
        conf = root / "dovecot.conf"
        conf.write_text(_config(root, port, uid, gid, internal, login), encoding="utf-8")
        errors = root / "start.log"  # not a pipe: the daemon it leaves keeps its ends open
        with errors.open("wb") as log:
            started = subprocess.run([binary, "-c", str(conf)], stdout=log, stderr=log)
        if started.returncode != 0:
            said = errors.read_text(encoding="utf-8", errors="replace").strip()[:200]
            pytest.skip(f"dovecot did not start: {said}")
        server = Dovecot(port, root / "cert.pem")
        for _ in range(50):
            try:
                server.client()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.skip("dovecot did not answer on loopback")
        yield server
        subprocess.run([binary, "-c", str(conf), "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)
