"""Scenes: crossfading a running show into another preset, and cue lists that fire scenes and
glitches at set times or on an OSC cue.

A crossfade moves every parameter the two presets share from where it is to the new
preset's value (choices switch halfway), fades layers the new preset lacks out and
its new layers in, and hands the swarm the new glyphs, which it morphs into. It leaves
the venue's calibration alone, and lets go of any parameter set live while it runs.
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import tomllib
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from neoterra_glow.core.params import Kind, approach
from neoterra_glow.errors import UserError
from neoterra_glow.pipeline import Piece, Pipeline, load_piece

_CUE_KEYS = ("at", "name", "scene", "fade", "glitch", "intensity", "seconds")
_CUE_TYPES = (("at", (int, float), "seconds into the show, a number"), ("fade", (int, float), "seconds, a number"),
              ("intensity", (int, float), "a number from 0 to 1"), ("seconds", (int, float), "seconds, a number"),
              ("name", str, "text"), ("scene", str, "a preset"), ("glitch", str, "a fault kind"))


class Crossfade:
    """One crossfade in progress: `step(time)` sets the registry to where the fade has got."""

    def __init__(self, piece: Piece, incoming: Piece, pipeline: Pipeline, time: float, seconds: float) -> None:
        registry = piece.registry
        self.registry, self.murals = registry, pipeline.murals
        self.start, self.seconds = time, max(seconds, 1e-3)
        old_layers = {spec.name for spec in piece.layers}
        self.leaving = [spec for spec in piece.layers if spec.name not in {s.name for s in incoming.layers}]
        for index, spec in enumerate(incoming.layers):
            if spec.name not in old_layers:
                self.murals.add(spec, registry, index)
                registry.set(f"{spec.prefix}.opacity", 0.0, immediate=True)
        self.begin = {p.path: registry.value(p.path) for p in registry if not p.venue}  # calibration stays
        self.end = {path: incoming.registry.value(path) for path in self.begin if path in incoming.registry}
        self._set: dict[str, object] = {}  # what the fade last set: a value that differs was set live
        for spec in self.leaving:
            self.end[f"{spec.prefix}.opacity"] = 0.0
        pipeline.swarm.show(incoming.glyphs)
        piece.emotions.drives = incoming.emotions.drives
        piece.layers = [spec for spec in incoming.layers]
        piece.preset = incoming.preset
        piece.glyphs = incoming.glyphs

    def step(self, time: float) -> bool:
        """Set this frame's values; True once the fade is over (and faded layers are gone)."""
        t = min(max((time - self.start) / self.seconds, 0.0), 1.0)
        eased = t * t * (3.0 - 2.0 * t)
        for path, end in list(self.end.items()):
            if path not in self.registry:
                continue  # a layer removed live meanwhile
            if path in self._set and self.registry.value(path) != self._set[path]:
                del self.end[path]  # sent live during the fade: the live value stands
                continue
            param, begin = self.registry[path], self.begin[path]
            if param.kind is Kind.TRIGGER:
                continue
            if param.kind in (Kind.FLOAT, Kind.COLOUR, Kind.VEC2):
                value = approach(begin, end, eased)
            elif param.kind is Kind.INT:
                value = round(begin + (end - begin) * eased) if path != "swarm.count" else (end if t >= 1.0 else begin)
            else:
                value = end if t >= 0.5 else begin
            self._set[path] = self.registry.set(path, value, immediate=True)
        if t >= 1.0:
            for spec in self.leaving:
                if spec.name in self.murals.names():
                    self.murals.remove(spec.name, self.registry)
        return t >= 1.0



@dataclass(frozen=True)
class Cue:
    """At `at` seconds into the show (or when cued by name over OSC): go to `scene` over
    `fade` seconds, and/or fire the `glitch` kind."""

    at: float | None
    name: str
    scene: str | None = None
    fade: float = 4.0
    glitch: str | None = None
    intensity: float = 0.8
    seconds: float = 0.6

    def controls(self) -> list[tuple[str, tuple]]:
        """The desk messages that carry the cue out (so a recorded session replays it)."""
        out = []
        if self.scene:
            out.append(("/scene/go", (self.scene, self.fade)))
        if self.glitch:
            out.append(("/glitch/trigger", (self.glitch, self.intensity, self.seconds)))
        return out


def read_cues(path: Path) -> list[Cue]:
    """A cue list file: [[cue]] tables with at (seconds) or name, and scene/fade and/or glitch."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"{path}: not a readable cue list: {error}") from None
    cues = []
    for number, table in enumerate(data.get("cue", [])):
        unknown = sorted(set(table) - set(_CUE_KEYS))
        where = f"{path}: cue[{number}]"
        if unknown:
            raise UserError(f"{where}: unknown key {unknown[0]!r}; a cue has {', '.join(_CUE_KEYS)}")
        if "at" not in table and "name" not in table:
            raise UserError(f"{where}: needs 'at' (seconds into the show) or a 'name' to cue it by")
        if not table.get("scene") and not table.get("glitch"):
            raise UserError(f"{where}: needs a 'scene' or a 'glitch' to fire")
        for key, kind, described in _CUE_TYPES:
            value = table.get(key)
            wrong = not isinstance(value, kind) or isinstance(value, bool) or (kind is not str and not 0 <= value < float("inf"))
            if key in table and wrong:
                raise UserError(f"{where}: {key!r} must be {described}, got {value!r}")
        cues.append(Cue(at=table.get("at"), name=str(table.get("name", f"cue {number}")), scene=table.get("scene"),
                        fade=float(table.get("fade", 4.0)), glitch=table.get("glitch"),
                        intensity=float(table.get("intensity", 0.8)), seconds=float(table.get("seconds", 0.6))))
    return sorted(cues, key=lambda c: (c.at is None, c.at or 0.0))


class CueList:
    """Fires timed cues as the show's clock passes them; named ones when asked."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._fired: set[int] = set()

    def due(self, time: float) -> list[tuple[str, tuple]]:
        out = []
        for number, cue in enumerate(self.cues):
            if cue.at is not None and number not in self._fired and time >= cue.at:
                self._fired.add(number)
                out += cue.controls()
        return out

    def named(self, name: str) -> list[tuple[str, tuple]]:
        for cue in self.cues:
            if cue.name == name:
                return cue.controls()
        raise UserError(f"no cue named {name!r}; the cues are {', '.join(c.name for c in self.cues) or 'none'}")


class Director:
    """Runs scenes for a live show (and for its replay): crossfades and the cue list.

    In a live show a scene's preset is loaded in a process of its own (its glyphs take a good
    part of a second to draw, and a thread would wait on the render loop for the interpreter),
    and its crossfade starts at the first frame boundary after, as the control /scene/start,
    which the session records: a replay loads it there and starts it at that very frame.
    """

    def __init__(self, piece: Piece, pipeline: Pipeline, base: Path, cues: list[Cue] = (), *,
                 live: bool = False, rejections=None) -> None:
        self.piece, self.pipeline, self.base = piece, pipeline, base
        self.cues = CueList(list(cues))
        self.fade: Crossfade | None = None
        self.time = 0.0
        self.live = live  # a replay starts fades only when its session says /scene/start
        self.rejections = rejections
        self._loader = _loader() if live else None
        self._loading: dict[str, Future] = {}  # name -> the preset being read and drawn
        self._wanted: tuple[str, float] | None = None  # the scene a live show goes to once it is loaded

    def where(self, name: str) -> Path | None:
        """The file a scene's name reads: one beside the show's preset, or a path; None for a shipped preset's name."""
        beside = self.base / name
        if beside.is_file():
            return beside
        return Path(name) if Path(name).is_file() else None

    def go(self, name: str, seconds: float) -> None:
        """Crossfade to a preset (shipped, or a file beside the show's preset) over `seconds`,
        once it is loaded (a replay waits for its recorded /scene/start)."""
        if self.live:
            if name not in self._loading:
                try:
                    self._loading[name] = self._loader.submit(load_piece, self.where(name) or name)
                except BrokenProcessPool:  # the loader died (killed, out of memory): a new one
                    self._loader = _loader()
                    self._loading[name] = self._loader.submit(load_piece, self.where(name) or name)
            self._wanted = (name, seconds)

    def start(self, name: str, seconds: float) -> None:
        """Start the crossfade to a loaded scene now (loading it here if it is not)."""
        future = self._loading.pop(name, None)
        incoming = future.result() if future is not None else load_piece(self.where(name) or name)
        if self.fade is not None:
            self.fade.step(self.fade.start + self.fade.seconds)  # finish the last one at once
        self.fade = Crossfade(self.piece, incoming, self.pipeline, self.time, seconds)
        shifted = [dataclasses.replace(f, start=f.start + self.time) for f in incoming.malfunction.timeline]
        self.piece.malfunction.active += shifted
        _give_back_memory()

    def step(self, time: float) -> list[tuple[str, tuple]]:
        """At a frame boundary: start a scene that has loaded, move the crossfade on, and return
        the controls now due (timed cues, and /scene/start)."""
        self.time = time
        out = []
        loading = self._loading.get(self._wanted[0]) if self._wanted else None
        if loading is not None and loading.done():
            name, seconds = self._wanted
            self._wanted = None
            error = loading.exception()
            if error is None:
                out.append(("/scene/start", (name, seconds)))
            else:
                self._loading.pop(name)
                if self.rejections is not None:
                    self.rejections.count("refused scene", f"/scene/go {name}: {error}")
        if self.fade is not None and self.fade.step(time):
            self.fade = None
        return out + self.cues.due(time)

    def close(self) -> None:
        if self._loader is not None:
            self._loader.shutdown(wait=True, cancel_futures=True)


def _loader() -> ProcessPoolExecutor:
    """One process that reads scenes; spawned, so no GL context or threads are copied into it."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def _give_back_memory() -> None:
    """Hand the memory a scene change freed (megabytes of glyphs, arrived through a pipe) back
    to the system: glibc keeps it otherwise, and a show that changes scene for weeks creeps."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
