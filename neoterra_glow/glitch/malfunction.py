"""The malfunction scheduler: which faults are active in a frame, and how strongly.

Faults come from a preset's timeline, at random at a seeded rate, from a live
trigger (/glitch/trigger), and from emotions through drives on the glitch
parameters (grief past a threshold raising glitch.rate, say). Live and random
faults can wait for the next beat of a BPM or a tapped tempo. Everything is
decided on the frame's clock and the show's seed, so an offline render
glitches identically every time.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from neoterra_glow.control.beat import QUANTISE, seconds_to_next
from neoterra_glow.core.frame import Faults
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.core.tables import read_table
from neoterra_glow.glitch.faults import ENVELOPES, KINDS, Fault, kinds

LIVE_SECONDS = 60.0
LIVE_FAULTS = 32


def parse_timeline(tables: tuple[Mapping[str, Any], ...]) -> tuple[Fault, ...]:
    """A preset's [[fault]] tables: at (seconds), kind, and optionally intensity (1), duration
    (1 second), envelope and every (seconds to its next start; 0, once)."""
    faults = []
    for number, table in enumerate(tables):
        try:
            faults.append(read_table({"intensity": 1.0, "duration": 1.0, **table}, Fault, "a fault", seed=number + 1))
        except ValueError as error:
            raise ValueError(f"fault[{number}]: {error}") from None
    return tuple(faults)


class Malfunction:
    """Decides each frame's faults (timeline, random, live, drives) from the frame's clock and the
    show's seed, so a render glitches the same every time."""

    params = (
        Param("glitch.amount", Kind.FLOAT, 1.0, "master strength of every fault", (0.0, 2.0), smoothing=0.2),
        Param("glitch.rate", Kind.FLOAT, 0.0, "random faults per minute (seeded: a render repeats them)", (0.0, 240.0), smoothing=0.5),
        Param("glitch.strength", Kind.FLOAT, 0.6, "how strong random faults are at most", (0.0, 1.0)),
        Param("glitch.bpm", Kind.FLOAT, 0.0, "a tempo set by hand or tapped (/glitch/tap): the beat clock's last resort; 0 is none",
              (0.0, 300.0)),
        Param("glitch.quantise", Kind.ENUM, "off", "live and random faults wait for the next beat, half bar or bar", choices=QUANTISE),
        *(Param(f"glitch.{kind}", Kind.FLOAT, 0.0, f"a steady level of the {kind} fault, under any events", (0.0, 1.0), smoothing=0.15)
          for kind in KINDS),
    )

    keeps = ("active", "_rng", "_queued", "_count")

    def __init__(self, timeline: tuple[Fault, ...] = (), seed: int = 0) -> None:
        self.timeline = timeline
        self.active: list[Fault] = list(timeline)
        self._rng = random.Random(seed)
        self._queued: list[tuple[str, float, float, str]] = []  # live triggers waiting for a frame
        self._count = len(timeline)

    def trigger(self, kind: str, intensity: float = 1.0, duration: float = 0.6, envelope: str = "spike") -> None:
        """Fire a fault now (or on the next beat); checked here so a bad trigger is refused at once.
        A live fault lasts at most LIVE_SECONDS, and at most LIVE_FAULTS run at once."""
        if not 0.0 < duration <= LIVE_SECONDS:
            raise ValueError(f"a live fault lasts more than 0 and at most {LIVE_SECONDS:g} seconds, got {duration!r}")
        Fault(kind, intensity, 0.0, duration, envelope)
        running = sum(1 for fault in self.active if fault.seed > len(self.timeline)) + len(self._queued)
        if running >= LIVE_FAULTS:
            raise ValueError(f"{LIVE_FAULTS} faults are already running; wait for one to end")
        self._queued.append((kind, intensity, duration, envelope))

    def step(self, time: float, dt: float, params: Mapping[str, Any]) -> Faults:
        """The faults of the frame at `time`."""
        for kind, intensity, duration, envelope in self._queued:
            self._start(kind, intensity, _on_beat(time, params), duration, envelope)
        self._queued.clear()
        if self._rng.random() < params["glitch.rate"] / 60.0 * dt:
            kind = self._rng.choice(kinds(random=True))
            intensity = params["glitch.strength"] * (0.3 + 0.7 * self._rng.random())
            envelope = self._rng.choice(ENVELOPES)
            self._start(kind, intensity, _on_beat(time, params), 0.2 + 1.6 * self._rng.random(), envelope)
        self.active = [f for f in self.active if not f.over(time)]

        amount = params["glitch.amount"]
        levels = {kind: params[f"glitch.{kind}"] for kind in KINDS}
        front, strongest, seed = 0.0, 0.0, 0
        for fault in self.active:
            level = fault.level(time)
            levels[fault.kind] += level
            if level > 0:
                seed = seed * 31 + fault.seed
            if fault.kind == "cascade" and level >= strongest:
                front, strongest = fault.progress(time), level
        levels = {kind: min(level * amount, 1.0) for kind, level in levels.items()}
        return Faults(levels, front, (seed * 7 + int(time * 12.0)) & 0x7FFFFFFF)

    def _start(self, kind: str, intensity: float, start: float, duration: float, envelope: str) -> None:
        self._count += 1
        self.active.append(Fault(kind, intensity, start, duration, envelope, seed=self._count))


def _on_beat(time: float, params: Mapping[str, Any]) -> float:
    """When a fault asked for at `time` starts: on the beat clock's next beat, half bar or bar."""
    return time + seconds_to_next(params["tempo.position"], params["tempo.bpm"], params["glitch.quantise"])
