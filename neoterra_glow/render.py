"""The run every way of running steps (Run), and offline rendering: a preset becomes frames on
a fixed clock, and the frames a real file.

The same preset, seed and size give the same frames every time; a replayed set, the frames its
live show gave, because the show stepped the same Run with its live input as the source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import moderngl
import numpy as np

from neoterra_glow.audio.analysis import Hearing
from neoterra_glow.audio.files import Soundtrack
from neoterra_glow.audio.levels import AudioLevels
from neoterra_glow.control.beat import BeatClock, Estimate
from neoterra_glow.control.message import Control
from neoterra_glow.core.clock import FixedClock, LiveClock, RealtimeClock
from neoterra_glow.core.folders import Folders
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.governor import Governor
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.direction.cues import Cue
from neoterra_glow.direction.desk import Desk
from neoterra_glow.direction.scenes import Director
from neoterra_glow.direction.session import Recorded, ReplayClock, Session, read_session
from neoterra_glow.errors import UserError
from neoterra_glow.glitch.faults import Fault
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.gpu.checkpoint import CheckpointError, checkpoint_bytes, restore_checkpoint, save_checkpoint
from neoterra_glow.gpu.context import Headless
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.mirror.levels import SmileLevels
from neoterra_glow.mirror.watch import Seen
from neoterra_glow.murals.layers import LayerError, layer_specs
from neoterra_glow.output.encoders import open_encoder
from neoterra_glow.output.progress import Progress
from neoterra_glow.output.rate import frame_rate
from neoterra_glow.output.readback import Readback
from neoterra_glow.output.recorder import Recorder
from neoterra_glow.output.venue import Venue, read_venue
from neoterra_glow.output.warp import Warp
from neoterra_glow.piece import Piece, load_piece
from neoterra_glow.pipeline import Pipeline
from neoterra_glow.timecode.lock import TimecodeLock

if TYPE_CHECKING:  # the live show's parts, which a render never has
    from neoterra_glow.audience.server import AudienceServer
    from neoterra_glow.control.midi import MidiControl
    from neoterra_glow.murals.stack import MuralStack

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 10.0
DEFAULT_FPS = 30
STATE_TYPES = {kind.__name__: kind for kind in (Fault, Glyph, Hearing, Estimate)}  # the only classes a checkpoint makes


class Source(Protocol):
    """Where a run's frames come from and go. A run is its own source for a recorded set or a fixed
    clock; a live show is one for its OSC, keys, cues, MIDI, sound, camera and audience, and its
    window, streams and recorder. Per frame, in order: `controls` (what arrived), `direct` (what the
    desk applies of them and of what scenes and cues made due), `hearing` and `room` (the sound and
    the room's smile), `holds` (the piece holds this frame: a frozen show), `framed` (the frame made,
    with what was applied), then, where it `renders`, `deliver` (the rendered frame, out) or
    `failed` (what stands when the render fails)."""

    def controls(self, number: int) -> Sequence[Control]: ...

    def direct(self, controls: Sequence[Control], due: list[Control]) -> Sequence[Control]: ...

    def hearing(self, number: int) -> Hearing | None: ...

    def room(self, number: int) -> Seen | None: ...

    def holds(self) -> bool: ...

    def framed(self, frame: Frame, applied: list[Control]) -> None: ...

    renders: bool  # False: the frames are not rendered (a wall's leader, whose own copy of the piece renders)

    def failed(self, frame: Frame, error: Exception) -> Target: ...

    def deliver(self, frame: Frame, image: Target) -> Target: ...


@dataclass(frozen=True)
class Live:
    """What a live show's run is made with besides the piece: its `source`, its shader `library`
    (the run releases it), the folders a sender may have files read from, where refused messages
    are counted, the cue list, and the projector's stages (`screen`, a `venue`'s slices)."""

    source: Source
    library: ShaderLibrary
    readable: Folders
    rejections: Rejections
    cues: tuple[Cue, ...] = ()
    screen: bool = False
    venue: Venue | None = None
    beat: BeatClock | None = None  # the show's beat clock, fed by MIDI clock and Link as well as the desk
    midi: MidiControl | None = None  # the MIDI controller, where the show has one
    audience: AudienceServer | None = None  # the participation server, where the show has one


class Run:
    """A piece playing a frame at a time: what the live show, the offline render, each segment of
    a farm render and each wall follower step, differing only in their source (Source). `keeps` is
    everything that makes the next frame what it is, for a checkpoint (gpu/checkpoint.py).

    With a recorded `session`, its frames' clock and control replace the fixed clock. With a
    `soundtrack`, each frame hears it at its own time (audio.* values, ISF audio inputs);
    `heard_live`: it is the session's own live sound, heard in the blocks each frame took.
    `preload`: a scene named by /scene/go loads at once, in a process of its own, so that its
    /scene/start does not stall the frame (a wall's leader and followers, playing as it happens).
    `live`: a live show's run, on the wall clock, fed by its live source (see Live).
    """

    keeps = ("clock", "scene", "layers", "piece", "pipeline", "beat", "director", "desk", "soundtrack", "last_time", "seen")
    renders = True  # as its own source

    def __init__(self, ctx: moderngl.Context, piece: Piece, size: tuple[int, int], fps: int | Fraction | None, seed: int,
                 session: Recorded | None = None, soundtrack: Soundtrack | None = None, heard_live: bool = False,
                 preload: bool = False, *, live: Live | None = None) -> None:
        self.ctx, self.piece, self.size, self.seed = ctx, piece, size, seed
        self.session, self.soundtrack, self.heard_live = session, soundtrack, heard_live
        self.library = live.library if live else ShaderLibrary(ctx)
        self.pipeline = Pipeline(ctx, self.library, size, piece.glyphs, piece.layers, screen=bool(live and live.screen),
                                 venue=live.venue if live else None, live=live is not None)
        self.clock: ReplayClock | FixedClock | LiveClock
        if session:
            self.clock = ReplayClock(session.frames, session.epoch)
        elif live:
            self.clock = RealtimeClock()
        else:
            assert fps is not None  # a run with neither a session nor a live source keeps a fixed rate
            self.clock = FixedClock(fps)
        self.director = self.desk = None
        base, murals = piece.preset.path.parent, cast("MuralStack", self.pipeline["murals"])
        if live:
            self.director = Director(piece, self.pipeline, base, list(live.cues), live=True, rejections=live.rejections)
            self.desk = Desk(piece.registry, murals, piece.malfunction, base, live.rejections, self.director,
                             live.readable, swarm=self.pipeline["swarm"], beat=live.beat, midi=live.midi, audience=live.audience)
        elif session:  # a replay applies what the live show applied, through the same desk and scenes
            self.director = Director(piece, self.pipeline, base, live=preload, waits=True)
            self.desk = Desk(piece.registry, murals, piece.malfunction, base, Rejections(), self.director,
                             swarm=self.pipeline["swarm"])  # visitors' smiles, drawn again from their names
        self.beat = self.desk.beat if self.desk else BeatClock()
        self.source: Source = live.source if live else self
        self.governor: Governor | None = None  # a live show's: it holds the frame rate by giving up detail
        self.last_time: float | None = None  # the last frame's time
        self.seen: tuple[int, int, float] | None = None  # the room's smile as the live show's camera last saw it (Seen.room)
        self._origin = str(session.path.resolve() if session else piece.preset.path.resolve())  # what the run plays

    @property
    def next_index(self) -> int:
        """The number of the frame `step` renders next (0 at the start)."""
        clock = self.clock
        return clock.ticked if isinstance(clock, ReplayClock) else clock.index + 1  # a session's clock: a ReplayClock

    def step(self) -> tuple[Frame, Target | None] | None:
        """One frame boundary and one frame, the same for every way of running: scenes move on,
        the source's controls are applied, the sound and the room are heard, then the frame is made
        and goes where the source sends it. None: the source holds the piece (a frozen show)."""
        source, registry = self.source, self.piece.registry
        now, number = self.last_time or 0.0, self.next_index
        controls = source.controls(number)
        applied: list[Control] = []
        if self.director:  # only the applied are recorded: a refused message is counted, never replayed
            assert self.desk is not None  # made with the director
            applied = self.desk.apply(source.direct(controls, self.director.step(now)), now)
        hearing = source.hearing(number)
        if hearing is not None:
            AudioLevels.publish(registry, hearing)
            self.beat.hear(now, hearing.bpm, hearing.confidence, hearing.onset)
        seen = source.room(number)
        if seen is not None:
            SmileLevels.publish(registry, seen)
        if source.holds():  # the wall clock goes on; the piece holds
            self.clock.tick()
            return None
        if self.governor:
            self.governor.publish(registry)
        frame = self.piece.frame(self.clock, self.pipeline.size, self.seed, hearing, self.beat)
        if self.governor:
            frame = self.governor.thin(frame)
        self.beat.publish(registry, frame.params)
        self.last_time = frame.time
        source.framed(frame, applied)
        if not source.renders:
            return frame, None
        try:
            image = self.pipeline.render(frame)
        except Exception as error:
            return frame, source.failed(frame, error)
        return frame, source.deliver(frame, image)

    # the run as its own source: a recorded set, or the fixed clock and a soundtrack

    def controls(self, number: int) -> Sequence[Control]:
        """What the live show applied at this frame's boundary (nothing, without a session)."""
        return self.session.frames[number].controls if self.session else ()

    def direct(self, controls: Sequence[Control], due: list[Control]) -> Sequence[Control]:
        """The set recorded what scenes and cues made due as the live show applied it: that alone."""
        return controls

    def hearing(self, number: int) -> Hearing | None:
        """The soundtrack: as the live show heard it, or at the time the frame is about to have."""
        if self.soundtrack and self.heard_live:
            assert self.session is not None  # what was heard live is a session's
            return self.soundtrack.hear_until(self.session.frames[number].samples or 0)
        if self.soundtrack:
            if self.session:
                return self.soundtrack.hear(self.session.frames[number].time)
            assert isinstance(self.clock, FixedClock)  # neither a session nor live: the fixed clock
            return self.soundtrack.hear(float(number / self.clock.fps))
        return None

    def room(self, number: int) -> Seen | None:
        """The room's smile as the live show saw it, every frame from the camera's first."""
        if self.session and self.session.frames[number].seen is not None:
            self.seen = self.session.frames[number].seen
        return Seen(*self.seen) if self.seen is not None else None

    def holds(self) -> bool:
        return False

    def framed(self, frame: Frame, applied: list[Control]) -> None:
        """A recorded set is recorded already; the timecode its show chased is published as the show did
        after this frame, so the next frame's registry is the show's."""
        heard = self.session.frames[self.next_index - 1].timecode if self.session else None
        if heard is not None:
            TimecodeLock.publish(self.piece.registry, *heard)

    def failed(self, frame: Frame, error: Exception) -> Target:
        """A render or replay stops at an error: its frames would not be the piece's."""
        raise error

    def deliver(self, frame: Frame, image: Target) -> Target:
        return image

    @property
    def scene(self) -> str:
        return self.piece.scene

    @scene.setter
    def scene(self, path: str) -> None:
        self.piece.scene = path

    @property
    def layers(self) -> list[dict]:
        """The mural stack as layer tables: what a checkpoint's scene and live changes built."""
        return [layer.spec.table() for layer in cast("MuralStack", self.pipeline["murals"]).layers]

    @layers.setter
    def layers(self, tables: list[dict]) -> None:
        murals, registry = cast("MuralStack", self.pipeline["murals"]), self.piece.registry
        if [t["name"] for t in tables] == murals.names():
            return
        for name in murals.names():
            murals.remove(name, registry)
        for spec in layer_specs(tables, self.piece.preset.path.parent):
            murals.add(spec, registry)

    def busy(self) -> bool:
        """Whether a scene change is under way, when no checkpoint can be taken."""
        return self.director is not None and self.director.checkpointable() is not None

    def about(self) -> dict:
        """What a checkpoint of this run is of: a checkpoint restores only into a run of the same."""
        return {"plays": self._origin, "seed": self.seed, "size": list(self.size), "replay": self.session is not None,
                "audio": self.soundtrack is not None, "frame": self.next_index}

    def checkpoint(self) -> bytes:
        """The run's state before its next frame, for a file or the network."""
        return checkpoint_bytes({"run": self}, self.about(), STATE_TYPES)

    def save(self, path: Path) -> None:
        save_checkpoint(path, self.checkpoint())

    def restore(self, source: Path | bytes) -> int:
        """Continue from a checkpoint of this run; returns the frame it continues from."""
        expect = {key: value for key, value in self.about().items() if key != "frame"}
        try:
            return restore_checkpoint(source, self.ctx, {"run": self}, expect, STATE_TYPES)["frame"]
        except (ValueError, LayerError) as error:
            raise CheckpointError(f"{source if isinstance(source, Path) else 'the checkpoint'}: {error}") from None

    def release(self) -> None:
        if self.director:
            self.director.close()
        self.pipeline.release()
        self.library.release()


def render_frames(
    ctx: moderngl.Context,
    piece: Piece,
    size: tuple[int, int],
    fps: int | Fraction,
    count: int,
    seed: int,
    session: Session | None = None,
    soundtrack: Soundtrack | None = None,
    heard_live: bool = False,
    venue: Venue | None = None,
    start: Path | bytes | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Render `count` frames of a piece and yield (index, RGBA pixels), one frame behind the GPU
    (see Run for `session`, `soundtrack` and `heard_live`). With a `venue`, the piece renders at
    its canvas and each frame is a list: what each slice's projector shows, through its keystone
    and soft edges. `start`: a checkpoint to go on from (its frame comes first).
    """
    size = venue.canvas if venue else size
    run = Run(ctx, piece, size, fps, seed, session, soundtrack, heard_live)
    slices = venue.slices if venue else ()
    readbacks = [Readback(ctx, s.region[2:]) for s in slices] or [Readback(ctx, size)]
    targets = [Target(ctx, s.region[2:], "f1") for s in slices]
    warp = Warp(Build(ctx, run.library, size)) if venue else None

    def together(pixels: list[Any]):
        """A frame's readbacks as one: its pixels, or with a venue, each slice's."""
        return (pixels[0][0], [rgba for _, rgba in pixels]) if venue else pixels[0]

    try:
        if start is not None:
            run.restore(start)
        for _ in range(count):
            stepped = run.step()
            assert stepped is not None  # a render's own run holds no frame
            frame, image = stepped
            assert image is not None  # and renders each
            for piece_of_wall, target in zip(slices, targets, strict=True):
                assert warp is not None  # made with the venue's slices
                warp.keystone(frame.params, piece_of_wall.prefix, image, target, piece_of_wall.uv(size),
                              frame.params[f"{piece_of_wall.prefix}.black"])
            finished = [readback.push(frame.index, target) for readback, target in zip(readbacks, targets or [image], strict=True)]
            if finished[0]:
                yield together(finished)
        last = [readback.flush() for readback in readbacks]
        if last[0]:
            yield together(last)
    finally:
        releasing: list[Readback | Target | Warp] = [*readbacks, *targets, *([warp] if warp else [])]
        for thing in releasing:
            thing.release()
        run.release()


@dataclass(frozen=True)
class RenderResult:
    """What a render left behind: its file (or slices' files), how many frames, and whether it was stopped."""

    path: Path
    frames: int
    interrupted: bool
    slices: tuple[Path, ...] = ()  # each slice's file, when the render was cut into slices


def frames_and_seed(piece: Piece, session: Session | None, soundtrack: Soundtrack | None, seconds: float | None,
                    fps: int | Fraction, seed: int | None) -> tuple[int, int]:
    """How many frames a render makes, and its seed: a replay's own; else `seconds` (None: the
    soundtrack's length, the preset's own, or ten seconds) and the preset's seed unless given."""
    if session:
        if session.preset != piece.preset.path.resolve():
            log.warning("%s was recorded with %s, not %s", session.path, session.preset, piece.preset.path)
        return len(session.frames), session.seed
    if seconds is None:
        seconds = soundtrack.seconds if soundtrack else piece.preset.seconds or DEFAULT_SECONDS
    return max(round(seconds * fps), 1), piece.preset.seed if seed is None else seed


def clip_rate(fps: int | float | Fraction | str | None, session: Session | None) -> Fraction:
    """The clip's frame rate: the one asked for, else a replayed set's own, else DEFAULT_FPS."""
    if fps is not None:
        return frame_rate(fps)
    if session and session.fps is None:
        log.warning("%s does not say the rate it was recorded at (a window's show, or one recorded before sessions kept it): "
                    "rendered at %d fps, each frame at the time it was shown (--fps sets another rate)", session.path, DEFAULT_FPS)
    return session.fps if session and session.fps else Fraction(DEFAULT_FPS)


def render_clip(
    preset_name: str | Path,
    out: Path,
    *,
    seconds: float | None,
    fps: int | float | Fraction | str | None = None,
    size: tuple[int, int],
    seed: int | None = None,
    progress: bool = True,
    ctx: moderngl.Context | None = None,
    replay: Path | None = None,
    audio: Path | None = None,
    slices: Path | None = None,
    audio_bitrate: int | None = None,
    codec: str | None = None,
) -> RenderResult:
    """Render a preset to OUT. Ctrl-C stops early and still leaves a finished, playable file.

    `seconds` None: the soundtrack's length, the preset's own, or ten seconds. `fps` None: a
    replay's recorded rate, else DEFAULT_FPS. `replay`: a recorded live session, played again
    frame for frame (its seed), each frame at the time it was shown, so the clip lasts as long
    as the set at any `fps` (PNG frames, which keep no time, are the set's frames, each once,
    by number, as a wall's followers keep them). `audio`: a sound file the piece hears and the video carries (at
    `audio_bitrate` bits a second where it is compressed). `slices`: a venue file; the piece renders
    at its canvas and each slice's projector gets a file of its own (OUT-name.mp4, or OUT/name/
    for PNGs). `codec`: a media server's (dxv, hap) in a .mov instead of ProRes. Without `ctx` it
    opens (and closes) its own headless context.
    """
    session = read_session(replay) if replay else None
    soundtrack = Soundtrack.read(audio) if audio else None
    heard_live = bool(session and not soundtrack and (heard := session.sound()) is not None)
    if heard_live:
        assert heard is not None  # what heard_live found
        soundtrack = Soundtrack(heard)  # the live show's sound: heard again, and carried by the clip
    piece = load_piece(preset_name)
    preset = piece.preset
    timed = session if out.suffix else None  # PNG frames keep no time: a replay's are its recorded frames, by number
    fps = clip_rate(fps, timed)
    count, seed = frames_and_seed(piece, session, soundtrack, seconds, fps, seed)
    shown = timed.shown(fps) if timed else np.ones(count, int)  # clip frames each rendered frame fills
    venue = read_venue(slices, piece.registry) if slices else None
    if slices and venue is None:
        raise UserError(f"{slices}: no slices in it; a venue file gives a canvas and its slices")
    outputs = [(slice_path(out, s.name), s.region[2:]) for s in venue.slices] if venue else [(out, size)]
    recorders = []
    for path, output_size in outputs:
        try:
            recorders.append(Recorder(open_encoder(path, output_size, fps, soundtrack.channels if soundtrack else None,
                                                   rate=soundtrack.rate if soundtrack else 48_000, audio_bitrate=audio_bitrate,
                                                   codec=codec)))
        except BaseException:
            for recorder in recorders:
                recorder.discard()
            raise
    gpu = Headless() if ctx is None else None
    bar = Progress(count, f"rendering {preset.title}") if progress else None
    interrupted = False
    written = 0
    try:
        for rendered, (_, rgba) in enumerate(
                render_frames(ctx or cast(Headless, gpu).ctx, piece, size, fps, count, seed, session, soundtrack, heard_live, venue)):
            for _ in range(shown[rendered]):
                for recorder, pixels in zip(recorders, rgba if venue else [rgba], strict=True):
                    recorder.write(pixels)
                written += 1
            if bar:
                bar.update(rendered + 1)
    except KeyboardInterrupt:
        interrupted = True
        if written == 0:  # stopped before the first frame: there is nothing to keep
            for recorder in recorders:
                recorder.discard()
            raise
    except BaseException:
        # the error is what the user must see: the file is finished if frames were made, and
        # whatever closing it says does not hide the error
        for recorder, (path, _) in zip(recorders, outputs, strict=True):
            try:
                recorder.discard() if written == 0 else recorder.close()
            except Exception as error:
                log.error("closing %s after the error: %s", path, error)
        raise
    finally:
        if bar:
            bar.close()
        if gpu:
            gpu.release()
    paths = [recorder.close() for recorder in recorders]
    return RenderResult(paths[0] if not venue else out, written, interrupted, tuple(paths) if venue else ())


def slice_path(out: Path, name: str) -> Path:
    """Where a slice's frames go: OUT-name.mp4 beside OUT, or a folder OUT/name for PNGs."""
    return out / name if not out.suffix else out.with_name(f"{out.stem}-{name}{out.suffix}")
