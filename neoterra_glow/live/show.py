"""The live show: the piece on the wall clock, in a window or headless, under live control.

Each frame boundary: changed shaders and presets are reloaded, and the show steps its Run
(render.py, the loop every way of running shares) as its source: what OSC, the cue list and
the operator's keys delivered is applied, scenes move on; then the frame renders and goes to
the projector through the keystone, with the HUD over it when on.
A pass that fails is logged and the show carries on with the last good frame.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, cast

import moderngl

from neoterra_glow.audience.remote import private_file
from neoterra_glow.audience.server import AudienceServer
from neoterra_glow.audio.analysis import Hearing
from neoterra_glow.audio.capture import AudioInput
from neoterra_glow.control.beat import BeatClock
from neoterra_glow.control.link import LinkSession
from neoterra_glow.control.message import Control
from neoterra_glow.control.midi import MidiControl
from neoterra_glow.control.osc import DEFAULT_HOST, DEFAULT_PORT, OscServer
from neoterra_glow.control.oscquery import OscQueryServer
from neoterra_glow.core.clock import LiveClock, RealtimeClock
from neoterra_glow.core.folders import Folders, cache_folder
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.governor import Governor
from neoterra_glow.direction.cues import Cue
from neoterra_glow.direction.desk import Desk
from neoterra_glow.direction.scenes import Director
from neoterra_glow.direction.session import SessionRecorder
from neoterra_glow.errors import UserError
from neoterra_glow.glitch.faults import KINDS
from neoterra_glow.gpu.context import GpuError, Window, open_sink
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.lights.live import open_lights
from neoterra_glow.live.chase import open_chase
from neoterra_glow.live.hud_text import HudText
from neoterra_glow.live.operator import Operator
from neoterra_glow.live.service import Notifier, Snapshot
from neoterra_glow.live.watch import Watcher
from neoterra_glow.mirror.hold import HeldSmile
from neoterra_glow.mirror.watch import CameraWatch, Seen
from neoterra_glow.output.stills import preview, screenshot
from neoterra_glow.output.stream import Stream
from neoterra_glow.output.venue import Venue, lay_out, read_venue
from neoterra_glow.output.warp import Warp, load_calibration
from neoterra_glow.piece import Piece, load_piece
from neoterra_glow.pipeline import Pipeline
from neoterra_glow.render import Live, Run
from neoterra_glow.resources import data_dir
from neoterra_glow.timecode.show import open_timecode

if TYPE_CHECKING:
    from neoterra_glow.output.hud import Hud

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connections:
    """What a live show hears and serves besides OSC: `audio_in`, a capture device (an index or
    part of a name; "" is the default); `midi`, a controller's port mapped by `midi_map`;
    `streams`, (url, size, fps) of each stream of the picture; `link`, the Ableton Link
    session; `audience`, (host, port) of the participation page and the operator's remote;
    `remote_token`, the file that keeps the remote's token (None: beside the calibration when
    run by `show`, a token for this run alone otherwise); `camera`, the smile mirror's camera."""

    audio_in: str | None = None
    midi: str | None = None
    midi_map: Path = Path("midi.toml")
    streams: tuple[tuple[str, tuple[int, int], Fraction], ...] = ()
    link: bool = False
    audience: tuple[str, int] | None = None
    remote_token: Path | None = None
    camera: str | None = None  # the smile mirror's camera: a v4l2 device or a video file standing in for one
    fixtures: Path | None = None  # the venue's lights (neoterra_glow.lights)
    mtc_out: str | None = None  # a MIDI port the show's clock goes out on as timecode
    mtc_in: str | None = None  # a MIDI port whose timecode the show's cues chase (neoterra_glow.live.chase)
    ltc_in: str | None = None  # a capture device whose LTC the show's cues chase, instead of MIDI timecode
    ltc_out: str | None = None  # an audio output the show's clock goes out on as LTC
    mtc_stop: str = "hold"  # when that timecode stops, the piece holds or freewheels


@dataclass(frozen=True)
class Listening:
    """Where the show hears OSC and serves OSCQuery (port 0: any free port)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    query_port: int | None = DEFAULT_PORT + 1  # None: no OSCQuery
    allow: frozenset[str] = frozenset()
    mdns: bool = False


class LiveShow:
    """A piece running live on a context: `step()` is one frame boundary and one frame, the step of
    the same Run a render, a farm segment and a follower use (render.py), with this show as its source."""

    def __init__(
        self,
        ctx: moderngl.Context,
        piece: Piece,
        size: tuple[int, int],
        seed: int,
        listening: Listening,
        record: Path | None = None,
        cues: Sequence[Cue] = (),
        reload: bool = False,
        shaders: Path | None = None,
        allow_dirs: tuple[Path, ...] = (),
        screen: bool = False,
        connections: Connections | None = None,
        venue: Venue | None = None,
        fps: float | None = None,
        governed: bool = False,
    ) -> None:
        """`screen`: the frames go to a projector's window (through the keystone, with the HUD).
        `fps`: the rate a headless show aims at, which its session records for the replay.
        `connections`: what the show hears and serves besides OSC. `venue`: a wall of slices:
        the piece renders at its canvas, and each slice fills its share of the window. `governed`: a
        frame-time governor holds `fps` (60 in a window) by giving up detail (core/governor.py)."""
        connections = connections or Connections()
        self.ctx = ctx
        self.piece = piece
        self.seed = seed
        self.venue = venue
        self.recorder = self.query = self.watcher = self.audio = self.midi = self.link = self.audience = self.camera = None
        self.chase = None  # the clock, when it chases timecode
        self.streams: list[Stream | None] = []
        self.listeners: list = []  # besides the recorder, what hears each frame's clock and controls (a wall's leader)
        self.renders = True  # False: control only, as a wall's leader, whose own copy of the piece renders
        self.osc = OscServer(listening.host, listening.port, listening.allow)
        library = ShaderLibrary(ctx, shaders)
        readable = Folders([piece.preset.path.parent, data_dir("presets"), library.root, *allow_dirs])
        self.run: Run | None = None
        try:
            if connections.link:
                self.link = LinkSession()
            beat = BeatClock(self.link)
            if connections.audience is not None:
                self.audience = AudienceServer(*connections.audience, token_file=connections.remote_token)
            if connections.midi is not None:
                self.midi = MidiControl(connections.midi, connections.midi_map, piece.registry, beat,
                                        lambda moment: self.clock.at(moment))
            self.run = Run(ctx, piece, venue.canvas if venue else size, None, seed,
                           live=Live(self, library, readable, self.osc.rejections, tuple(cues), screen, venue, beat, self.midi,
                                     self.audience))
            if listening.query_port is not None:
                self.query = OscQueryServer(piece.registry, listening.host, listening.query_port, self.osc.port,
                                            allow=listening.allow)
                if listening.mdns:
                    self.query.advertise()
        except BaseException:
            self.close()
            if self.run is None:
                library.release()  # the run releases it once made
            raise
        if connections.audio_in is not None:
            self.audio = AudioInput(connections.audio_in or None)
        if connections.camera is not None:
            self.camera, self.held = CameraWatch(connections.camera), HeldSmile()
        self.streams = [self._stream(*stream) for stream in connections.streams]
        if self.audience and "warp" in self.pipeline.stages:  # the test card shows where phones find the page
            cast(Warp, self.pipeline["warp"]).card_code(self.audience.qr_png())
        self.frame: Frame | None = None
        self.output: Target | None = None
        self.errors: list[str] = []  # the latest frame errors, for the HUD (shader errors are the library's)
        self._injected: list[Control] = []
        self._seen: Seen | None = None  # what the camera gave this frame
        self._sound: list | None = None  # the sound heard this frame, for the recorder
        self._unrecorded: list = []  # sound heard while the frame was frozen
        self._room: tuple | None = None  # the room's smile as last recorded
        self.frame_ms = 0.0  # from one frame's start to the next, smoothed: the HUD's and the remote's figure
        self._last_step: float | None = None
        self._started = 0.0  # when this frame's step began
        self.hud_lines = HudText(self).lines  # the HUD's text, from what the show holds (live/hud_text.py)
        self.run.governor = Governor(fps or 60.0) if governed else None  # a window is paced by vsync: 60 Hz unless governor.fps says
        self.run.clock = RealtimeClock()  # made last, so the first frame is at its time 0
        if connections.mtc_in is not None or connections.ltc_in is not None:
            self.chase, unchased = open_chase(self.director, connections.mtc_stop, connections.mtc_in, connections.ltc_in)
            self.run.clock = self.chase or self.clock
            if unchased:
                self.report(unchased)
        if record:
            self.recorder = SessionRecorder(record, piece.preset.path, seed, size, self.clock.epoch, self.report, fps)
        if reload:
            self.watcher = Watcher([self.library.root], [piece.preset.path])

    @property
    def pipeline(self) -> Pipeline:
        assert self.run is not None  # made in __init__
        return self.run.pipeline

    @property
    def library(self) -> ShaderLibrary:
        assert self.run is not None  # made in __init__
        return self.run.library

    @property
    def desk(self) -> Desk:
        assert self.run is not None  # made in __init__
        assert self.run.desk is not None  # a live run has its desk and director
        return self.run.desk

    @property
    def director(self) -> Director:
        assert self.run is not None  # made in __init__
        assert self.run.director is not None
        return self.run.director

    @property
    def clock(self) -> LiveClock:
        """The wall clock, or the timecode it chases."""
        assert self.run is not None  # made in __init__
        return cast("LiveClock", self.run.clock)  # a live run's: set in __init__

    @property
    def governor(self) -> Governor | None:
        assert self.run is not None  # made in __init__
        return self.run.governor

    def _stream(self, url: str, size: tuple[int, int], fps: int | Fraction) -> Stream | None:
        try:
            return Stream(self.ctx, self.library, url, size, fps)
        except UserError as error:  # a receiver that is not there yet: the show goes on without it
            log.error("%s", error)
            return None

    def inject(self, address: str, *args) -> None:
        """A control from the operator's keys or the cue list, applied (and recorded) at the next boundary."""
        self._injected.append(Control(address, tuple(args)))

    def step(self, size: tuple[int, int] | None = None) -> Target | None:
        """Control first, so that what arrived lands in this frame; then the frame: the run's
        step, with this show as its source. None: no frame was rendered here (a wall's leader)."""
        started = time.perf_counter()
        if self._last_step is not None:
            self.frame_ms = self.frame_ms * 0.9 + (started - self._last_step) * 1e3 * 0.1
        self._last_step = self._started = started
        if size and min(size) > 0 and self.venue:  # the piece keeps the canvas's size; the wall's window is its own
            if "warp" in self.pipeline.stages:
                cast(Warp, self.pipeline["warp"]).fit(size)
        elif size and min(size) > 0:
            self.pipeline.resize(size)
        self._reload()
        assert self.run is not None  # made in __init__
        self.run.step()
        return self.output

    # the show as its run's source

    def controls(self, number: int) -> list[Control]:
        """What OSC, MIDI, the audience, the keys and cues, and the camera's held smile delivered."""
        seen = self._seen = self.camera.take() if self.camera else None
        controls = [*self.osc.take(time.time()), *(self.midi.take(self.piece.registry) if self.midi else ()),
                    *(self.audience.take(self.piece.registry) if self.audience else ()), *self._injected,
                    *(self.held.hold(seen, time.monotonic()) if seen else ())]
        self._injected = []
        return controls

    def direct(self, controls: Sequence[Control], due: list[Control]) -> list[Control]:
        """What arrived, then what scenes and cues made due: applied, and recorded, in that order."""
        return [*controls, *due]

    def hearing(self, number: int) -> Hearing | None:
        hearing, sound = self.audio.hear() if self.audio else (None, None)
        if hearing is not None:
            assert sound is not None  # heard with its hearing
            sound, self._unrecorded = self._unrecorded + sound, []
        self._sound = sound
        return hearing

    def room(self, number: int) -> Seen | None:
        return self._seen

    def holds(self) -> bool:
        """Frozen: the piece holds, and a frozen frame records nothing: its sound goes with the next."""
        if self.frame is not None and self.piece.registry.value("output.freeze"):
            self._unrecorded = self._sound or []
            return True
        return False

    def framed(self, frame: Frame, applied: list[Control]) -> None:
        """The frame's clock to the chase, Link and OSCQuery; its clock and controls to the recorder and listeners."""
        self.frame = frame
        heard = self.chase.publish(self.piece.registry) if self.chase else None
        if self.link:
            self.link.lead(frame.params["glitch.bpm"])  # the operator's tempo leads the Link session
        if self.query:
            self.query.publish(self.piece.registry)  # to OSCQuery clients that listen
        seen = self._seen
        room = seen.room if seen is not None and seen.room != self._room else None  # recorded where it changed
        self._room = seen.room if seen is not None else None
        for listener in (self.recorder, *self.listeners):
            if listener:
                listener.record(frame.index, frame.time, frame.dt, applied, self._sound, room, heard)

    def failed(self, frame: Frame, error: Exception) -> Target:
        """One failing pass must not end an exhibition: it is reported, and the last good frame stays."""
        self.report(f"error: frame {frame.index}: {error}")
        if self.output is None:
            raise error
        return self.output

    def deliver(self, frame: Frame, image: Target) -> Target:
        """The rendered frame to the streams and the remote."""
        self.output = image
        try:
            if self.governor:
                done = time.perf_counter()
                self.governor.observe(done - self._started, done, self.piece.registry)
            for stream in self.streams:
                if stream is not None:
                    stream.send(frame, self.pipeline.products["output"])
            if self.audience:
                self.audience.share(self.piece.registry, lambda: self.hud_lines(self.fps, self.frame_ms),
                                    {"cues": [cue.name for cue in self.director.cues.cues], "faults": list(KINDS)},
                                    lambda: preview(self.pipeline.products["output"]))
        except Exception as error:
            return self.failed(frame, error)
        return self.output

    def _reload(self) -> None:
        if self.watcher is None:
            return
        changed = self.watcher.take()
        if any(path.suffix in (".frag", ".vert", ".comp", ".glsl", ".fs") for path in changed):
            self.library.reload()  # the last good shader keeps running; its error is on the HUD until fixed
        if self.piece.preset.path.resolve() in changed:
            self.inject("/scene/go", str(self.piece.preset.path), 1.0)

    @property
    def fps(self) -> float:
        return 1000.0 / max(self.frame_ms, 1e-3)

    def report(self, message: str) -> None:
        """A problem the operator must see: logged, and on the HUD."""
        log.error(message)
        self.errors = (self.errors + [message.splitlines()[0]])[-3:]

    def screenshot(self, folder: Path = Path("screenshots")) -> Path:
        """The frame as it leaves the pipeline (before keystone and HUD), as a PNG."""
        assert self.frame is not None  # asked for once frames are shown
        return screenshot(self.pipeline.products["output"], self.frame.index, folder)

    def close(self) -> None:
        for part in (self.watcher, self.recorder, self.query, self.audio, self.camera, self.midi, self.link, self.audience,
                     self.chase, *self.streams, *self.listeners):
            if part is not None:
                part.close()
        self.osc.close()
        if self.run is not None:
            self.run.release()


def _slices(live: LiveShow, window: Window, venue: Venue, outputs: str) -> None:
    """Each slice to its monitor, in one window spanning them or one window on each; again
    when a monitor comes or goes."""
    found = window.desktop()
    if not found:
        live.report("error: no monitor is connected; the wall waits for one")
        return
    layout = lay_out(venue, found)
    for missing in layout.missing:
        live.report(f"error: {missing}")
    if layout.preview:
        log.warning("the wall's %d slices are previewed side by side on %s", len(venue.slices),
                    ", ".join(screen.name for screen in layout.monitors))
    try:
        window.split(layout.monitors) if outputs == "windows" else window.span(layout.monitors)
    except GpuError as error:  # the platform refused a window: the wall goes on in one
        live.report(f"error: {error}; the wall spans the monitors in one window instead")
        window.span(layout.monitors)
    cast(Warp, live.pipeline["warp"]).places = layout.viewports


def show(
    presets: list[str | Path],
    size: tuple[int, int],
    seed: int | None = None,
    *,
    headless: bool = False,
    listening: Listening = Listening(),
    fps: float = 60.0,
    record: Path | None = None,
    fullscreen: bool = False,
    monitor: str | int | None = None,
    calibration: Path = Path("calibration.json"),
    cues: Sequence[Cue] = (),
    allow_dirs: tuple[Path, ...] = (),
    state: Path | None = None,
    service: bool = False,
    connections: Connections | None = None,
    outputs: str = "span",
    lead=None,
) -> None:
    """Run presets live (the first, then others by key or cue) until Esc, Ctrl-C or SIGTERM.

    `state`: a snapshot written every few seconds, and resumed from at the start (the scene,
    every parameter, emotions and calibration). `service`: tell systemd when the show is up
    and send it a heartbeat from every frame (see neoterra_glow.live.service). `outputs`: a wall
    of slices in one borderless window spanning its monitors ("span"), or in one fullscreen
    window per monitor ("windows"), for platforms that keep monitors apart. `lead`: makes the
    wall's leader from the context and the live show (neoterra_glow.wall), which hears every frame.
    """
    snapshot = Snapshot(state) if state else None
    if connections and connections.audience and connections.remote_token is None:
        connections = replace(connections, remote_token=calibration.with_name("remote-token"))
    resumed = snapshot.scene() if snapshot else None
    piece = load_piece(resumed or presets[0])
    try:
        venue = read_venue(calibration, piece.registry)  # a wall of slices, or None: one projector
        if venue is None:
            load_calibration(calibration, piece.registry)
        unreadable = None
    except UserError as error:  # the show goes on uncalibrated, and keeps its hands off the file
        venue, unreadable = None, f"error: {error}; the show goes on uncalibrated, and will not save over the file"
    if snapshot:
        restored = snapshot.restore(piece.registry)
        if restored:
            log.warning("resumed from %s: %s with %d values", state, piece.preset.path.name, restored)
    notifier = Notifier() if service else None
    preset = piece.preset
    sink = open_sink(headless, size, f"neoterra-glow: {preset.title}", fps, fullscreen=fullscreen, monitor=monitor)
    try:
        live = LiveShow(sink.ctx, piece, sink.framebuffer_size(), preset.seed if seed is None else seed, listening, record, cues,
                        reload=True, allow_dirs=allow_dirs, screen=sink.shows, connections=connections,
                        venue=venue, fps=sink.fps, governed=True)
    except BaseException:
        sink.release()
        raise
    if lead is not None:
        try:
            live.listeners.append(lead(sink.ctx, live))
            live.renders = False
        except BaseException:
            live.close()
            sink.release()
            raise
    hud = cast("Hud | None", live.pipeline.stages.get("hud"))  # a screen's, as are the operator's keys and a wall's monitors
    if sink.shows:
        window = cast(Window, sink)  # the sink that shows
        if venue:
            _slices(live, window, venue, outputs)
        assert hud is not None  # a screen's stages hold it
        Operator(live, window, hud, [str(p) for p in presets], None if unreadable else calibration)
    if unreadable:
        live.report(unreadable)
    lights, unlit = open_lights(connections.fixtures, live.library) if connections and connections.fixtures else (None, None)
    if unlit:
        live.report(unlit)
    timecode, untimed = open_timecode(connections.mtc_out, connections.ltc_out) if connections else (None, None)
    if untimed:
        live.report(untimed)
    query = f"; OSCQuery on http://{live.query.host}:{live.query.port}/" if live.query else ""
    if live.audience:
        assert connections is not None  # the audience is one of them
        qr, remote = cache_folder() / "audience-qr.png", cache_folder() / "remote-qr.png"
        qr.write_bytes(live.audience.qr_png())
        private_file(remote, live.audience.qr_png(live.audience.remote_url))  # it holds the token: the owner's eyes only
        query += (f"\nthe audience page is {live.audience.url} (its QR code: {qr})"
                  f"\nthe operator's remote is {live.audience.url}remote/ (its token: in {connections.remote_token}; "
                  f"its QR code, with the token: {remote})")
    try:  # a SIGTERM as the banner goes out (a service manager, a test that read it) ends the show as any other
        print(f"{preset.title}: listening for OSC on udp://{live.osc.host}:{live.osc.port}{query}", flush=True)
        while sink.is_open():
            if venue and sink.rearranged:
                sink.rearranged = False
                _slices(live, cast(Window, sink), venue, outputs)  # only a window's monitors come and go
            output = live.step(sink.framebuffer_size())
            assert live.frame is not None  # the first step frames (a show holds only once it has a frame)
            if lights:
                lights.frame(live.pipeline.products["output"].texture, live.piece.registry)
            if timecode:
                timecode.frame(live.frame.time, not live.piece.registry.value("output.freeze"),
                               live.clock.at(time.perf_counter()) - live.frame.time)
            if hud is not None:
                lit = [lights.status()] if lights else []
                hud.update(time.perf_counter(), live.hud_lines(live.fps, live.frame_ms) + lit + sink.status())  # shown from the next frame
            sink.present(output.fbo if output else None)  # paced by vsync, or headless by its fps (a wall's leader renders nothing here)
            if notifier:
                status = f"{live.piece.preset.title}: frame {live.frame.index}, {live.fps:.0f} fps"
                notifier.heartbeat(status) if live.frame.index else notifier.ready(status)
            if snapshot:
                snapshot.maybe_save(live.piece.preset.path, live.piece.registry)
    except KeyboardInterrupt:
        pass
    finally:
        if notifier:
            notifier.stopping()
        if snapshot:
            snapshot.save(live.piece.preset.path, live.piece.registry)
        if lights:
            lights.close()
        if timecode:
            timecode.close()
        live.close()
        for line in sink.status():
            print(line, flush=True)  # a split wall's measured present spread
        sink.release()
