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
TRIES = 12  # crack lines tried; the one crossing the most strokes is kept
ROUGHNESS = 0.16  # a kink's offset against its segment's length
LEVELS = 6  # halvings of the midpoint displacement: 65 kinks along the main line
BRANCHES = (1, 2)  # the fewest and most branches
PROBES = 512  # points along a line where the ink is looked up, to count the strokes it crosses


def crack_points(glyph: Glyph) -> np.ndarray:
    """(CRACK_POINTS, 4) float32, glyph units: each point on the crack, then the step to the next
    point on the same piece (zero at a piece's end), so a bot may settle anywhere between the two."""
    rng = np.random.default_rng(zlib.crc32(f"crack:{glyph.name}".encode()))
    ink = glyph.samples[:, :2]
    lo, hi = ink.min(axis=0), ink.max(axis=0)
    chords = [_chord(rng, lo, hi) for _ in range(TRIES)]  # judged straight: one running along a stroke crosses few
    main = _jagged(rng, *max(chords, key=lambda chord: strokes_crossed(glyph, chord)))
    pieces = [main] + [_branch(rng, main) for _ in range(rng.integers(BRANCHES[0], BRANCHES[1] + 1))]
    lengths = np.array([_length(piece) for piece in pieces])
    counts = np.maximum(np.round(lengths / lengths.sum() * CRACK_POINTS).astype(int), 2)
    counts[0] += CRACK_POINTS - counts.sum()
    points = []
    for piece, count in zip(pieces, counts):
        even = _resample(piece, count)
        step = np.zeros_like(even)
        step[:-1] = even[1:] - even[:-1]
        points.append(np.column_stack([even, step]))
    return np.concatenate(points).astype(np.float32)


def strokes_crossed(glyph: Glyph, line: np.ndarray) -> int:
    """How many separate stretches of ink a polyline runs through (the glyph's distance field)."""
    inside = _ink_at(glyph, _resample(line, PROBES))
    return int(inside[0]) + int((inside[1:] & ~inside[:-1]).sum())


def _ink_at(glyph: Glyph, points: np.ndarray) -> np.ndarray:
    cell = np.clip(((points + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    return glyph.sdf[cell[:, 1], cell[:, 0]] < 0.0


def _chord(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where a crack may run: right across the ink's box, off its centre a little, at an angle of its
    own, steep enough to run from brow to chin rather than along the mouth."""
    centre, half = (lo + hi) / 2.0, (hi - lo) / 2.0
    angle = rng.uniform(0.2 * np.pi, 0.8 * np.pi)
    way = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-way[1], way[0]])
    reach = 1.0 / max(np.max(np.abs(way) / np.maximum(half, 1e-3)), 1e-3)  # to the box's edge
    middle = centre + across * rng.uniform(-0.25, 0.25) * half.min()
    return np.array([middle - way * reach * 0.95, middle + way * reach * 0.95])


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
