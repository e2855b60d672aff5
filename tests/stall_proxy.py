"""A loopback TCP proxy to a database server that can be told to stop forwarding.

It stands for a network that stalls mid-transaction (a NAT, a VPN, a load balancer that stops
passing packets while both sockets stay open): once stalled, it still reads what each side
sends, so the sender's kernel sees its data acknowledged, and passes none of it on. It stalls
when told to (``stall``), or when the client has sent ``pattern`` (say, the text of a statement)
for the ``nth`` time (or, with ``then``, the first ``then`` it sends after that): before passing
that statement on, or (``after``) once it has, so that the server runs it and its answer is
lost.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType


class StallingProxy:
    def __init__(
        self,
        upstream: tuple[str, int],
        pattern: bytes | None = None,
        nth: int = 1,
        after: bool = False,
        then: bytes | None = None,
    ):
        self.upstream = upstream
        self.pattern = pattern
        self.nth = nth
        self.after = after  # pass the matching statement on, then stall (its answer is lost)
        self.then = then  # once ``pattern`` came ``nth`` times, stall at this one instead
        self.seen = 0  # how many times the client sent ``pattern``
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._sockets: list[socket.socket] = []
        self._closing = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    @property
    def port(self) -> int:
        return int(self._server.getsockname()[1])

    def url(self, base: str) -> str:
        """``base`` (a PostgreSQL URL to ``upstream``) through this proxy."""
        host, port = self.upstream
        for old in (f"@{host}:{port}/", f"@{host}/"):
            if old in base:
                return base.replace(old, f"@127.0.0.1:{self.port}/", 1)
        raise ValueError(f"{base} does not name {host}:{port}")

    def stall(self) -> None:
        self.stalled.set()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                continue
            server = socket.create_connection(self.upstream)
            with self._lock:
                self._sockets += [client, server]
            for src, dst, watch in ((client, server, True), (server, client, False)):
                t = threading.Thread(target=self._pump, args=(src, dst, watch), daemon=True)
                t.start()
                self._threads.append(t)

    def _pump(self, src: socket.socket, dst: socket.socket, watch: bool) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                return
            if not data:  # one side closed: close the other (a stalled link passes nothing)
                if not self.stalled.is_set():
                    _close(dst)
                return
            drop = self.stalled.is_set()
            if watch and self.pattern is not None and not drop:
                with self._lock:
                    armed = self.seen >= self.nth
                    self.seen += data.count(self.pattern)
                    if self.then is not None and armed and self.then in data:
                        trigger = True
                    else:
                        trigger = self.then is None and self.seen >= self.nth
                    if trigger:
                        self.stalled.set()
                        drop = not self.after
            if drop:
                continue  # read and dropped: the sender's kernel sees it acknowledged
            try:
                dst.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self._closing.set()
        with self._lock:
            for s in self._sockets:
                _close(s)
        self._server.close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> StallingProxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()
