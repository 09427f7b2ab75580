"""A wall's follower: joins the leader, starts from the checkpoint it sends, renders every frame
the leader stamps (the same deterministic piece, at the whole canvas) and presents its tile
when the leader says so. Behind, it drops presenting frames, never rendering them: it never
drifts. The leader gone or letting it go, or anything it sent unusable, it says so in a line,
joins again and catches up from a new checkpoint; it never exits but when the leader refuses it.
"""

from __future__ import annotations

import logging
import select
import socket
import time
from pathlib import Path

import moderngl
import numpy as np
from PIL import Image

from neoterra_glow.core.params import Registry
from neoterra_glow.core.presets import MAX_SEED
from neoterra_glow.direction.session import session_frame
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.checkpoint import Caps
from neoterra_glow.gpu.context import Headless, Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.warp import Warp, load_calibration
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
    receive_proof,
)

log = logging.getLogger(__name__)

BACKOFF_LEAST, BACKOFF_MOST = 0.5, 10.0  # seconds before joining again, doubling while joins keep failing


class Refused(UserError):
    """The leader, having proved the key, refused this follower (another preset, seed or tile): no use trying again."""


class Projector:
    """The follower's own projector: its tile through the keystone and soft edges of its
    calibration file (made with a one-projector show on that machine: c, drag, c)."""

    def __init__(self, ctx, size: tuple[int, int], calibration: Path | None) -> None:
        self.registry = Registry(Warp.params)
        if calibration is not None:
            load_calibration(calibration, self.registry)
        self.library = ShaderLibrary(ctx)
        self.warp = Warp(Build(ctx, self.library, size))
        self.tile = Target(ctx, size, "f1")

    def project(self, pixels: bytes) -> Target:
        self.tile.texture.write(pixels)
        p = self.registry.snapshot(0.0)
        if Warp.is_identity(p):
            return self.tile
        self.warp.keystone(p, "output", self.tile, self.warp.output)
        return self.warp.output

    def release(self) -> None:
        for part in (self.tile, self.warp, self.library):
            part.release()


def follow(leader: str, tile: tuple[int, int, int, int], key: bytes, *, preset: str | None = None, seed: int | None = None,
           keep: Path | None = None, headless: bool = False, fullscreen: bool = False, monitor: str | None = None,
           calibration: Path | None = None) -> None:
    """Follow the leader at HOST:PORT that holds `key`, showing `tile` (x, y, width, height of
    the canvas) in a window (or headless), through its `calibration`, until Ctrl-C; `keep`: a
    PNG of every frame presented (as it left the pipeline), for a record. Only the leader's
    refusal ends it: anything else (the leader gone, a peer without the key, bad data) is said in
    a line and it joins again, waiting longer each time, up to BACKOFF_MOST seconds."""
    host, _, port = leader.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise UserError(f"--follow {leader}: expected the leader's HOST:PORT, such as 10.0.0.5:9100")
    sink = Headless() if headless else Window(tile[2:], "neoterra-glow: wall tile", fullscreen=fullscreen, monitor=monitor)
    shown = Projector(sink.ctx, tile[2:], calibration)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    wanted = played(load_piece(preset).preset.path) if preset else (None, None)
    wait = BACKOFF_LEAST / 2
    try:
        while sink.is_open():
            try:
                with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=10) as sock:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    link, run, feed, canvas = _join(sock, key, sink, tile, wanted, seed)
                    wait = BACKOFF_LEAST / 2  # it was following: the next failure is a new one
                    _play(sock, link, run, feed, canvas, sink, shown, tile, keep)
            except Refused:
                raise
            except (OSError, ValueError, LookupError, TypeError, moderngl.Error) as error:  # from the leader: data, never fatal
                wait = min(wait * 2, BACKOFF_MOST)
                log.warning("the leader at %s: %s; joining again in %.1f s", leader, str(error)[:300], wait)
                time.sleep(wait)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the follower's work is done
        pass
    finally:
        shown.release()
        sink.release()


def _arrived(sock: socket.socket, link: Link, waiting: bytearray) -> list:
    """The messages that have arrived: at least one (waiting for it), and all that came with it."""
    while True:
        messages = link.split(waiting)
        if messages:
            return messages
        select.select([sock], [], [], 1.0)
        data = sock.recv(1 << 20)
        if not data:
            raise WallError("the leader closed the connection")
        waiting += data
        while select.select([sock], [], [], 0)[0]:
            more = sock.recv(1 << 20)
            if not more:
                break
            waiting += more


def _present(sink, shown: Projector, pixels: bytes, tile, keep: Path | None, index: int) -> None:
    projected = shown.project(pixels)
    sink.present(projected.fbo)  # a headless tile's sink has no pace of its own: the leader's frames pace it
    if keep:
        picture = np.frombuffer(pixels, np.uint8).reshape(tile[3], tile[2], 4)[::-1]
        path = keep / f"frame_{index:06d}.png"
        partial = path.with_name(path.name + ".part")
        try:  # whole or not at all: a SIGTERM mid-save leaves no truncated frame
            Image.fromarray(picture, "RGBA").save(partial, "PNG", compress_level=1)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)


def _handshake(sock: socket.socket, key: bytes) -> Link:
    """Prove the leader holds the key before anything is said, then prove this end does."""
    ours = nonce()
    sock.sendall(plain(PROOF, ours))
    answer = receive_proof(sock)
    theirs, shown = answer[:NONCE_BYTES], answer[NONCE_BYTES:]
    if len(answer) != 2 * NONCE_BYTES or not proven(proof(key, b"leader", ours, theirs), shown):
        raise WallError("it did not prove the wall's key: not this wall's leader, or another key file")
    sock.sendall(plain(PROOF, proof(key, b"follower", theirs, ours)))
    return Link(key, theirs, ours, leading=False)


def _hello(hello: dict, tile) -> tuple:
    """What the leader plays, checked: (preset, digest, seed, canvas, epoch, fps)."""
    canvas, fps, seed, epoch = hello.get("canvas"), hello.get("fps"), hello.get("seed"), hello.get("epoch")
    checks = {"preset": isinstance(hello.get("preset"), str) and 0 < len(hello["preset"]) <= 255,
              "digest": isinstance(hello.get("digest"), str),
              "canvas": isinstance(canvas, list) and len(canvas) == 2 and all(isinstance(v, int) and 16 <= v <= 16384 for v in canvas),
              "fps": isinstance(fps, (int, float)) and 0 < fps <= 1000,
              "seed": isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED,
              "epoch": isinstance(epoch, (int, float))}
    wrong = [name for name, good in checks.items() if not good]
    if wrong:
        raise WallError(f"its hello has no good {', '.join(wrong)}")
    assert canvas is not None and fps is not None and epoch is not None  # as checked
    x, y, width, height = tile
    if x + width > canvas[0] or y + height > canvas[1]:
        raise WallError(f"its canvas {canvas[0]}x{canvas[1]} does not hold the tile {x},{y},{width},{height}")
    return hello["preset"], hello["digest"], seed, tuple(canvas), float(epoch), float(fps)


def _join(sock: socket.socket, key: bytes, sink, tile, wanted: tuple, seed: int | None) -> tuple:
    """Prove the key, join, build the piece the leader plays and start from its checkpoint:
    (link, run, feed, canvas)."""
    link = _handshake(sock, key)
    sock.sendall(link.pack(JOIN, {"format": FORMAT, "preset": wanted[0], "digest": wanted[1], "seed": seed, "tile": list(tile)}))
    kind, hello = link.receive(sock)
    if isinstance(hello, bytes):  # only a checkpoint is: no hello
        raise WallError("the leader did not say hello")
    if kind == REFUSED:
        raise Refused(f"the leader refused this follower: {str(hello.get('reason'))[:300]}")
    if kind != HELLO:
        raise WallError("the leader did not say hello")
    name, digest, seed, canvas, epoch, fps = _hello(hello, tile)
    piece = load_piece(name)
    if played(piece.preset.path)[1] != digest:
        raise WallError(f"this machine's preset {name} ({piece.preset.path}) is not the leader's: copy the leader's file here")
    feed = Feed(piece.preset.path.resolve(), seed, canvas, epoch)
    run = Run(sink.ctx, piece, canvas, round(fps), seed, feed, preload=True)  # built before the checkpoint is asked for
    try:
        sock.sendall(link.pack(BUILT, {}))
        kind, state = link.receive(sock, checkpoint=Caps.of(list(canvas), sink.ctx).total)
        if kind != CHECKPOINT or not isinstance(state, bytes):  # a checkpoint's body is bytes
            raise WallError("the leader sent no checkpoint")
        sock.settimeout(None)
        first = run.restore(state)
    except BaseException:
        run.release()
        raise
    log.warning("following from frame %d, tile %s of the %dx%d canvas", first, tile, *canvas)
    return link, run, feed, canvas


def _play(sock: socket.socket, link: Link, run: Run, feed: Feed, canvas, sink, shown: Projector, tile, keep: Path | None) -> None:
    """Render every frame the leader sends and present the one it says, until the sink closes."""
    try:
        x, y, width, height = tile
        rendered: dict[int, bytes] = {}
        waiting = bytearray()
        while sink.is_open():
            arrived = _arrived(sock, link, waiting)
            due = max((m["i"] for kind, m in arrived if kind == PRESENT), default=None)  # those before it are dropped
            for kind, message in arrived:
                if kind == FRAME:
                    feed.add(session_frame(message))
                    stepped = run.step()
                    assert stepped is not None  # a follower's run never holds
                    frame, image = stepped
                    assert image is not None  # and renders every frame
                    rendered[frame.index] = image.fbo.read(viewport=(x, canvas[1] - y - height, width, height), components=4)
                    rendered.pop(frame.index - 8, None)
                    sock.sendall(link.pack(READY, {"i": frame.index}))
                elif kind == PRESENT and message["i"] == due and due in rendered:
                    _present(sink, shown, rendered[due], tile, keep, due)
                    sock.sendall(link.pack(SHOWN, {"i": due, "at": time.time()}))
    finally:
        run.release()
