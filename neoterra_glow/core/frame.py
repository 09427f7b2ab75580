"""The one thing every pass is given: which frame this is and the parameters it sees."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from neoterra_glow.core.clock import RENDER_EPOCH


@dataclass(frozen=True)
class Faults:
    """What one frame suffers: a level per fault kind (0 = none), the front of a cascade
    (0..1 through the bots), and a seed that changes with each fault and a few times a second."""

    levels: Mapping[str, float] = field(default_factory=dict)
    front: float = 0.0
    seed: int = 0

    def __getitem__(self, kind: str) -> float:
        return self.levels.get(kind, 0.0)


@dataclass(frozen=True)
class Frame:
    """Index, time and step of a frame, with the parameter snapshot taken at its boundary."""

    index: int
    time: float
    dt: float
    params: Mapping[str, Any]
    seed: int
    size: tuple[int, int]
    faults: Faults = Faults()
    epoch: float = RENDER_EPOCH  # the wall-clock date of time 0 (seconds since 1970), from the clock
    audio: Any = None  # what the sound is doing (audio/analysis.py's Hearing), when the show hears one

    @property
    def date(self) -> datetime.datetime:
        """The frame's date and time of day: the venue's live, a fixed one in a render."""
        return datetime.datetime.fromtimestamp(self.epoch + self.time, datetime.UTC)

