"""The gathering: where each community member's face sits in the frame (laid out centre, grid, wall or ring:
swarm.layout), and which one the swarm is forming.

Frame units: y runs -1..1, x runs -aspect..aspect. A glyph's scale maps its
-1..1 glyph units into frame units.
"""

from __future__ import annotations

import functools
import math

import numpy as np

LAYOUTS = ("centre", "grid", "wall", "ring")
CENTRE_SCALE = 0.56  # a head's ink (about 2 glyph units tall, hair to chin) fills 55% of the frame's height
THIRDS = 1.0 / 3.0  # the thirds' lines, as a share of the frame's half-width from its centre
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0  # spreads any number of glyphs evenly, never in a visible cycle
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
INK_WIDE, INK_TALL = 0.92, 1.06  # how far a portrait's ink reaches from its centre, in scales (glyphs/smile.py: a bust)
WALL_SCALE = 0.56  # the largest face on a wall of few: about 40% of the frame's height, none a centrepiece
INSET = 0.8  # a wall keeps inside this share of the frame's half-height and half-width: a margin round it (at 0.88 the top faces
              # sat close to the frame's top edge, curators), no head cut by the edge
BAND = 6  # a wall of this many faces or fewer stands in a staggered band, each face as large as it fits
RELAXING = 80  # rounds of pushing a wall's faces apart
PARTING = 1.2  # how far from a face's centre, in scales, the room's currents part round it: clear of its ink
MOST_THREADED = 24  # faces a wall's threads join (shaders/swarm/dust.vert)
FORMED = 2.5  # seconds after the swarm sets off for a face by which it has formed


def placements(layout: str, count: int, aspect: float) -> np.ndarray:
    """(count, 3): centre x, y and scale of each glyph for a layout.

    centre: one face at a time filling half the frame's height, the first in the middle, each
    next along the thirds (the swarm flies from one to the next); grid: rows and columns;
    wall: an organic cluster grown from the middle outwards, larger faces at its heart;
    ring: around a circle, visited in turn.
    """
    if layout == "centre" or count == 1:
        return _along_the_thirds(count, aspect)
    if layout == "ring":
        radius = 0.66
        angle = math.pi / 2 - np.arange(count) * 2 * math.pi / count
        scale = min(0.42 * radius * 2 * math.pi / count, 0.3)
        xs, ys = np.cos(angle) * radius * max(aspect, 1.0) * 0.9, np.sin(angle) * radius
        return np.column_stack([xs, ys, np.full(count, scale)]).astype(np.float32)
    if layout == "wall":
        return (_band(count, aspect) if count <= BAND else _cluster(count, aspect)).copy()
    if layout != "grid":
        raise ValueError(f"unknown layout {layout!r}; the layouts are {', '.join(LAYOUTS)}")
    columns = max(1, round(math.sqrt(count * aspect)))
    rows = math.ceil(count / columns)
    cell = min(2 * aspect * 0.92 / columns, 2 * 0.9 / rows)
    index = np.arange(count)
    row, column = index // columns, index % columns
    in_row = np.minimum(columns, count - row * columns)  # the last row may be short: centre it
    return np.column_stack([(column - (in_row - 1) / 2) * cell, ((rows - 1) / 2 - row) * cell,
                            np.full(count, cell * 0.42)]).astype(np.float32)


def _along_the_thirds(count: int, aspect: float) -> np.ndarray:
    """The first face in the middle, each next one elsewhere between the thirds' lines (a
    golden-ratio walk, so neighbours differ), a little above or below: a composition that moves."""
    walk = (0.5 + np.arange(count) * GOLDEN) % 1.0 * 2.0 - 1.0  # 0 first, then spread over -1..1
    xs = walk * THIRDS * aspect
    ys = -0.05 * walk * np.cos(np.arange(count) * 2.4)
    return np.column_stack([xs, ys, np.full(count, CENTRE_SCALE)]).astype(np.float32)


@functools.lru_cache(maxsize=16)
def _cluster(count: int, aspect: float) -> np.ndarray:
    """A sunflower's seeds (Vogel's phyllotaxis, 1979) stretched to the frame: evenly spread with
    no rows, the first at the heart and each next further out, so the wall grows from its middle.
    Faces shrink a little outwards and vary by a golden-ratio jitter; a few rounds of pushing
    overlapping neighbours apart (a relaxed packing) let them grow, then all are scaled as large
    as they can be without touching each other or the frame's inset edge. Cached: it is asked every frame."""
    index = np.arange(count)
    radius = np.sqrt((index + 0.5) / count)
    angle = index * GOLDEN_ANGLE
    xs, ys = radius * np.cos(angle) * aspect * INSET, radius * np.sin(angle) * INSET
    sizes = (1.0 - 0.2 * radius) * (0.9 + 0.2 * ((index * GOLDEN * 7.0) % 1.0))
    for _ in range(RELAXING):
        reach = sizes * _room(xs, ys, sizes, aspect) * 1.15  # a little more room than they have now
        dx, dy = xs[:, None] - xs[None, :], ys[:, None] - ys[None, :]
        gap = np.hypot(dx, dy)
        np.fill_diagonal(gap, np.inf)
        push = np.clip(reach[:, None] + reach[None, :] - gap, 0.0, None) * reach[None, :] / (reach[:, None] + reach[None, :])
        xs = np.clip(xs + 0.5 * (push * dx / gap).sum(1), reach * INK_WIDE - aspect * INSET, aspect * INSET - reach * INK_WIDE)
        ys = np.clip(ys + 0.5 * (push * dy / gap).sum(1), reach * INK_TALL - INSET, INSET - reach * INK_TALL)
    scale = np.minimum(sizes * _room(xs, ys, sizes, aspect) * 0.98, WALL_SCALE)
    return np.column_stack([xs, ys, scale]).astype(np.float32)


@functools.lru_cache(maxsize=16)
def _band(count: int, aspect: float) -> np.ndarray:
    """A few faces across the frame in a staggered band, alternately high and low, so each can be
    about as tall as half the frame's height (a sunflower's packing leaves them a third smaller):
    visited from the middle outwards, sizes varied a little by a golden-ratio jitter."""
    across = np.linspace(-1.0, 1.0, count)
    order = np.argsort(np.abs(across), kind="stable")  # the middle first
    xs = across[order] * (aspect - 0.55) * INSET
    ys = np.where(order % 2 == 0, 0.48, -0.48) * INSET  # neighbours across the frame alternate high and low
    sizes = 0.95 + 0.1 * ((np.arange(count) * GOLDEN * 7.0) % 1.0)
    scale = np.minimum(sizes * _room(xs, ys, sizes, aspect, boxes=True) * 0.98, WALL_SCALE)
    return np.column_stack([xs, ys, scale]).astype(np.float32)


def _room(xs: np.ndarray, ys: np.ndarray, sizes: np.ndarray, aspect: float, boxes: bool = False) -> float:
    """How far `sizes` can grow before two faces touch or one meets the frame's edge. A head's ink
    reaches INK_WIDE scales to each side of its centre and INK_TALL up and down: as an ellipse, or
    with `boxes` as its whole box (a band's high and low neighbours, where hair meets a chin)."""
    wide = np.abs(xs[:, None] - xs[None, :]) / INK_WIDE
    tall = np.abs(ys[:, None] - ys[None, :]) / INK_TALL
    gap = (np.maximum(wide, tall) if boxes else np.hypot(wide, tall)) / (sizes[:, None] + sizes[None, :])
    np.fill_diagonal(gap, np.inf)
    return min(float(gap.min()), float(((aspect * INSET - np.abs(xs)) / (INK_WIDE * sizes)).min()),
               float(((INSET - np.abs(ys)) / (INK_TALL * sizes)).min()))


class Visits:
    """The swarm visits the glyphs in turn, `hold` seconds each, and remembers which it has visited.

    Time is the swarm's simulated time, so a fixed-clock render visits identically every run.
    """

    keeps = ("count", "current", "time", "visited", "waiting", "queued", "least", "healing")

    def __init__(self, count: int) -> None:
        self.count = count
        self.current = 0
        self.time = 0.0  # seconds since the swarm set off for the current glyph
        self.visited = np.zeros(count, bool)
        self.visited[0] = True
        self.waiting = False  # asked to move on, and waiting for the beat
        self.queued: int | None = None  # the glyph to go to next, when not the one after this
        self.least = 0.0  # seconds the current glyph is kept at the least, past the hold (stay); 0: none asked
        self.healing = False  # an embrace healed it this step: it stays through the next (heal)

    def stay(self, seconds: float) -> None:
        """Keep the current glyph until `seconds` into its visit at the least, longer than the hold if need be (a face an
        embrace heals stays while its seam is seen: swarm.py); a move asked for (move_on) still goes at once."""
        self.least = max(self.least, seconds)

    def heal(self, seconds: float) -> None:
        """Keep the current glyph while an embrace heals it (called each step it does), and `seconds` from its first step
        on, once in its visit: its seam is seen (swarm.py's SEAM_SEEN), and a long embrace, a piece's ending, holds its
        healed face to its end (the finale's, 20 s, went on to heal a fresh, unbroken face)."""
        if self.least == 0.0:
            self.stay(self.time + seconds)
        self.healing = True

    def advance(self, dt: float, hold: float, move_on: bool, ready: bool = True) -> bool:
        """Step the schedule; True when the swarm has just set off for another glyph. A move
        that is due waits until `ready` (the beat clock's next beat or bar, with tempo.morphs)."""
        self.time += dt
        self.waiting = self.waiting or move_on
        healing, self.healing = self.healing, False
        if self.count > 1 and ready and (self.waiting or (self.time >= max(hold, self.least) and not healing)):
            self.waiting = False
            self.current = (self.current + 1) % self.count if self.queued is None else self.queued
            self.queued = None
            self.visited[self.current] = True
            self.time = self.least = 0.0
            return True
        return False


def parting(layout: str, places: np.ndarray, visits: Visits) -> tuple[float, float, float]:
    """Where the room's spare dust parts round the face (swarm/dust.py): centre and radius in frame
    units, eased from the last face's place to this one's as the swarm flies, so the currents bend
    round a face and follow it; on a wall of many faces none (radius 0), its threads join them instead."""
    if layout != "centre":
        return 0.0, 0.0, 0.0
    now = places[visits.current]
    was = places[(visits.current - 1) % visits.count] if visits.visited.sum() > 1 else now  # the show's first face: no last one
    x, y, scale = was + (now - was) * smoothstep(0.3, FORMED, visits.time)
    return float(x), float(y), float(scale) * PARTING


def threaded(layout: str, places: np.ndarray, visits: Visits) -> tuple[tuple[float, float, float], ...]:
    """The faces a wall's threads of light join (swarm/dust.py): every visited face, the one being
    formed once it has formed, at most MOST_THREADED; on the centre layout none."""
    if layout == "centre":
        return ()
    shown = visits.visited.copy()
    shown[visits.current] = visits.time >= FORMED
    return tuple((float(x), float(y), float(scale)) for x, y, scale in places[np.flatnonzero(shown)[:MOST_THREADED], :3])


def joined(visits: Visits, count: int, slot: int) -> Visits:
    """The visits once the glyphs are `count` and glyph `slot` is a visitor's new one (at the end, or in
    a retired glyph's place), which the swarm forms next: what else was visited stays visited."""
    out = Visits(count)
    out.visited[: visits.count] = visits.visited
    out.visited[slot] = slot == visits.current  # a new face is not yet seen, unless the swarm is forming its place now
    out.current, out.time, out.queued, out.waiting = visits.current, visits.time, slot, True
    return out


def smoothstep(low: float, high: float, x: float) -> float:
    t = min(max((x - low) / max(high - low, 1e-6), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)
