"""A glyph as the GPU uses it: a signed distance field and target points for the bots.

Glyph units: the glyph fits in the square -1..1 (y up); its SDF cell reaches
EXTENT either side of the centre, leaving room for glow around the ink.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neoterra_glow.glyphs.strokes import Stroke, place_samples, sample_points, signed_distance

SDF_SIZE = 128
EXTENT = 1.25
SAMPLES = 8192
POSES = ("blink", "laugh", "tender")  # a face's movements, each an offset of every target from its rest


def cell_grid(size: int = SDF_SIZE) -> np.ndarray:
    """Centres of a size x size grid over the SDF cell, (size, size, 2), row 0 at the bottom."""
    axis = (np.arange(size, dtype=np.float32) + 0.5) / size * 2.0 * EXTENT - EXTENT
    x, y = np.meshgrid(axis, axis)
    return np.stack([x, y], axis=-1)


@dataclass(frozen=True, eq=False)
class Glyph:
    """`sdf` (SDF_SIZE, SDF_SIZE) in glyph units, negative on the ink, row 0 at the bottom;
    `samples` (SAMPLES, 4): x, y, spread (how far a bot may stray from it; negative on a shade) and place
    along the stroke (0..1) of each target;
    `poses` (SAMPLES, len(POSES), 2): where each target moves, in glyph units, when the face
    blinks, laughs or turns tender (zeros: a glyph that does not move, such as a drawn one)."""

    name: str
    sdf: np.ndarray
    samples: np.ndarray
    poses: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.poses is None:
            object.__setattr__(self, "poses", np.zeros((len(self.samples), len(POSES), 2), np.float32))

    def mask(self, size: int = SDF_SIZE) -> np.ndarray:
        """Where the ink is, on a size x size grid over the cell (bottom row first)."""
        sdf = self.sdf
        if size != SDF_SIZE:
            index = ((np.arange(size) + 0.5) * SDF_SIZE / size).astype(int)
            sdf = sdf[np.ix_(index, index)]
        return sdf < 0.0

    @classmethod
    def from_strokes(cls, name: str, strokes: list[Stroke], seed: int = 0, poses: dict[str, list[Stroke]] | None = None,
                     sdf: np.ndarray | None = None) -> Glyph:
        """A glyph drawn with strokes; `poses` names the same strokes drawn in some of POSES (same
        points, other places), and each target moves to its own place on the posed strokes.
        `sdf`: the strokes' distance field where it is already known (it costs the most)."""
        placement = place_samples(strokes, SAMPLES, np.random.default_rng(seed))
        samples = sample_points(strokes, placement)
        moves = np.zeros((SAMPLES, len(POSES), 2), np.float32)
        for pose, posed in (poses or {}).items():
            moves[:, POSES.index(pose)] = sample_points(posed, placement)[:, :2] - samples[:, :2]
        order = space_order(samples[:, :2])
        return cls(name, signed_distance(strokes, cell_grid()) if sdf is None else sdf, samples[order], moves[order])

    @classmethod
    def from_mask(cls, name: str, ink: np.ndarray, seed: int = 0) -> Glyph:
        """A glyph from a boolean ink mask (row 0 at the top, as images are) fitted into -1..1.

        The mask is drawn at four times the SDF's resolution; targets are its ink pixels.
        """
        fine = _fit(ink, SDF_SIZE * 4)
        if not fine.any():
            raise ValueError(f"{name}: the mask has no ink")
        coarse = fine.reshape(SDF_SIZE, 4, SDF_SIZE, 4).mean(axis=(1, 3)) >= 0.5
        texel = 2.0 * EXTENT / (SDF_SIZE * 4)
        grid = cell_grid(SDF_SIZE * 4)
        rng = np.random.default_rng(seed)
        inside = grid[fine]
        chosen = inside[np.sort(rng.integers(0, len(inside), SAMPLES))]
        chosen += (rng.random((SAMPLES, 2)) - 0.5) * texel
        along = (chosen[:, 0] + 1.0) * 0.5
        samples = np.column_stack([chosen, np.full(SAMPLES, texel * 0.5), np.clip(along, 0, 1)])
        return cls(name, _mask_distance(coarse), samples[space_order(chosen)].astype(np.float32))


def space_order(points: np.ndarray, cells: int = 64) -> np.ndarray:
    """The order of `points` (glyph units) along a Hilbert curve over the cell: every glyph's targets
    are kept in it, so the bot that takes the k-th target of one face takes the k-th of the next,
    near where it was (half the way of stroke order), and a morph flows in short local streams
    instead of crossing the face; and a stretch of targets is a patch of the face. Vectorised over
    the points (the usual xy-to-distance loop, Hilbert curve libraries run it a point at a time)."""
    x, y = np.clip(((points + EXTENT) / (2.0 * EXTENT) * cells).astype(np.int64), 0, cells - 1).T
    key = np.zeros_like(x)
    half = cells // 2
    while half > 0:
        rx, ry = (x & half) > 0, (y & half) > 0
        key += half * half * ((3 * rx) ^ ry)
        flip = ~ry & rx
        x, y = np.where(flip, half - 1 - x, x), np.where(flip, half - 1 - y, y)
        x, y = np.where(ry, x, y), np.where(ry, y, x)
        half //= 2
    return np.argsort(key, kind="stable")


def _fit(ink: np.ndarray, size: int) -> np.ndarray:
    """The mask scaled to fill -1..1 of a size x size cell, keeping its aspect, bottom row first."""
    rows, cols = np.nonzero(ink)
    if len(rows) == 0:
        return np.zeros((size, size), bool)
    ink = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1][::-1]
    height, width = ink.shape
    span = size / EXTENT  # texels covering -1..1
    scale = span / max(height, width)
    out = np.zeros((size, size), bool)
    ys, xs = np.mgrid[0:size, 0:size]
    src_y = ((ys + 0.5 - size / 2) / scale + height / 2).astype(int)
    src_x = ((xs + 0.5 - size / 2) / scale + width / 2).astype(int)
    valid = (src_y >= 0) & (src_y < height) & (src_x >= 0) & (src_x < width)
    out[valid] = ink[src_y[valid], src_x[valid]]
    return out


def _mask_distance(inside: np.ndarray) -> np.ndarray:
    """Signed distance of a boolean grid in glyph units: to the nearest edge texel on the other side."""
    grid = cell_grid(inside.shape[0])
    texel = 2.0 * EXTENT / inside.shape[0]
    padded = np.pad(inside, 1, mode="edge")
    neighbours = [padded[1:-1, :-2], padded[1:-1, 2:], padded[:-2, 1:-1], padded[2:, 1:-1]]
    edge = np.zeros_like(inside)
    for neighbour in neighbours:
        edge |= neighbour != inside
    flat, ink, edge = grid.reshape(-1, 2), inside.reshape(-1), edge.reshape(-1)
    distance = np.full(len(flat), 2.0 * EXTENT, np.float32)
    for side in (True, False):
        here = np.nonzero(ink == side)[0]
        there = flat[(ink != side) & edge]
        if len(there) == 0:
            continue
        for start in range(0, len(here), 1024):
            rows = here[start : start + 1024]
            d2 = ((flat[rows, None, :] - there[None, :, :]) ** 2).sum(axis=2)
            distance[rows] = (np.sqrt(d2.min(axis=1)) - texel * 0.5) * (-1.0 if side else 1.0)
    return distance.reshape(inside.shape)
