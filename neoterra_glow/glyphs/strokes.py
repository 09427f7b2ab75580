"""Strokes: polylines with a radius at every point, the ink glyphs are drawn with.

A stroke gives both halves of a glyph: its signed distance (for glow and masks)
and target points spread over its area (for the nanobots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stroke:
    """A brush line in glyph units: `points` (K, 2) along its centre, `radii` (K,) half-widths, and
    `density`, its targets per area against the ink's: below 1 it is a shade, a sparse stipple of
    light that gives a face volume between its lines, and no ink (it has no distance field)."""

    points: np.ndarray
    radii: np.ndarray
    density: float = 1.0

    def __post_init__(self) -> None:
        points = np.asarray(self.points, np.float32).reshape(-1, 2)
        radii = np.broadcast_to(np.asarray(self.radii, np.float32), (len(points),)).copy()
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "radii", radii)

    def arc_lengths(self) -> np.ndarray:
        """Distance along the stroke at each point, starting at zero."""
        steps = np.linalg.norm(np.diff(self.points, axis=0), axis=1)
        return np.concatenate([[0.0], np.cumsum(steps)]).astype(np.float32)

    def dashed(self, dash: float, gap: float) -> list[Stroke]:
        """The stroke broken into dashes of `dash` length with `gap` between, in glyph units."""
        along = self.arc_lengths()
        period = dash + gap
        pieces = []
        start = 0.0
        while start < along[-1]:
            end = min(start + dash, float(along[-1]))
            t = np.linspace(start, end, max(int((end - start) / 0.01), 2))
            points = np.stack([np.interp(t, along, self.points[:, i]) for i in (0, 1)], axis=1)
            pieces.append(Stroke(points, np.interp(t, along, self.radii)))
            start += period
        return pieces


def bezier(p0, p1, p2, p3, count: int = 48) -> np.ndarray:
    """Points on a cubic Bezier curve, evenly spaced in its parameter."""
    t = np.linspace(0.0, 1.0, count, dtype=np.float32)[:, None]
    p0, p1, p2, p3 = (np.asarray(p, np.float32) for p in (p0, p1, p2, p3))
    u = 1.0 - t
    return u**3 * p0 + 3 * u**2 * t * p1 + 3 * u * t**2 * p2 + t**3 * p3


def _segments(strokes: list[Stroke]):
    """Every segment of every stroke: start, end, radius at each end, the stroke's arc position at
    each end, and which stroke it belongs to. A dot is one segment of length zero."""
    parts: list[list[np.ndarray]] = [[] for _ in range(7)]  # start, end, their radii, their arc positions, the stroke
    for index, stroke in enumerate(strokes):
        points, radii = stroke.points, stroke.radii
        if len(points) == 1:  # a dot
            points, radii = np.repeat(points, 2, axis=0), np.repeat(radii, 2)
        along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
        along = along / along[-1] if along[-1] > 0 else np.linspace(0.0, 1.0, len(points))
        ends = (points[:-1], points[1:], radii[:-1], radii[1:], along[:-1], along[1:], np.full(len(points) - 1, index))
        for part, end in zip(parts, ends, strict=True):
            part.append(end)
    return tuple(np.concatenate(part).astype(np.float32) for part in parts[:6]) + (np.concatenate(parts[6]),)


REACH = 0.3  # glyph units: beyond this from the ink, the distance is just "far" (REACH)


def signed_distance(strokes: list[Stroke], grid: np.ndarray) -> np.ndarray:
    """Signed distance from each point of a regular grid (rows, columns, 2; a meshgrid, as
    glyph.cell_grid makes) to the strokes' ink: negative inside, at most REACH outside.

    Each segment is a tapered capsule; the radius is interpolated at the closest point. A few
    segments at a time are measured against the grid points near them only, so a drawing of
    thousands of paths costs about as much as its ink covers, not paths times grid. Shades are left out.
    """
    a, b, ra, rb, _, _, _ = _segments([stroke for stroke in strokes if stroke.density >= 1.0])
    xs, ys = grid[0, :, 0], grid[:, 0, 1]
    best = np.full(grid.shape[:-1], REACH, np.float32)
    edge = b - a
    length2 = np.maximum((edge**2).sum(axis=1), 1e-12)
    for start in range(0, len(a), 16):  # neighbouring segments: a compact window
        s = slice(start, start + 16)
        reach = REACH + float(max(ra[s].max(), rb[s].max()))
        low = np.minimum(a[s], b[s]).min(axis=0) - reach
        high = np.maximum(a[s], b[s]).max(axis=0) + reach
        columns = slice(np.searchsorted(xs, low[0]), np.searchsorted(xs, high[0], side="right"))
        rows = slice(np.searchsorted(ys, low[1]), np.searchsorted(ys, high[1], side="right"))
        window = grid[rows, columns]
        if window.size == 0:
            continue
        rx, ry = window[..., 0, None] - a[s, 0], window[..., 1, None] - a[s, 1]  # by component: no reductions over pairs
        ex, ey = edge[s, 0], edge[s, 1]
        t = np.clip((rx * ex + ry * ey) / length2[s], 0.0, 1.0)
        rx -= t * ex
        ry -= t * ey
        distance = np.sqrt(rx * rx + ry * ry) - (ra[s] + t * (rb - ra)[s])
        best[rows, columns] = np.minimum(best[rows, columns], distance.min(axis=-1))
    return best


SPREAD = 0.3  # share of its stroke's radius a bot strays from its target (retarget.comp); targets keep to the rest


@dataclass(frozen=True)
class Placement:
    """Where each target sits on a set of strokes, apart from their shape: its segment, its place
    along it (0..1), and its offset from the centre line in radii, along the tangent (only in the
    round caps) and across. The same placement on strokes of the same topology, posed differently,
    gives the same places on the ink: that is what lets a face blink without its bots reshuffling."""

    segment: np.ndarray
    f: np.ndarray
    offset: np.ndarray
    stroke: np.ndarray
    segments: int  # how many segments the strokes it was made for have


def stroke_areas(strokes: list[Stroke]) -> np.ndarray:
    """How much of each stroke you see: its body (length times width) and its two round caps, so a dot is a disc."""
    return _pieces(strokes)[0]


def _pieces(strokes: list[Stroke]):
    """Each stroke as pieces in drawing order, start cap, segments, end cap: their areas, segments
    and kinds (-1 start cap, 0 body, 1 end cap), and each stroke's first and last piece."""
    a, b, ra, rb, _, _, owner = _segments(strokes)
    count = len(strokes)
    first = np.searchsorted(owner, np.arange(count))
    last = np.searchsorted(owner, np.arange(count), side="right") - 1
    body = np.linalg.norm(b - a, axis=1) * (ra + rb)
    caps = np.pi / 2 * np.stack([ra[first] ** 2, rb[last] ** 2])
    total = len(a) + 2 * count
    weight, segment, kind = np.zeros(total), np.zeros(total, int), np.zeros(total, int)
    at = np.arange(len(a)) + 2 * owner + 1
    weight[at], segment[at] = body, np.arange(len(a))
    starts, ends = first + 2 * np.arange(count), last + 2 * np.arange(count) + 2
    weight[starts], segment[starts], kind[starts] = caps[0], first, -1
    weight[ends], segment[ends], kind[ends] = caps[1], last, 1
    areas = np.bincount(owner, body, minlength=count) + caps.sum(axis=0)
    return areas, weight, segment, kind, starts, ends, len(a)


def place_samples(strokes: list[Stroke], count: int, rng: np.random.Generator) -> Placement:
    """`count` places spread evenly over each stroke, each stroke getting its share of them by area
    (a dot eye as much as a line of the same area) times its density (a shade's stipple fewer). Stratified
    in stroke order, so neighbouring indices sit side by side on the glyph."""
    areas, weight, segment, kind, starts, ends, segments = _pieces(strokes)
    densities = np.array([stroke.density for stroke in strokes])
    weighted = areas * densities
    share = count * weighted / weighted.sum()
    counts = np.floor(share).astype(int)
    counts[np.argsort(counts - share, kind="stable")[: count - counts.sum()]] += 1  # the largest remainders
    stroke = np.repeat(np.arange(len(strokes)), counts)
    rank = np.arange(count) - (np.cumsum(counts) - counts)[stroke]
    cumulative = np.concatenate([[0.0], np.cumsum(weight)])
    u = cumulative[starts[stroke]] + (rank + rng.random(count)) / counts[stroke] * areas[stroke]
    piece = np.clip(np.searchsorted(cumulative, u, side="right") - 1, starts[stroke], ends[stroke])
    within = np.clip((u - cumulative[piece]) / np.maximum(weight[piece], 1e-12), 0.0, 1.0)
    across, reach = rng.uniform(-1.0, 1.0, count), np.sqrt(rng.random(count))
    feather = rng.uniform(-1.0, 1.0, count)
    across = np.where(densities[stroke] < 1.0, (across + feather) / 2, across)  # a shade thins towards its edges: a tone, not a strip
    side = kind[piece]
    angle = (within - 0.5) * np.pi  # in a cap: around the half disc beyond the end
    offset = np.where(
        (side == 0)[:, None],
        np.column_stack([np.zeros(count), across]),
        reach[:, None] * np.column_stack([side * np.cos(angle), np.sin(angle)]),
    )
    f = np.where(side == 0, within, (side + 1) / 2)
    return Placement(segment[piece], f.astype(np.float32), offset.astype(np.float32), stroke, segments)


def sample_points(strokes: list[Stroke], placement: Placement) -> np.ndarray:
    """The targets (x, y, spread, place along the stroke 0..1) of a placement on these strokes; a shade's spread is
    negative, so the swarm lights its stipple in finer points than a line (shaders/swarm/aim.glsl)."""
    a, b, ra, rb, ta, tb, _ = _segments(strokes)
    if len(a) != placement.segments:
        raise ValueError(f"a placement made for {placement.segments} segments cannot be used on {len(a)}")
    s, f = placement.segment, placement.f
    edge = (b - a)[s]
    length = np.linalg.norm(edge, axis=1, keepdims=True)
    tangent = np.where(length > 1e-9, edge / np.maximum(length, 1e-9), (1.0, 0.0))
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    radius = ra[s] + f * (rb - ra)[s]
    off = placement.offset
    points = a[s] + f[:, None] * edge + (off[:, :1] * tangent + off[:, 1:] * normal) * (radius * (1.0 - SPREAD))[:, None]
    along = ta[s] + f * (tb - ta)[s]
    spread = radius * SPREAD
    shade = np.array([stroke.density < 1.0 for stroke in strokes])[placement.stroke]
    return np.column_stack([points, np.where(shade, -spread, spread), along]).astype(np.float32)

