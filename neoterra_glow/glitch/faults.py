"""Faults as plain data: what malfunctions, how hard, for how long, and the shape of it in time."""

from __future__ import annotations

import math
from dataclasses import dataclass

PARTICLE_KINDS = ("stall", "scatter", "swap", "colour", "flicker", "cascade")
SCREEN_KINDS = ("split", "blocks", "tear", "smear", "sort", "crush", "static")
KINDS = (*PARTICLE_KINDS, *SCREEN_KINDS, "embrace")  # embrace: faults glow instead of being repaired
ENVELOPES = ("spike", "swell", "hold", "strobe")


@dataclass(frozen=True)
class Fault:
    """One malfunction: `kind` at `intensity` (0..1) from `start` for `duration` seconds."""

    kind: str
    intensity: float
    start: float
    duration: float
    envelope: str = "spike"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fault kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.envelope not in ENVELOPES:
            raise ValueError(f"envelope {self.envelope!r} is not one of {', '.join(ENVELOPES)}")
        if not 0.0 <= self.intensity <= 1.0 or not math.isfinite(self.intensity):
            raise ValueError(f"intensity must be in 0..1, got {self.intensity!r}")
        if not 0.0 < self.duration <= 3600.0:
            raise ValueError(f"duration must be more than 0 seconds (and at most an hour), got {self.duration!r}")

    def progress(self, time: float) -> float:
        """How far through the fault `time` is: 0 at its start, 1 at its end."""
        return (time - self.start) / self.duration

    def level(self, time: float) -> float:
        """Its strength at `time`: the intensity shaped by the envelope, zero outside it.

        spike: a hit, at once, that decays; swell: rises and falls smoothly; hold: steady
        from its first frame, with a short ramp out; strobe: on and off eight times a second.
        """
        t = self.progress(time)
        if not 0.0 <= t < 1.0:
            return 0.0
        seconds = time - self.start
        if self.envelope == "spike":
            shape = math.exp(-4.0 * t)
        elif self.envelope == "swell":
            shape = math.sin(math.pi * t) ** 2
        elif self.envelope == "hold":
            shape = min(1.0, (self.duration - seconds) / 0.05)
        else:
            shape = 1.0 if (seconds * 8.0) % 1.0 < 0.5 else 0.0
        return self.intensity * shape
