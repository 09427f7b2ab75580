"""The community wall: where each glyph sits in the frame, and which one the swarm is forming.

Frame units: y runs -1..1, x runs -aspect..aspect. A glyph's scale maps its
-1..1 glyph units into frame units.
"""

from __future__ import annotations

import math

import numpy as np

LAYOUTS = ("centre", "grid", "wall", "ring")
CENTRE_SCALE = 0.62


def placements(layout: str, count: int, aspect: float) -> np.ndarray:
    """(count, 3): centre x, y and scale of each glyph for a layout.

    centre: all in the middle, the swarm morphs from one to the next in place;
    grid: rows and columns; wall: rows offset by half a glyph, like brickwork;
    ring: around a circle, visited in turn.
    """
    if layout == "centre" or count == 1:
        return np.tile(np.float32([0.0, 0.0, CENTRE_SCALE]), (count, 1))
    if layout == "ring":
        radius = 0.66
        angle = math.pi / 2 - np.arange(count) * 2 * math.pi / count
        scale = min(0.42 * radius * 2 * math.pi / count, 0.3)
        xs, ys = np.cos(angle) * radius * max(aspect, 1.0) * 0.9, np.sin(angle) * radius
        return np.column_stack([xs, ys, np.full(count, scale)]).astype(np.float32)
    if layout not in ("grid", "wall"):
        raise ValueError(f"unknown layout {layout!r}; the layouts are {', '.join(LAYOUTS)}")
    columns = max(1, round(math.sqrt(count * aspect)))
    rows = math.ceil(count / columns)
    cell = min(2 * aspect * 0.92 / (columns + (0.5 if layout == "wall" else 0.0)), 2 * 0.9 / rows)
    index = np.arange(count)
    row, column = index // columns, index % columns
    shift = np.where((row % 2 == 1) & (layout == "wall"), 0.5, 0.0)
    in_row = np.minimum(columns, count - row * columns)  # the last row may be short: centre it
    xs = (column - (in_row - 1) / 2 + shift - (0.25 if layout == "wall" else 0.0)) * cell
    ys = ((rows - 1) / 2 - row) * cell
    return np.column_stack([xs, ys, np.full(count, cell * 0.42)]).astype(np.float32)


class Visits:
    """The swarm visits the glyphs in turn, `hold` seconds each, and remembers which it has visited.

    Time is the swarm's simulated time, so a fixed-clock render visits identically every run.
    """

    keeps = ("count", "current", "time", "visited", "waiting", "queued")

    def __init__(self, count: int) -> None:
        self.count = count
        self.current = 0
        self.time = 0.0  # seconds since the swarm set off for the current glyph
        self.visited = np.zeros(count, bool)
        self.visited[0] = True
        self.waiting = False  # asked to move on, and waiting for the beat
        self.queued: int | None = None  # the glyph to go to next, when not the one after this

    def advance(self, dt: float, hold: float, move_on: bool, ready: bool = True) -> bool:
        """Step the schedule; True when the swarm has just set off for another glyph. A move
        that is due waits until `ready` (the beat clock's next beat or bar, with tempo.morphs)."""
        self.time += dt
        self.waiting = self.waiting or move_on
        if self.count > 1 and ready and (self.waiting or self.time >= hold):
            self.waiting = False
            self.current = (self.current + 1) % self.count if self.queued is None else self.queued
            self.queued = None
            self.visited[self.current] = True
            self.time = 0.0
            return True
        return False


def joined(visits: Visits, count: int, dropped: int | None) -> Visits:
    """The visits once the glyphs are `count` (one joined at the end, the swarm to form it next),
    with glyph `dropped` retired, if any: what was visited stays visited."""
    kept = [i for i in range(visits.count) if i != dropped]
    out = Visits(count)
    out.visited[: len(kept)] = visits.visited[kept]
    out.current = kept.index(visits.current) if visits.current in kept else 0
    out.visited[out.current] = True
    out.time, out.queued, out.waiting = visits.time, count - 1, True
    return out


def smoothstep(low: float, high: float, x: float) -> float:
    t = min(max((x - low) / max(high - low, 1e-6), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)
