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


def advance(clock, registry, seed: int, size: tuple[int, int], feel=None) -> Frame:
    """Tick the clock and take the registry's snapshot: the frame boundary.

    `feel(snapshot, dt)`, the emotion bus's, turns the values set into the values felt.
    """
    index, time, dt = clock.tick()
    params = registry.snapshot(dt)
    if feel is not None:
        params = feel(params, dt)
    return Frame(index=index, time=time, dt=dt, params=params, seed=seed, size=size)
