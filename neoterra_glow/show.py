"""The live show: the piece on the wall clock, in a window or headless, under live OSC control.

Each frame: what OSC delivered is applied at the boundary, the clock ticks, the
frame renders and goes to the window (headless: nowhere, paced to the frame rate).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import moderngl

from neoterra_glow.control.desk import Desk
from neoterra_glow.control.osc import DEFAULT_HOST, DEFAULT_PORT, OscServer
from neoterra_glow.control.oscquery import OscQueryServer
from neoterra_glow.control.session import SessionRecorder
from neoterra_glow.core.clock import RealtimeClock
from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.context import Headless, Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.pipeline import Piece, Pipeline, load_piece

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listening:
    """Where the show hears OSC and serves OSCQuery (port 0: any free port)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    query_port: int | None = DEFAULT_PORT + 1  # None: no OSCQuery
    allow: frozenset[str] = frozenset()
    mdns: bool = False


class LiveShow:
    """A piece running live on a context: `step()` applies what arrived, then renders one frame."""

    def __init__(
        self,
        ctx: moderngl.Context,
        piece: Piece,
        size: tuple[int, int],
        seed: int,
        listening: Listening,
        record: Path | None = None,
    ) -> None:
        self.piece = piece
        self.seed = seed
        self.library = ShaderLibrary(ctx)
        self.pipeline = Pipeline(ctx, self.library, size, piece.glyphs, piece.layers)
        self.osc = OscServer(listening.host, listening.port, listening.allow)
        self.query = None
        try:
            if listening.query_port is not None:
                self.query = OscQueryServer(piece.registry, listening.host, listening.query_port, self.osc.port)
                if listening.mdns:
                    self.query.advertise()
        except OSError:
            self.close()
            raise
        self.desk = Desk(piece.registry, self.pipeline.murals, piece.malfunction, piece.preset.path.parent, self.osc.rejections)
        self.clock = RealtimeClock()
        self.frame: Frame | None = None
        self.recorder = SessionRecorder(record, piece.preset.path, seed, size) if record else None

    def step(self, size: tuple[int, int] | None = None) -> Target:
        """One frame boundary and one frame: control first, so a message lands in the next frame."""
        if size and min(size) > 0:
            self.pipeline.resize(size)
        controls = self.osc.take(time.time())
        self.desk.apply(controls)
        self.frame = self.piece.frame(self.clock, self.pipeline.size, self.seed)
        if self.recorder:
            self.recorder.record(self.frame.index, self.frame.time, self.frame.dt, controls)
        return self.pipeline.render(self.frame)

    def close(self) -> None:
        if getattr(self, "recorder", None):
            self.recorder.close()
        if self.query is not None:
            self.query.close()
        self.osc.close()
        self.pipeline.release()
        self.library.release()


def show(
    preset_name: str | Path,
    size: tuple[int, int],
    seed: int | None = None,
    *,
    headless: bool = False,
    listening: Listening = Listening(),
    fps: float = 60.0,
    record: Path | None = None,
) -> None:
    """Run a preset live until Esc, the window closing, Ctrl-C or SIGTERM."""
    piece = load_piece(preset_name)
    preset = piece.preset
    sink = Headless() if headless else Window(size, f"neoterra-glow: {preset.title}")
    try:
        live = LiveShow(
            sink.ctx, piece, size if headless else sink.framebuffer_size(), preset.seed if seed is None else seed,
            listening, record,
        )
    except BaseException:
        sink.release()
        raise
    osc = f"udp://{live.osc.host}:{live.osc.port}"
    query = f"; OSCQuery on http://{live.query.host}:{live.query.port}/" if live.query else ""
    print(f"{preset.title}: listening for OSC on {osc}{query}", flush=True)
    period = 1.0 / fps
    try:
        next_frame = time.perf_counter()
        while sink.is_open():
            output = live.step(None if headless else sink.framebuffer_size())
            sink.present(output.fbo)
            if headless:  # a window is paced by vsync; headless, by the clock
                next_frame += period
                time.sleep(max(0.0, next_frame - time.perf_counter()))
                next_frame = max(next_frame, time.perf_counter() - period)
    except KeyboardInterrupt:
        pass
    finally:
        live.close()
        sink.release()
