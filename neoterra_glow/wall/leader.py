"""The wall's leader: the live show's frames (clock and applied controls) go to every follower,
stamped with their index; followers say when each frame is rendered, and the leader tells them
all to present it once all have, or once it has waited a frame's time (a stopped or slow
follower is never waited for). A follower that joins, late or again, gets a checkpoint of the
state before the next frame, from the leader's own copy of the piece, and the frames from there.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import moderngl
import numpy as np

from neoterra_glow.live.session import session_frame, session_line
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.wall.feed import Feed
from neoterra_glow.wall.protocol import CHECKPOINT, FORMAT, FRAME, HELLO, JOIN, PRESENT, READY, REFUSED, SHOWN, pack, split

log = logging.getLogger(__name__)

BEHIND_SECONDS = 3.0  # a follower this far behind is let go; it comes back from a checkpoint
FOLLOWER_MESSAGE = 4096  # a follower's messages are a few dozen bytes: anything far longer is not one


@dataclass
class Follower:
    sock: socket.socket
    name: str
    tile: tuple[int, int, int, int] | None = None
    first: int | None = None  # the first frame it renders (from its checkpoint); None while joining
    ready: int = -1  # the last frame it has rendered
    incoming: bytearray = field(default_factory=bytearray)
    outgoing: bytearray = field(default_factory=bytearray)


class WallLeader:
    """Serves followers on `port` and keeps its own copy of the piece (rendered at the canvas,
    for checkpoints). `record` is called with every frame the live show applies."""

    def __init__(self, ctx: moderngl.Context, preset, seed: int, canvas: tuple[int, int], epoch: float, fps: float,
                 host: str, port: int) -> None:
        piece = load_piece(preset)
        self.preset, self.seed, self.canvas, self.epoch, self.fps = str(piece.preset.path.resolve()), seed, canvas, epoch, fps
        self.feed = Feed(piece.preset.path.resolve(), seed, canvas, epoch)
        self.run = Run(ctx, piece, canvas, round(fps), seed, self.feed, preload=True)
        self.server = socket.create_server((host, port))
        self.server.setblocking(False)
        self.port = self.server.getsockname()[1]
        self.followers: dict[socket.socket, Follower] = {}
        self.lock = threading.RLock()
        self.spread = deque(maxlen=3000)  # seconds between the first and last follower presenting a frame
        self._shown: dict[int, list[float]] = {}
        self._waiting: tuple[int, float] | None = None  # the frame whose presenting waits on followers, until when
        self._wake_read, self._wake = socket.socketpair()
        self._wake.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.server, selectors.EVENT_READ)
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="wall-leader", daemon=True)
        self._thread.start()

    # the show's thread

    def record(self, index: int, time_: float, dt: float, controls, sound=None) -> None:
        """A frame the show applied: to the followers, then the leader's own copy renders it;
        followers waiting to join get the state after it."""
        line = session_line(index, time_, dt, controls)
        self.feed.add(session_frame(line))  # read back as followers read it, so both copies apply the same values
        with self.lock:
            self._present_due(force=True)  # the frame before this one is presented by now, whoever is late
            for follower in self.followers.values():
                if follower.first is not None and follower.first <= index:
                    follower.outgoing += pack(FRAME, line)
            self._waiting = (index, time.monotonic() + max(1.0 / self.fps, 0.02))
        self._nudge()
        self.run.step()
        with self.lock:
            joining = [f for f in self.followers.values() if f.first is None and f.tile is not None]
        if joining and not self.run.busy():
            state = self.run.checkpoint()
            with self.lock:
                for follower in joining:
                    follower.outgoing += pack(CHECKPOINT, state)
                    follower.first, follower.ready = index + 1, index
                    log.warning("follower %s joined at frame %d (a %.1f MB checkpoint)", follower.name, index + 1, len(state) / 1e6)
            self._nudge()

    def _nudge(self) -> None:
        """Wake the network's thread: there is something to send."""
        try:
            self._wake.send(b"w")
        except BlockingIOError:  # it has a wake waiting already
            pass

    def status(self) -> list[str]:
        with self.lock:
            count = sum(1 for f in self.followers.values() if f.first is not None)
            spread = np.asarray(self.spread) * 1e3
        line = f"wall: leading {count} followers on port {self.port}"
        if len(spread):
            line += f"; present spread median {np.median(spread):.2f} ms, p95 {np.percentile(spread, 95):.2f} ms"
        return [line]

    def close(self) -> None:
        self._running = False
        self._nudge()
        self._thread.join(timeout=5)
        for follower in list(self.followers.values()):
            follower.sock.close()
        self.server.close()
        self._wake.close()
        self._wake_read.close()
        self.run.release()
        print(*self.status(), flush=True)

    # the network's thread

    def _serve(self) -> None:
        while self._running:
            try:
                self._serve_once()
            except Exception as error:  # the wall's network must outlive any one mistake
                log.exception("the wall's network: %s", error)
                time.sleep(0.1)

    def _serve_once(self) -> None:
        """One turn: what is due is presented, and the sockets that are ready are served."""
        with self.lock:
            for follower in self.followers.values():
                events = selectors.EVENT_READ | (selectors.EVENT_WRITE if follower.outgoing else 0)
                self._selector.modify(follower.sock, events, follower)
            self._present_due(force=False)
        for key, events in self._selector.select(timeout=0.005):
            if key.fileobj is self.server:
                self._accept()
            elif key.fileobj is self._wake_read:
                self._wake_read.recv(4096)
            else:
                self._talk(key.data, events)

    def _accept(self) -> None:
        try:
            sock, address = self.server.accept()
        except OSError:
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        follower = Follower(sock, f"{address[0]}:{address[1]}")
        with self.lock:
            self.followers[sock] = follower
        self._selector.register(sock, selectors.EVENT_READ, follower)

    def _talk(self, follower: Follower, events: int) -> None:
        with self.lock:
            try:
                if events & selectors.EVENT_READ:
                    data = follower.sock.recv(65536)
                    if not data:
                        raise ConnectionError("it closed the connection")
                    follower.incoming += data
                    for kind, message in split(follower.incoming, FOLLOWER_MESSAGE):
                        self._heard(follower, kind, message)
                if events & selectors.EVENT_WRITE and follower.outgoing:
                    sent = follower.sock.send(follower.outgoing)
                    del follower.outgoing[:sent]
            except BlockingIOError:
                pass
            except (OSError, ValueError, KeyError, TypeError) as error:
                self._drop(follower, str(error))

    def _heard(self, follower: Follower, kind: bytes, message: dict) -> None:
        if kind == JOIN:
            refusal = self._refusal(message)
            if refusal:
                follower.outgoing += pack(REFUSED, {"reason": refusal})
                log.error("follower %s refused: %s", follower.name, refusal)
                return
            follower.tile = tuple(message["tile"])
            follower.outgoing += pack(HELLO, {"format": FORMAT, "preset": self.preset, "seed": self.seed,
                                              "canvas": list(self.canvas), "epoch": self.epoch, "fps": self.fps})
        elif kind == READY:
            follower.ready = max(follower.ready, int(message["i"]))
        elif kind == SHOWN:
            moments = self._shown.setdefault(int(message["i"]), [])
            moments.append(float(message["at"]))
            live = sum(1 for f in self.followers.values() if f.first is not None)
            if len(moments) >= max(live, 2):
                self.spread.append(max(moments) - min(moments))
                del self._shown[int(message["i"])]
            for old in [i for i in self._shown if i < int(message["i"]) - 60]:
                del self._shown[old]

    def _refusal(self, message: dict) -> str | None:
        if message.get("format") != FORMAT:
            return f"a follower speaking {message.get('format')!r}; this leader speaks {FORMAT!r}"
        if message.get("preset") and message["preset"] != self.preset:
            return f"the follower plays {message['preset']}, the leader {self.preset}"
        if message.get("seed") is not None and message["seed"] != self.seed:
            return f"the follower's seed is {message['seed']}, the leader's {self.seed}"
        x, y, width, height = message.get("tile") or (0, 0, 0, 0)
        if width <= 0 or height <= 0 or x < 0 or y < 0 or x + width > self.canvas[0] or y + height > self.canvas[1]:
            return f"the tile {x},{y},{width},{height} is not inside the {self.canvas[0]}x{self.canvas[1]} canvas"
        return None

    def _present_due(self, force: bool) -> None:
        """Present the waiting frame once every follower has rendered it, or its time is up."""
        if self._waiting is None:
            return
        index, deadline = self._waiting
        active = [f for f in self.followers.values() if f.first is not None and f.first <= index]
        if not force and time.monotonic() < deadline and any(f.ready < index for f in active):
            return
        for follower in active:
            follower.outgoing += pack(PRESENT, {"i": index})
        self._waiting = None
        for follower in list(active):
            if index - follower.ready > BEHIND_SECONDS * self.fps:
                self._drop(follower, f"{index - follower.ready} frames behind")

    def _drop(self, follower: Follower, why: str) -> None:
        log.warning("follower %s let go: %s", follower.name, why)
        self.followers.pop(follower.sock, None)
        try:
            self._selector.unregister(follower.sock)
        except (KeyError, ValueError):
            pass
        follower.sock.close()
