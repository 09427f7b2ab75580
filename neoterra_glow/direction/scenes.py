"""Scenes: crossfading a running show into another preset, as OSC, a key or the cue list asks.

A crossfade moves every parameter the two presets share from where it is to the new
preset's value (choices switch halfway), fades layers the new preset lacks out and
its new layers in, and hands the swarm the new glyphs, which it morphs into. It leaves
the venue's calibration alone, and lets go of any parameter set live while it runs.
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, cast

from neoterra_glow.control.beat import crossed
from neoterra_glow.control.commands import FADE_SECONDS
from neoterra_glow.control.message import Control
from neoterra_glow.core.children import leave_ctrl_c_to_the_show
from neoterra_glow.core.params import Kind, Registry, approach
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.direction.cues import Cue, CueList
from neoterra_glow.piece import Piece, load_piece
from neoterra_glow.pipeline import Pipeline

if TYPE_CHECKING:
    from neoterra_glow.murals.stack import MuralStack
    from neoterra_glow.swarm.swarm import Swarm

LOAD_GAP = 2.0  # seconds from one scene's load beginning to the next's, at least


class Crossfade:
    """One crossfade in progress, as plain values: `targets(time, now)` says where each parameter
    is at `time`, from what the registry held when the fade began to the incoming preset's
    values; the director sets them. A value found changed since the fade set it (`landed`) was
    set live, and the fade lets go of it. `leaving`: the layers to take away at the end."""

    def __init__(self, registry: Registry, incoming: Piece, leaving: list[str], time: float, seconds: float) -> None:
        self.start, self.seconds = time, min(seconds if seconds >= 1e-3 else 1e-3, FADE_SECONDS)  # NaN: at once; it always ends
        self.leaving = leaving
        self.begin = {p.path: registry.value(p.path) for p in registry if not (p.venue or p.local)}  # calibration and the guard stay
        self.end = {path: incoming.registry.value(path) for path in self.begin if path in incoming.registry}
        for name in leaving:
            self.end[f"murals.{name}.opacity"] = 0.0
        self.params = {path: registry[path] for path in self.end}
        self.landed: dict[str, object] = {}  # what the director last set for the fade

    def progress(self, time: float) -> float:
        return min(max((time - self.start) / self.seconds, 0.0), 1.0)

    def targets(self, time: float, now: Mapping[str, object]) -> dict[str, object]:
        """This frame's values, given the registry's values `now` (a layer removed live is gone from it)."""
        t = self.progress(time)
        eased = t * t * (3.0 - 2.0 * t)
        out = {}
        for path, end in list(self.end.items()):
            if path not in now:
                continue
            if path in self.landed and now[path] != self.landed[path]:
                del self.end[path]  # sent live during the fade: the live value stands
                continue
            param, begin = self.params[path], self.begin[path]
            if param.kind is Kind.TRIGGER:
                continue
            if param.steps:
                out[path] = end if t >= 1.0 else begin
            elif param.kind in (Kind.FLOAT, Kind.COLOUR, Kind.VEC2):
                out[path] = approach(begin, end, eased)
            elif param.kind is Kind.INT:
                out[path] = round(begin + (end - begin) * eased)
            else:
                out[path] = end if t >= 0.5 else begin
        return out


class Director:
    """Runs scenes for a live show (and for its replay): crossfades and the cue list.

    In a live show a scene's preset is loaded in a process of its own (its glyphs take a good
    part of a second to draw, and a thread would wait on the render loop for the interpreter),
    and its crossfade starts at the first frame boundary after, as the control /scene/start,
    which the session records: a replay loads it there and starts it at that very frame.
    `waits`: a /scene/start whose scene has not loaded waits for it on this thread (a replay
    or a wall's follower, which must start it at that very frame); otherwise (a live show) it
    is loaded apart and starts once ready, so a flood of /scene/start never stalls a frame.
    """

    def __init__(self, piece: Piece, pipeline: Pipeline, base: Path, cues: Sequence[Cue] = (), *,
                 live: bool = False, rejections: Rejections | None = None, waits: bool | None = None) -> None:
        self.piece, self.pipeline, self.base = piece, pipeline, base
        self.cues = CueList(list(cues))
        self.fade: Crossfade | None = None
        self.time = 0.0
        self.live = live  # a replay starts fades only when its session says /scene/start
        self.rejections = rejections or Rejections()
        self.waits = not live if waits is None else waits
        self._loader = _loader() if live else None
        self._loading: dict[str, Future] = {}  # name -> the preset being read and drawn
        self._wanted: tuple[str, float] | None = None  # the scene a live show goes to once it is loaded
        self._position = 0.0  # the beat clock's, at the last boundary
        self._next_load = 0.0  # when (time.monotonic) the next scene may begin to load

    keeps = ("time", "_position")

    def checkpointable(self) -> str | None:
        """Why a checkpoint cannot be taken now (a scene on its way or fading in), or None."""
        if self.fade is not None or self._wanted or self._loading:
            return "a scene change is under way; a checkpoint is taken between scene changes"
        return None

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
            if self._wanted and self._wanted[0] != name:  # no longer wanted: its load is let go
                dropped = self._loading.pop(self._wanted[0], None)
                if dropped is not None:
                    dropped.cancel()
            self._wanted = (name, seconds)
            self._load(name)

    def _load(self, name: str) -> None:
        """Start loading a scene apart, unless it is loading, or one began less than LOAD_GAP ago
        (then the next boundary after the gap does): a flood of scene changes loads one scene now
        and then, the latest asked for, and the frames go on."""
        if name in self._loading or time.monotonic() < self._next_load:
            return
        self._next_load = time.monotonic() + LOAD_GAP
        assert self._loader is not None  # a live show's director loads apart
        try:
            self._loading[name] = self._loader.submit(load_piece, self.where(name) or name)
        except BrokenProcessPool:  # the loader died (killed, out of memory): a new one
            self._loader = _loader()
            self._loading[name] = self._loader.submit(load_piece, self.where(name) or name)

    def start(self, name: str, seconds: float) -> None:
        """Start the crossfade to a loaded scene now; one not loaded yet is loaded here if this
        director `waits`, else apart, and started once ready."""
        future = self._loading.get(name)
        if not self.waits and (future is None or not future.done()):
            self.go(name, seconds)
            return
        self._loading.pop(name, None)
        incoming = future.result() if future is not None else load_piece(self.where(name) or name)
        if self.fade is not None:
            self._fade_to(self.fade.start + self.fade.seconds)  # finish the last one at once
        registry, murals = self.piece.registry, cast("MuralStack", self.pipeline["murals"])
        arriving = {spec.name for spec in incoming.layers} - set(murals.names())
        for index, spec in enumerate(incoming.layers):
            if spec.name in arriving:  # new layers join faded out
                murals.add(spec, registry, index)
                registry.set(f"{spec.prefix}.opacity", 0.0, immediate=True)
        leaving = [spec.name for spec in self.piece.layers if spec.name not in {s.name for s in incoming.layers}]
        self.fade = Crossfade(registry, incoming, leaving, self.time, seconds)
        cast("Swarm", self.pipeline["swarm"]).show(incoming.glyphs)
        self.piece.become(incoming)
        shifted = [dataclasses.replace(f, start=f.start + self.time) for f in incoming.malfunction.timeline]
        self.piece.malfunction.active += shifted
        _give_back_memory()

    def step(self, time: float) -> list[Control]:
        """At a frame boundary: start a scene that has loaded, move the crossfade on, and return
        the controls now due (timed cues, and /scene/start). With tempo.scenes, a loaded scene
        and a cue whose time has come wait for the next beat, half bar or bar. Whatever goes
        wrong is reported (as seldom as the Rejections allow), the crossfade ends, the show goes on."""
        try:
            return self._step(time)
        except Exception as error:
            self.fade, self._wanted = None, None
            self.rejections.failed("scene failed", "the scene change stopped, and the show goes on", error)
            return []

    def _step(self, time: float) -> list[Control]:
        self.time = time
        value = self.piece.registry.value
        on_beat = crossed(self._position, value("tempo.position"), value("tempo.scenes"), value("tempo.bpm"))
        self._position = value("tempo.position")
        out = []
        if self._wanted:
            self._load(self._wanted[0])
        loading = self._loading.get(self._wanted[0]) if self._wanted else None
        if loading is not None and loading.done() and (on_beat or loading.exception() is not None):
            assert self._wanted is not None  # what is loading
            name, seconds = self._wanted
            self._wanted = None
            error = loading.exception()
            if error is None:
                out.append(Control("/scene/start", (name, seconds)))
            else:
                self._loading.pop(name)
                self.rejections.count("refused scene", f"/scene/go {name}: {error}")
        if self.fade is not None and self._fade_to(time):
            self.fade = None
        return out + (self.cues.due(time) if on_beat else [])

    def _fade_to(self, time: float) -> bool:
        """Set the crossfade's values for `time`; True once it is over (and faded layers are gone)."""
        registry, fade = self.piece.registry, self.fade
        assert fade is not None  # only a crossfade under way is moved on
        now = {path: registry.value(path) for path in fade.end if path in registry}
        for path, value in fade.targets(time, now).items():
            fade.landed[path] = registry.set(path, value, immediate=True)
        if fade.progress(time) < 1.0:
            return False
        murals = cast("MuralStack", self.pipeline["murals"])
        for name in fade.leaving:
            if name in murals.names():
                murals.remove(name, registry)
        return True

    def close(self) -> None:
        if self._loader is not None:
            self._loader.shutdown(wait=True, cancel_futures=True)


def _loader() -> ProcessPoolExecutor:
    """One process that reads scenes; spawned, so no GL context or threads are copied into it."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=leave_ctrl_c_to_the_show)


def _give_back_memory() -> None:
    """Hand the memory a scene change freed (megabytes of glyphs, arrived through a pipe) back
    to the system: glibc keeps it otherwise, and a show that changes scene for weeks creeps."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass
