"""Strokes: polylines with a radius at every point, the ink glyphs are drawn with.

A stroke gives both halves of a glyph: its signed distance (for glow and masks)
and target points spread over its area (for the nanobots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stroke:
    """A brush line in glyph units: `points` (K, 2) along its centre, `radii` (K,) half-widths."""

    points: np.ndarray
    radii: np.ndarray

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
    """Every segment of every stroke: start, end, radius at each end, and the stroke's arc position."""
    a, b, ra, rb, ta, tb = [], [], [], [], [], []
    for stroke in strokes:
        points, radii = stroke.points, stroke.radii
        if len(points) == 1:  # a dot
            points, radii = np.repeat(points, 2, axis=0), np.repeat(radii, 2)
        along = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
        along = along / along[-1] if along[-1] > 0 else np.linspace(0.0, 1.0, len(points))
        a.append(points[:-1]), b.append(points[1:]), ra.append(radii[:-1]), rb.append(radii[1:])
        ta.append(along[:-1]), tb.append(along[1:])
    return tuple(np.concatenate(part).astype(np.float32) for part in (a, b, ra, rb, ta, tb))


REACH = 0.3  # glyph units: beyond this from the ink, the distance is just "far" (REACH)


def signed_distance(strokes: list[Stroke], grid: np.ndarray) -> np.ndarray:
    """Signed distance from each point of a regular grid (rows, columns, 2; a meshgrid, as
    glyph.cell_grid makes) to the strokes' ink: negative inside, at most REACH outside.

    Each segment is a tapered capsule; the radius is interpolated at the closest point. A few
    segments at a time are measured against the grid points near them only, so a drawing of
    thousands of paths costs about as much as its ink covers, not paths times grid.
    """
    a, b, ra, rb, _, _ = _segments(strokes)
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
        rel = window[..., None, :] - a[None, None, s, :]
        t = np.clip((rel * edge[s]).sum(axis=-1) / length2[s], 0.0, 1.0)
        closest = rel - t[..., None] * edge[s]
        distance = np.sqrt((closest**2).sum(axis=-1)) - (ra[s] + t * (rb - ra)[s])
        best[rows, columns] = np.minimum(best[rows, columns], distance.min(axis=-1))
    return best


def sample_strokes(strokes: list[Stroke], count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` target points (x, y, radius, place along stroke 0..1), spread evenly over the ink.

    Stratified by area (length times width), in stroke order, so that neighbouring
    indices sit side by side on the glyph and a thick stroke gets more bots.
    """
    a, b, ra, rb, ta, tb = _segments(strokes)
    lengths = np.linalg.norm(b - a, axis=1)
    weights = np.maximum(lengths, 1e-4) * (ra + rb) * 0.5
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])
    u = (np.arange(count) + rng.random(count)) / count * cumulative[-1]
    segment = np.clip(np.searchsorted(cumulative, u, side="right") - 1, 0, len(a) - 1)
    f = ((u - cumulative[segment]) / weights[segment])[:, None]
    points = a[segment] + f * (b - a)[segment]
    radii = ra[segment] + f[:, 0] * (rb - ra)[segment]
    along = ta[segment] + f[:, 0] * (tb - ta)[segment]
    return np.column_stack([points, radii, along]).astype(np.float32)
