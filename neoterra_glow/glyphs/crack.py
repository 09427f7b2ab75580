"""A glyph's crack (kintsugi): where the porcelain broke, a jagged line that branches a little,
across the face through its strokes and the gaps between them. The bots that faults hurt badly
settle on it once healed and fill it with gold (shaders/swarm/fault_step.glsl).

The line is the glyph's own, from its name: the same crack in every run. Jaggedness is midpoint
displacement (Fournier, Fussell and Carpenter, "Computer rendering of stochastic models", 1982),
the classic look of cracks and lightning.
"""

from __future__ import annotations

import zlib

import numpy as np

from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE, Glyph

CRACK_POINTS = 256  # per glyph, evenly spaced along the crack and its branches
TRIES = 12  # crack lines tried; the longest, crossing the most strokes, is kept
ROUGHNESS = 0.16  # a kink's offset against its segment's length
LEVELS = 6  # halvings of the midpoint displacement: 65 kinks along the main line
BRANCHES = (1, 2)  # the fewest and most branches
PROBES = 512  # points along a line where the ink is looked up, to count the strokes it crosses
ON_INK = 0.02  # glyph units from the ink within which a target counts as on it (a distance field cell)
FEATURE_MOVE = 0.02  # glyph units a target moves in a pose, past which it is a feature (brows, eyes, mouth)
SHADED = 40.0  # how much a crack line loses for each share of its length through a face's shade


def crack_points(glyph: Glyph) -> np.ndarray:
    """(CRACK_POINTS, 4) float32, glyph units: each point on the crack, then the step to the next
    point on the same piece (zero at a piece's end), so a bot may settle anywhere between the two."""
    rng = np.random.default_rng(zlib.crc32(f"crack:{glyph.name}".encode()))
    outline = Outline(_face(glyph))
    chords = [_chord(rng, outline) for _ in range(TRIES)]  # judged straight: one running along a stroke crosses few
    shade = _shade(glyph)
    lines = [(chord, outline.hold(_jagged(rng, *chord))) for chord in chords]  # its shade judged on the jagged line, which strays
    main = max(lines, key=lambda pair: strokes_crossed(glyph, pair[0]) + 4.0 * _length(pair[0]) - SHADED * _shaded(shade, pair[1]))[1]
    branches = [_branch(rng, main) for _ in range(rng.integers(BRANCHES[0], BRANCHES[1] + 1))]
    pieces = [main] + [branch[: max(outline.first_out(branch), 2)] for branch in branches]
    lengths = np.array([_length(piece) for piece in pieces])
    counts = np.maximum(np.round(lengths / lengths.sum() * CRACK_POINTS).astype(int), 2)
    counts[0] += CRACK_POINTS - counts.sum()
    points = []
    for piece, count in zip(pieces, counts, strict=True):
        even = _resample(piece, count)
        step = np.zeros_like(even)
        step[:-1] = even[1:] - even[:-1]
        points.append(np.column_stack([even, step]))
    return np.concatenate(points).astype(np.float32)


def _face(glyph: Glyph) -> np.ndarray:
    """The ink of the face itself, from above the brows to the chin: a bust's hair, neck and shoulders
    are left out, so the crack never hangs past the head. The brows, eyes and mouth are the targets
    that move in a blink or a laugh; a drawn glyph, which has no poses, is all face. The targets of a
    face's shade (glyphs/shade.py), off its lines, are left out: the crack follows the lines."""
    lines = _ink_at(glyph, glyph.samples[:, :2], ON_INK)
    ink = glyph.samples[lines, :2]
    features = np.abs(glyph.poses[lines]).max(axis=(1, 2)) > FEATURE_MOVE
    if features.sum() < 16:
        return ink
    low, high = ink[features, 1].min(), ink[features, 1].max()
    span = high - low
    face = ink[(ink[:, 1] > low - 0.5 * span) & (ink[:, 1] < high + 0.3 * span)]
    return face if len(face) >= 16 else ink


def _shade(glyph: Glyph) -> np.ndarray:
    """Where a face's shade lies (its targets off the ink, glyphs/shade.py), on the distance field's grid."""
    off = glyph.samples[~_ink_at(glyph, glyph.samples[:, :2], ON_INK), :2]
    cell = np.clip(((off + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    grid = np.zeros((SDF_SIZE, SDF_SIZE), bool)
    grid[cell[:, 1], cell[:, 0]] = True
    return np.logical_or.reduce([np.roll(grid, (dy, dx), (0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)])  # and between its dots


def _shaded(shade: np.ndarray, line: np.ndarray) -> float:
    """The share of a line that runs through shade: a gold seam there would be lost in the stipple's light."""
    cell = np.clip(((_resample(line, PROBES) + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    return float(shade[cell[:, 1], cell[:, 0]].mean())


def strokes_crossed(glyph: Glyph, line: np.ndarray) -> int:
    """How many separate stretches of ink a polyline runs through (the glyph's distance field)."""
    inside = _ink_at(glyph, _resample(line, PROBES))
    return int(inside[0]) + int((inside[1:] & ~inside[:-1]).sum())


def _ink_at(glyph: Glyph, points: np.ndarray, near: float = 0.0) -> np.ndarray:
    """Which points lie on the glyph's ink, or within `near` of it."""
    cell = np.clip(((points + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    return glyph.sdf[cell[:, 1], cell[:, 0]] < near


class Outline:
    """The face's outline, row by row: between the leftmost and rightmost ink at each height, a
    little in from them. A crack runs inside it: across the face, never past a cheek or the chin."""

    ROWS = 24
    REACH = 4  # rows either side that count as this row's
    MARGIN = 0.03

    def __init__(self, ink: np.ndarray) -> None:
        self.edges = np.linspace(ink[:, 1].min(), ink[:, 1].max(), self.ROWS + 1)
        row = self._row(ink[:, 1])
        near = [np.abs(row - r) <= self.REACH for r in range(self.ROWS)]  # rows round it too: a cheek left undrawn is still there
        self.left = np.array([ink[rows, 0].min() + self.MARGIN if rows.any() else 0.0 for rows in near])
        self.right = np.array([ink[rows, 0].max() - self.MARGIN if rows.any() else 0.0 for rows in near])

    def _row(self, y: np.ndarray) -> np.ndarray:
        return np.clip(np.searchsorted(self.edges, y) - 1, 0, self.ROWS - 1)

    def inside(self, points: np.ndarray) -> np.ndarray:
        row = self._row(points[:, 1])
        return ((points[:, 1] > self.edges[0]) & (points[:, 1] < self.edges[-1])
                & (points[:, 0] > self.left[row]) & (points[:, 0] < self.right[row]))

    def hold(self, points: np.ndarray) -> np.ndarray:
        """The points moved in where a kink strays out."""
        y = np.clip(points[:, 1], self.edges[0], self.edges[-1])
        row = self._row(y)
        return np.column_stack([np.clip(points[:, 0], self.left[row], np.maximum(self.right[row], self.left[row])), y])

    def first_out(self, points: np.ndarray) -> int:
        out = np.flatnonzero(~self.inside(points))
        return int(out[0]) if len(out) else len(points)


def _chord(rng: np.random.Generator, outline: Outline) -> np.ndarray:
    """Where a crack may run: across the face through a point near its middle, at an angle of its own,
    steep enough to run from brow to chin rather than along the mouth, as far as the outline."""
    middle = np.array([(outline.left + outline.right).mean() / 2.0, outline.edges.mean()])
    middle += rng.uniform(-0.15, 0.15, 2)
    angle = rng.uniform(0.2 * np.pi, 0.8 * np.pi)
    way = np.array([np.cos(angle), np.sin(angle)])
    steps = np.linspace(0.0, 3.0, 300)[:, None]
    ends = []
    for direction in (-1.0, 1.0):
        ray = middle + direction * steps * way
        ends.append(ray[max(outline.first_out(ray) - 1, 0)])
    return np.array(ends)


def _branch(rng: np.random.Generator, main: np.ndarray) -> np.ndarray:
    """A short crack splitting off the main line at an angle, as cracks fork."""
    at = rng.integers(len(main) // 5, len(main) * 4 // 5)
    heading = main[min(at + 4, len(main) - 1)] - main[max(at - 4, 0)]
    turn = rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.0)
    c, s = np.cos(turn), np.sin(turn)
    way = np.array([c * heading[0] - s * heading[1], s * heading[0] + c * heading[1]])
    way /= max(np.linalg.norm(way), 1e-6)
    return _jagged(rng, main[at], main[at] + way * _length(main) * rng.uniform(0.12, 0.25), levels=LEVELS - 2)


def _jagged(rng: np.random.Generator, start: np.ndarray, end: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """Midpoint displacement: each segment's middle pushed sideways by its length times ROUGHNESS."""
    line = np.array([start, end], float)
    for _ in range(levels):
        step = line[1:] - line[:-1]
        side = np.column_stack([-step[:, 1], step[:, 0]])
        middle = (line[1:] + line[:-1]) / 2.0 + side * rng.normal(0.0, ROUGHNESS, (len(step), 1))
        joined = np.empty((len(line) + len(middle), 2))
        joined[0::2], joined[1::2] = line, middle
        line = joined
    return line


def _length(line: np.ndarray) -> float:
    return float(np.linalg.norm(line[1:] - line[:-1], axis=1).sum())


def _resample(line: np.ndarray, count: int) -> np.ndarray:
    """`count` points evenly spaced along a polyline, its ends included."""
    run = np.concatenate([[0.0], np.cumsum(np.linalg.norm(line[1:] - line[:-1], axis=1))])
    at = np.linspace(0.0, run[-1], count)
    return np.column_stack([np.interp(at, run, line[:, 0]), np.interp(at, run, line[:, 1])])
