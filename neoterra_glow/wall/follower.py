"""A wall's follower: joins the leader, starts from the checkpoint it sends, renders every frame
the leader stamps (the same deterministic piece, at the whole canvas) and presents its tile
when the leader says so. Behind, it drops presenting frames, never rendering them: it never
drifts. The leader gone or letting it go, it joins again and catches up from a new checkpoint.
"""

from __future__ import annotations

import logging
import select
import socket
import time
from pathlib import Path

import numpy as np
from PIL import Image

from neoterra_glow.core.params import Registry
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.context import Headless, Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.live.session import session_frame
from neoterra_glow.output.warp import Warp, load_calibration
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.wall.feed import Feed
from neoterra_glow.wall.protocol import (
    CHECKPOINT,
    FORMAT,
    FRAME,
    HELLO,
    JOIN,
    PRESENT,
    READY,
    REFUSED,
    SHOWN,
    WallError,
    pack,
    receive,
    split,
)

log = logging.getLogger(__name__)


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


def follow(leader: str, tile: tuple[int, int, int, int], *, preset: str | None = None, seed: int | None = None,
           keep: Path | None = None, headless: bool = False, fullscreen: bool = False, monitor: str | None = None,
           calibration: Path | None = None) -> None:
    """Follow the leader at HOST:PORT, showing `tile` (x, y, width, height of the canvas) in a
    window (or headless), through its `calibration`, until Ctrl-C; `keep`: a PNG of every
    frame presented (as it left the pipeline), for a record."""
    host, _, port = leader.rpartition(":")
    sink = Headless() if headless else Window(tile[2:], "neoterra-glow: wall tile", fullscreen=fullscreen, monitor=monitor)
    shown = Projector(sink.ctx, tile[2:], calibration)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    wanted = str(load_piece(preset).preset.path.resolve()) if preset else None
    try:
        while sink.is_open():
            try:
                with socket.create_connection((host or "127.0.0.1", int(port)), timeout=10) as sock:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    _follow(sock, sink, shown, tile, wanted, seed, keep)
            except UserError:  # refused, or a checkpoint of another engine: said, and no use trying again
                raise
            except (OSError, WallError, ValueError) as error:
                log.warning("the leader at %s: %s; joining again", leader, error)
                time.sleep(0.5)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the follower's work is done
        pass
    finally:
        shown.release()
        sink.release()


def _arrived(sock: socket.socket, waiting: bytearray) -> list:
    """The messages that have arrived: at least one (waiting for it), and all that came with it."""
    while True:
        messages = split(waiting)
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
    if not isinstance(sink, Headless):
        sink.present(projected.fbo)
    if keep:
        picture = np.frombuffer(pixels, np.uint8).reshape(tile[3], tile[2], 4)[::-1]
        Image.fromarray(picture, "RGBA").save(keep / f"frame_{index:06d}.png", compress_level=1)


def _follow(sock: socket.socket, sink, shown: Projector, tile, preset: str | None, seed: int | None, keep: Path | None) -> None:
    sock.sendall(pack(JOIN, {"format": FORMAT, "preset": preset, "seed": seed, "tile": list(tile)}))
    kind, hello = receive(sock)
    if kind == REFUSED:
        raise UserError(f"the leader refused this follower: {hello['reason']}")
    if kind != HELLO:
        raise WallError("the leader did not say hello")
    canvas = tuple(hello["canvas"])
    feed = Feed(Path(hello["preset"]), hello["seed"], canvas, hello["epoch"])
    kind, state = receive(sock)
    if kind != CHECKPOINT:
        raise WallError("the leader sent no checkpoint")
    sock.settimeout(None)
    run = Run(sink.ctx, load_piece(hello["preset"]), canvas, round(hello["fps"]), hello["seed"], feed, preload=True)
    try:
        first = run.restore(state)
        log.warning("following from frame %d, tile %s of the %dx%d canvas", first, tile, *canvas)
        x, y, width, height = tile
        rendered: dict[int, bytes] = {}
        waiting = bytearray()
        while sink.is_open():
            arrived = _arrived(sock, waiting)
            due = max((m["i"] for kind, m in arrived if kind == PRESENT), default=None)  # those before it are dropped
            for kind, message in arrived:
                if kind == FRAME:
                    feed.add(session_frame(message))
                    frame, image = run.step()
                    rendered[frame.index] = image.fbo.read(viewport=(x, canvas[1] - y - height, width, height), components=4)
                    rendered.pop(frame.index - 8, None)
                    sock.sendall(pack(READY, {"i": frame.index}))
                elif kind == PRESENT and message["i"] == due and due in rendered:
                    _present(sink, shown, rendered[due], tile, keep, due)
                    sock.sendall(pack(SHOWN, {"i": due, "at": time.time()}))
    finally:
        run.release()
