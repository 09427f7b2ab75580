"""The one thing every pass is given: which frame this is and the parameters it sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Frame:
    """Index, time and step of a frame, with the parameter snapshot taken at its boundary."""

    index: int
    time: float
    dt: float
    params: Mapping[str, Any]
    seed: int
    size: tuple[int, int]


def advance(clock, registry, seed: int, size: tuple[int, int]) -> Frame:
    """Tick the clock and take the registry's snapshot: the frame boundary."""
    index, time, dt = clock.tick()
    return Frame(index=index, time=time, dt=dt, params=registry.snapshot(dt), seed=seed, size=size)
