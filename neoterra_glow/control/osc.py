"""The OSC server: UDP datagrams received and parsed in a process of their own, held until
their bundle's timetag, and handed to the render thread at a frame boundary.

Why a process: a receiving *thread* shares the interpreter lock with the render
thread, and every recvfrom gives the lock up, so under load it gets one datagram
per switch interval and the kernel drops the rest (python-osc's servers lose most
of a 20,000 message/s stream while a frame renders). The receiving process owns
the socket, parses, and sends batches down a pipe that the render thread drains.
Bad packets and refused senders are counted, never raised.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import multiprocessing
import socket
import time

from neoterra_glow.control.message import Control
from neoterra_glow.core.children import leave_ctrl_c_to_the_show
from neoterra_glow.core.rejections import Rejections

log = logging.getLogger(__name__)

RECEIVE_BUFFER = 8 * 1024 * 1024  # bytes asked of the kernel, for bursts while a batch is sent
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 9000
BATCH = 512  # messages per batch at most: a batch is what was waiting when the first arrived
BATCH_BYTES = 2**20  # and about this many bytes of datagrams: a batch of 60 KB strings is no 30 MB burst
IDLE_SECONDS = 0.05  # how often an idle receiver looks for the order to stop
HORIZON_SECONDS = 600.0  # a bundle timed further ahead than this is refused, not held
MAX_PENDING = 20_000  # messages held for their timetags at most; more are refused
MAX_HELD_BYTES = 16 * 2**20  # and bytes held at most (a sender's 60 KB strings, timed far ahead): more are refused
HELD_OVERHEAD = 256  # bytes a held message costs besides its datagram: the Control, its tuple, the heap's entry


class OscServer:
    """Listens on UDP host:port (port 0 picks a free one); `take(now)` returns what is due, in order.

    `allow`: when given, only these sender addresses are heard (for a server on all interfaces).
    """

    def __init__(self, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, allow: frozenset[str] = frozenset()) -> None:
        self.rejections = Rejections("OSC ")
        self.restarts = 0
        self._received = 0
        self._pending: list[tuple[float, int, Control, int]] = []  # (due: the bundle's timetag or arrival, order, message, bytes)
        self.held_bytes = 0  # what the pending messages cost, as counted against MAX_HELD_BYTES
        self._order = itertools.count()
        self._allow = allow
        self.host, self.port = host, self._start(host, port)

    def _start(self, host: str, port: int) -> int:
        """Start the receiving process; the port it listens on."""
        spawn = multiprocessing.get_context("spawn")  # a clean process: no GL context or threads copied
        self._pipe, theirs = spawn.Pipe(duplex=True)
        self._process = spawn.Process(target=listen, args=(theirs, host, port, self._allow), name="osc-receive", daemon=True)
        self._process.start()
        theirs.close()
        try:
            if not self._pipe.poll(20):
                raise EOFError
            status, detail = self._pipe.recv()
        except (EOFError, OSError):
            self.close()
            raise OSError(f"the OSC receiver for udp://{host}:{port} did not start") from None
        if status == "error":
            self.close()
            raise OSError(f"cannot listen for OSC on udp://{host}:{port}: {detail}")
        return detail

    def watch(self) -> None:
        """Start the receiver again, on the same port, if it has died: the show keeps its ears."""
        if self._process.is_alive():
            return
        self._collect()
        self._pipe.close()
        self.restarts += 1
        log.error("the OSC receiver on udp://%s:%d stopped (exit %s); starting it again", self.host, self.port, self._process.exitcode)
        try:
            self._start(self.host, self.port)
        except OSError as error:
            log.error("%s; trying again at the next frame", error)

    @property
    def received(self) -> int:
        """Messages received so far (reading it collects what the receiver has sent)."""
        self._collect()
        return self._received

    def _collect(self) -> None:
        try:
            while self._pipe.poll():
                messages, refused = self._pipe.recv()
                arrived = time.time()
                for due, address, args, size in messages:
                    cost = size + HELD_OVERHEAD
                    if due > arrived + HORIZON_SECONDS:
                        self.rejections.count("too far ahead", f"{address}: a bundle timed {due - arrived:.0f} s ahead is not held")
                    elif len(self._pending) >= MAX_PENDING:
                        self.rejections.count("too many waiting", f"{address}: {MAX_PENDING} timed messages wait already")
                    elif self.held_bytes + cost > MAX_HELD_BYTES:
                        self.rejections.count("too many bytes waiting",
                                              f"{address}: {self.held_bytes:,} bytes of messages wait already; at most {MAX_HELD_BYTES:,}")
                    else:
                        heapq.heappush(self._pending, (due, next(self._order), Control(address, args), cost))
                        self.held_bytes += cost
                self._received += len(messages)
                for kind, (times, detail) in refused.items():
                    self.rejections.count(kind, detail, times)
        except (EOFError, OSError):
            pass  # the receiver is gone; what arrived before stays

    def take(self, now: float) -> list[Control]:
        """Every message due by `now`, in timetag then arrival order; later ones wait."""
        self.watch()
        self._collect()
        due = []
        while self._pending and self._pending[0][0] <= now:
            _, _, message, cost = heapq.heappop(self._pending)
            due.append(message)
            self.held_bytes -= cost
        return due

    def close(self) -> None:
        try:
            self._pipe.send("stop")
        except OSError:
            pass
        self._process.join(timeout=2.0)
        if self._process.is_alive():
            self._process.kill()
        self._pipe.close()


def listen(pipe, host: str, port: int, allow: frozenset[str]) -> None:
    """The receiving process: bind, then receive, parse and send batches until told to stop."""
    from pythonosc.osc_packet import OscPacket

    leave_ctrl_c_to_the_show()
    logging.disable(logging.WARNING)  # python-osc warns per odd packet; the parent counts and reports instead
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", socket.SO_RCVBUF), RECEIVE_BUFFER)
    except OSError:  # not allowed past the system's cap: ask for what it allows
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    try:
        sock.bind((host, port))
    except OSError as error:
        pipe.send(("error", error.strerror or str(error)))
        return
    pipe.send(("ready", sock.getsockname()[1]))
    messages: list[tuple] = []
    refused: dict[str, list] = {}
    batched = 0  # bytes of datagrams in this batch

    def take(data: bytes, sender: str) -> None:
        nonlocal batched
        batched += len(data)
        if allow and sender not in allow:
            entry = refused.setdefault("refused sender", [0, f"{sender} is not on the allow list"])
            entry[0] += 1
            return
        try:
            for timed in OscPacket(data).messages:
                messages.append((timed.time, timed.message.address, tuple(timed.message.params), timed.message.size))
        except Exception as error:  # python-osc raises several kinds for a broken datagram
            entry = refused.setdefault("malformed packet", [0, f"{len(data)} bytes from {sender}: {error}"])
            entry[0] += 1

    while True:
        sock.settimeout(IDLE_SECONDS)
        try:
            data, (sender, _) = sock.recvfrom(65536)
        except TimeoutError:
            if pipe.poll():
                return  # told to stop
            continue
        take(data, sender)
        sock.setblocking(False)  # then whatever else is already waiting, and send it all at once
        while len(messages) < BATCH and batched < BATCH_BYTES:
            try:
                data, (sender, _) = sock.recvfrom(65536)
            except BlockingIOError:
                break
            take(data, sender)
        pipe.send((messages, {kind: tuple(entry) for kind, entry in refused.items()}))
        messages, refused, batched = [], {}, 0
