"""The OSC server: UDP datagrams received and parsed off the render thread, held until their
bundle's timetag, and handed to the render thread at a frame boundary.

One thread does nothing but receive and parse into a queue, with a large socket
buffer, so bursts of tens of thousands of messages a second are not lost while a
frame renders. Bad packets and refused senders are counted, never raised.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from pythonosc.osc_packet import OscPacket

log = logging.getLogger(__name__)

RECEIVE_BUFFER = 8 * 1024 * 1024  # bytes asked of the kernel: a quarter second of a heavy burst at least
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 9000


@dataclass(frozen=True, order=True)
class Received:
    """One message, due at `due` (wall-clock seconds): its bundle's timetag, or when it arrived."""

    due: float
    order: int
    address: str = field(compare=False)
    args: tuple = field(compare=False)
    sender: str = field(compare=False)


class Rejections:
    """Counts what was refused, by kind, and logs each kind at most once every few seconds."""

    def __init__(self, period: float = 5.0) -> None:
        self.period = period
        self.counts: Counter[str] = Counter()
        self._last: dict[str, float] = {}
        self._quiet: Counter[str] = Counter()
        self._lock = threading.Lock()  # the receive thread and the render thread both count

    def count(self, kind: str, detail: str) -> None:
        with self._lock:
            self.counts[kind] += 1
            now = time.monotonic()
            if now - self._last.get(kind, -self.period) < self.period:
                self._quiet[kind] += 1
                return
            self._last[kind] = now
            quiet, self._quiet[kind] = self._quiet[kind], 0
        more = f" ({quiet} more {kind} since the last report)" if quiet else ""
        log.warning("OSC %s: %s%s", kind, detail, more)


class OscServer:
    """Listens on UDP host:port (port 0 picks a free one); `take(now)` returns what is due, in order.

    `allow`: when given, only these sender addresses are heard (for a server on all interfaces).
    """

    def __init__(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow: frozenset[str] = frozenset()) -> None:
        self.allow = allow
        self.rejections = Rejections()
        self.received = 0
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._grow_buffer()
        try:
            self._socket.bind((host, port))
        except OSError as error:
            self._socket.close()
            raise OSError(f"cannot listen for OSC on udp://{host}:{port}: {error.strerror or error}") from None
        self._socket.settimeout(0.2)
        self.host, self.port = self._socket.getsockname()[:2]
        self._incoming: deque[Received] = deque()
        self._pending: list[Received] = []
        self._order = itertools.count()
        self._running = True
        self._thread = threading.Thread(target=self._receive, name="osc-receive", daemon=True)
        self._thread.start()

    def _grow_buffer(self) -> None:
        """Ask for a big receive buffer; as root, past the system's cap (SO_RCVBUFFORCE)."""
        force = getattr(socket, "SO_RCVBUFFORCE", None)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, force, RECEIVE_BUFFER)
        except (OSError, TypeError):
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)

    def _receive(self) -> None:
        while self._running:
            try:
                data, (sender, _) = self._socket.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            if self.allow and sender not in self.allow:
                self.rejections.count("refused sender", f"{sender} is not on the allow list")
                continue
            try:
                messages = OscPacket(data).messages
            except Exception as error:  # python-osc raises several kinds for a broken datagram
                self.rejections.count("malformed packet", f"{len(data)} bytes from {sender}: {error}")
                continue
            for timed in messages:
                self._incoming.append(Received(timed.time, next(self._order), timed.message.address, tuple(timed.message.params), sender))
                self.received += 1

    def take(self, now: float) -> list[Received]:
        """Every message due by `now`, in timetag then arrival order; later ones wait."""
        while self._incoming:
            heapq.heappush(self._pending, self._incoming.popleft())
        due = []
        while self._pending and self._pending[0].due <= now:
            due.append(heapq.heappop(self._pending))
        return due

    def close(self) -> None:
        self._running = False
        self._socket.close()
        self._thread.join(timeout=1.0)
