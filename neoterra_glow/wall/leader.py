"""The wall's leader: the live show's frames (clock and applied controls) go to every follower,
stamped with their index; followers say when each frame is rendered, and the leader tells them
all to present it once all have, or once it has waited a frame's time (a stopped or slow
follower is never waited for). A follower that joins, late or again, gets a checkpoint of the
state before the next frame, from the leader's own copy of the piece, and the frames from there.

A peer is told nothing until it proves the wall's key (protocol.py); every peer has limits: a
few seconds to prove it, messages of a follower's size and kind, frame numbers it was sent, a
queue of bytes it has not read, and checkpoints shared among joiners at most every few seconds.
One that breaks them is let go with one line; the show goes on.
"""

from __future__ import annotations

import logging
import math
import selectors
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TypeGuard, cast

import moderngl
import numpy as np

from neoterra_glow.direction.session import session_frame, session_line
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.wall.feed import Feed
from neoterra_glow.wall.key import NONCE_BYTES, nonce, proof, proven
from neoterra_glow.wall.protocol import (
    BUILT,
    CHECKPOINT,
    FORMAT,
    FRAME,
    HELLO,
    JOIN,
    PRESENT,
    PROOF,
    READY,
    REFUSED,
    SHOWN,
    Link,
    WallError,
    plain,
    played,
    take_proof,
)

log = logging.getLogger(__name__)

BEHIND_SECONDS = 3.0  # a follower this far behind that gains nothing on the leader in as long is let go: it comes back from a checkpoint
STARTING_SECONDS = 30.0  # a follower that builds no piece this long after it connects, or renders nothing this long after its
# checkpoint, is let go (its first frames compile shaders)
PROOF_SECONDS = 5.0  # a peer that has not proved the wall's key by then is let go
FOLLOWER_MESSAGE = 4096  # a follower's messages are a few dozen bytes: anything far longer is not one
MAX_PEERS = 32  # connections at once, proven or not
CHECKPOINT_SECONDS = 2.0  # joiners share one checkpoint at most this often: churn costs the show little
QUEUE_SLACK = 4 << 20  # bytes a follower may leave unread beyond its checkpoint: one that never reads is let go
SHOWN_WINDOW = 60  # frames: a frame presented longer ago than this is no use to the spread
SAY_EVERY = 10.0  # seconds between lines about peers that did not prove the key


@dataclass
class Follower:
    sock: socket.socket
    name: str
    since: float  # when it connected
    link: Link | None = None  # once it has proved the key
    theirs: bytes | None = None  # its nonce, and ours, in the handshake
    ours: bytes | None = None
    tile: tuple[int, int, int, int] | None = None
    built: bool = False  # its piece is built: it waits for a checkpoint
    first: int | None = None  # the first frame it renders (from its checkpoint); None while joining
    ready: int = -1  # the last frame it has rendered
    behind: tuple[float, int, bool] | None = None  # since when it has been far behind, by how many frames then, and if still starting
    shown: int = -1  # the last frame it has presented
    allowance: int = QUEUE_SLACK  # bytes its queue may hold
    incoming: bytearray = field(default_factory=bytearray)
    outgoing: bytearray = field(default_factory=bytearray)


class WallLeader:
    """Serves followers that hold `key` on `host`:`port` and keeps its own copy of the piece
    (rendered at the canvas, for checkpoints). `record` is called with every frame the live show applies."""

    def __init__(self, ctx: moderngl.Context, preset, seed: int, canvas: tuple[int, int], epoch: float, fps: float,
                 host: str, port: int, key: bytes) -> None:
        piece = load_piece(preset)
        self.seed, self.canvas, self.epoch, self.fps, self.key = seed, canvas, epoch, fps, key
        self.preset, self.digest = played(piece.preset.path)
        self.feed = Feed(piece.preset.path.resolve(), seed, canvas, epoch)
        self.run = Run(ctx, piece, canvas, round(fps), seed, self.feed, preload=True)
        self.server = socket.create_server((host, port))
        self.server.setblocking(False)
        self.address = f"{host}:{self.server.getsockname()[1]}"
        self.followers: dict[socket.socket, Follower] = {}
        self.lock = threading.RLock()
        self.spread: deque[float] = deque(maxlen=3000)  # seconds between the first and last follower presenting a frame
        self._shown: dict[int, list[float]] = {}  # at most SHOWN_WINDOW frames
        self._sent = -1  # the last frame sent to followers
        self._waiting: tuple[int, float] | None = None  # the frame whose presenting waits on followers, until when
        self._checkpointed = -math.inf  # when the last checkpoint was taken
        self._strangers, self._said = 0, -math.inf  # peers let go without proving the key, and when that was last said
        self._wake_read, self._wake = socket.socketpair()
        self._wake.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.server, selectors.EVENT_READ)
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="wall-leader", daemon=True)
        self._thread.start()
        log.warning("wall: leading on %s%s", self.address,
                    " (this machine only: name the wall's interface with --lead HOST:PORT)" if host.startswith("127.") else "")

    # the show's thread

    def record(self, index: int, time_: float, dt: float, controls, sound=None, seen=None, timecode=None) -> None:
        """A frame the show applied: to the followers, then the leader's own copy renders it;
        followers waiting to join get the state after it (one checkpoint, shared, at most every
        CHECKPOINT_SECONDS)."""
        line = session_line(index, time_, dt, controls, seen, timecode)
        self.feed.add(session_frame(line))  # read back as followers read it, so both copies apply the same values
        with self.lock:
            self._present_due(force=True)  # the frame before this one is presented by now, whoever is late
            for follower in list(self.followers.values()):
                if follower.first is not None and follower.first <= index:
                    self._send(follower, FRAME, line)
            self._sent = index
            self._waiting = (index, time.monotonic() + max(1.0 / self.fps, 0.02))
        self._nudge()
        self.run.step()
        with self.lock:
            joining = [f for f in self.followers.values() if f.first is None and f.built]
        if joining and not self.run.busy() and time.monotonic() - self._checkpointed >= CHECKPOINT_SECONDS:
            state = self.run.checkpoint()
            self._checkpointed = time.monotonic()
            with self.lock:
                for follower in joining:
                    if self.followers.get(follower.sock) is not follower:
                        continue  # gone meanwhile
                    follower.allowance = len(state) + QUEUE_SLACK
                    follower.first, follower.ready, follower.shown = index + 1, index, index
                    self._send(follower, CHECKPOINT, state)
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
        line = f"wall: leading {count} followers on {self.address}"
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
            except Exception as error:  # a bug: the wall's network must outlive it, and say it
                log.exception("the wall's network: %s", error)
                time.sleep(0.01)

    def _serve_once(self) -> None:
        """One turn: what is due is presented, peers that have not proved the key in time are let
        go, and the sockets that are ready are served."""
        with self.lock:
            now = time.monotonic()
            for follower in list(self.followers.values()):
                if follower.link is None and now - follower.since > PROOF_SECONDS:
                    self._drop(follower, "it did not prove the wall's key in time")
                    continue
                if not follower.built and now - follower.since > STARTING_SECONDS:  # one of MAX_PEERS, held by a peer that never joins
                    self._drop(follower, f"it built no piece in {STARTING_SECONDS:.0f} s")
                    continue
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
        if len(self.followers) >= MAX_PEERS:
            sock.close()
            self._stranger(f"{address[0]}:{address[1]}", f"more than {MAX_PEERS} connections")
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        follower = Follower(sock, f"{address[0]}:{address[1]}", time.monotonic())
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
                    if follower.link is None:
                        self._prove(follower)
                    if follower.link is not None:
                        for kind, message in follower.link.split(follower.incoming, FOLLOWER_MESSAGE):
                            if follower.sock not in self.followers:
                                return  # let go over an earlier message
                            self._heard(follower, kind, cast(dict, message))  # bytes only for a checkpoint, which _heard refuses
                if events & selectors.EVENT_WRITE and follower.outgoing and follower.sock in self.followers:
                    sent = follower.sock.send(follower.outgoing)
                    del follower.outgoing[:sent]
            except BlockingIOError:
                pass
            except OSError as error:  # WallError too: a peer that broke the protocol or its limits
                self._drop(follower, str(error))

    def _prove(self, follower: Follower) -> None:
        """The handshake: its nonce, answered with ours and our proof; then its proof, checked."""
        while follower.link is None and (body := take_proof(follower.incoming)) is not None:
            if follower.theirs is None and len(body) == NONCE_BYTES:
                follower.theirs, follower.ours = body, nonce()
                follower.outgoing += plain(PROOF, follower.ours + proof(self.key, b"leader", body, follower.ours))
            elif (follower.theirs is not None and follower.ours is not None  # ours is chosen as theirs arrives
                  and proven(proof(self.key, b"follower", follower.ours, follower.theirs), body)):
                follower.link = Link(self.key, follower.ours, follower.theirs, leading=True)
            else:
                raise WallError("it did not prove the wall's key")

    def _heard(self, follower: Follower, kind: bytes, message: dict) -> None:
        """A proven follower's message, held to what it may say: JOIN once, BUILT once after its
        hello, then READY and SHOWN of frames it was sent, in order."""
        if kind == JOIN and follower.tile is None:
            refusal = self._refusal(message)
            if refusal:
                self._send(follower, REFUSED, {"reason": refusal})
                log.error("follower %s refused: %s", follower.name, refusal)
                return
            follower.tile = tuple(message["tile"])
            self._send(follower, HELLO, {"format": FORMAT, "preset": self.preset, "digest": self.digest, "seed": self.seed,
                                         "canvas": list(self.canvas), "epoch": self.epoch, "fps": self.fps})
        elif kind == BUILT and follower.tile is not None and not follower.built:
            follower.built = True
        elif kind == READY and follower.first is not None:
            index = message.get("i")
            if not (_whole(index) and follower.ready <= index <= self._sent):
                raise WallError(f"it says it rendered frame {str(index)[:24]}, which it was not sent")
            follower.ready = index
        elif kind == SHOWN and follower.first is not None:
            index, at = message.get("i"), message.get("at")
            if not (_whole(index) and follower.shown < index <= self._sent and isinstance(at, (int, float))):
                raise WallError(f"it says it presented frame {str(index)[:24]}, which it was not sent, or not in order")
            follower.shown = index
            moments = self._shown.setdefault(index, [])
            moments.append(float(at))
            live = sum(1 for f in self.followers.values() if f.first is not None)
            if len(moments) >= max(live, 2):
                self.spread.append(max(moments) - min(moments))
                del self._shown[index]
            for old in [i for i in self._shown if i <= self._sent - SHOWN_WINDOW]:  # a few dozen at most
                del self._shown[old]
        else:
            raise WallError(f"a message of kind {kind!r} it may not send now")

    def _refusal(self, message: dict) -> str | None:
        if message.get("format") != FORMAT:
            return f"a follower speaking {str(message.get('format'))[:40]!r}; this leader speaks {FORMAT!r}"
        preset, digest, seed, tile = (message.get(key) for key in ("preset", "digest", "seed", "tile"))
        if digest is not None and digest != self.digest:
            return f"the follower plays {str(preset)[:80]}, the leader {self.preset}"
        if seed is not None and seed != self.seed:
            return f"the follower's seed is {str(seed)[:24]}, the leader's {self.seed}"
        if not (isinstance(tile, list) and len(tile) == 4 and all(_whole(v) for v in tile)):
            return f"the tile {str(tile)[:60]} is not four whole numbers X,Y,W,H"
        x, y, width, height = tile
        if width <= 0 or height <= 0 or x + width > self.canvas[0] or y + height > self.canvas[1]:
            return f"the tile {x},{y},{width},{height} is not inside the {self.canvas[0]}x{self.canvas[1]} canvas"
        return None

    def _present_due(self, force: bool) -> None:
        """Present the waiting frame once every follower has rendered it, or its time is up."""
        if self._waiting is None:
            return
        index, deadline = self._waiting
        active = [f for f in self.followers.values() if f.first is not None and f.first <= index]
        if not force and time.monotonic() < deadline and any(f.ready < index and f.behind is None for f in active):
            return
        self._waiting = None
        for follower in active:
            why = self._lagging(follower, index)
            if why:
                self._drop(follower, why)
            else:
                self._send(follower, PRESENT, {"i": index})

    def _lagging(self, follower: Follower, index: int) -> str | None:
        """Why a follower is let go, if it is: it never rendered after its checkpoint, or it is far
        behind and not catching up. One catching up keeps its place (a checkpoint would cost it more
        than its backlog), and is not waited for."""
        now, lag = time.monotonic(), index - follower.ready
        assert follower.first is not None  # only an active follower is asked
        starting = follower.ready < follower.first
        if lag <= BEHIND_SECONDS * self.fps:
            follower.behind = None
        elif follower.behind is None or follower.behind[2] != starting:
            follower.behind = (now, lag, starting)
        elif starting and now - follower.behind[0] > STARTING_SECONDS:
            return f"it rendered nothing in {STARTING_SECONDS:.0f} s from its checkpoint"
        elif not starting and now - follower.behind[0] > BEHIND_SECONDS:
            if lag >= follower.behind[1]:
                return f"{lag} frames behind, and not catching up"
            follower.behind = (now, lag, starting)
        return None

    def _send(self, follower: Follower, kind: bytes, payload: dict | bytes) -> None:
        """Queue a message; a follower whose queue holds more than it may (it does not read) is let go."""
        assert follower.link is not None  # only a proven follower is sent to
        follower.outgoing += follower.link.pack(kind, payload)
        if len(follower.outgoing) > follower.allowance:
            self._drop(follower, f"it left {len(follower.outgoing)} bytes unread")

    def _drop(self, follower: Follower, why: str) -> None:
        if self.followers.pop(follower.sock, None) is None:
            return
        try:
            self._selector.unregister(follower.sock)
        except (KeyError, ValueError):
            pass
        follower.sock.close()
        if follower.link is None:
            self._stranger(follower.name, why)
        else:
            log.warning("follower %s let go: %s", follower.name, why)

    def _stranger(self, name: str, why: str) -> None:
        """A peer let go before it proved the key: said once every SAY_EVERY seconds, with how many."""
        self._strangers += 1
        if time.monotonic() - self._said >= SAY_EVERY:
            log.warning("wall: %d peer(s) let go without proving the wall's key, the latest %s: %s", self._strangers, name, why)
            self._strangers, self._said = 0, time.monotonic()


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
