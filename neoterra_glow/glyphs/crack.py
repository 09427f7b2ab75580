"""A glyph's crack (kintsugi): where the porcelain broke, a jagged line that branches a little,
across the face through its strokes and the gaps between them. The bots that faults hurt badly
settle on it once healed and fill it with gold (shaders/swarm/fault_step.glsl).

The line runs where the faults break this face (glyphs/hurt.py: the cascade's reach, the stall's
patch), so the seam follows the break, at an angle and length of the face's own: across a cheek, down
beside an eye, along the brow, never over the mouth (a seam across the lips read as a moustache or a
sticker), the nose (a clown's nose) or within CONTOUR_MARGIN of the face's contour (a sideburn, an ear).
It is the glyph's own, from its name and place in the atlas: the same crack in every run.
Jaggedness is midpoint displacement (Fournier, Fussell and Carpenter, "Computer rendering of stochastic models", 1982),
the classic look of cracks and lightning.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable

import numpy as np

from neoterra_glow.glyphs.glyph import EXTENT, POSES, SDF_SIZE, Glyph
from neoterra_glow.glyphs.hurt import hurt
from neoterra_glow.glyphs.smile import SmileSpec

CRACK_POINTS = 256  # per glyph, evenly spaced along the crack and its branches
TRIES = 48  # crack lines tried; the one most along the break, long, crossing strokes, clear of eyes, nose and mouth, is kept
ROUGHNESS = 0.16  # a kink's offset against its segment's length
LEVELS = 6  # halvings of the midpoint displacement: 65 kinks along the main line
BRANCHES = (1, 3)  # the fewest and most branches
BRANCH_LENGTH = (0.12, 0.4)  # a branch's shortest and longest, against the main line's
LONG = 2.0  # how much a crack line gains for each glyph unit of its length
BROKEN = 12.0  # and for each share of its length through the part of the face the faults break, or near it:
NEAR_BREAK = 8  # within this many of the distance field's cells (0.16 glyph units: the break is often the face's edge, its hair)
ANGLES = 4  # ways through a point tried for a crack line, the longest kept
TRIMMED = 0.85  # the least share of the way to the outline a line's end reaches from the point it runs through
SHORTEST = 0.6  # a crack line's least reach, end to end, against the outline's height (in from the contour): a crack, not a nick,
TOO_SHORT = 100.0  # and what a shorter one loses for each glyph unit it falls short (all at once, a nick won over a crack)
PROBES = 512  # points along a line where the ink is looked up, to count the strokes it crosses
ON_INK = 0.02  # glyph units from the ink within which a target counts as on it (a distance field cell)
FEATURE_MOVE = 0.02  # glyph units a target moves in a pose, past which it is a feature (brows, eyes, mouth)
SHADED = 40.0  # how much a crack line loses for each share of its length through a face's shade
CONTOUR_MARGIN = 0.1  # glyph units a crack keeps in from the face's contour (~14 px at 960x540): gold on the jaw's edge
# read as a sideburn or an ear (curators)
EYE_MARGIN = 0.05  # glyph units a crack keeps clear of an eye as drawn (lid, iris, lashes, in every pose)
MOUTH_MARGIN = 0.06  # and of the mouth (where the lips meet, the lower lip, the teeth, a moustache): ~9 px at 960x540
MOUTH = ("mouth", "bite", "lower lip", "moustache")  # the mouth's parts as glyphs/face.py draws them


def crack_points(glyph: Glyph, index: int = 0) -> np.ndarray:
    """(CRACK_POINTS, 4) float32, glyph units: each point on the crack, then the step to the next
    point on the same piece (zero at a piece's end), so a bot may settle anywhere between the two.
    `index`: the glyph's place in the atlas, which picks where a stall breaks it."""
    rng = np.random.default_rng(zlib.crc32(f"crack:{glyph.name}".encode()))
    face, boxes = _face(glyph)
    outline = Outline(face, boxes)
    shade = _shade(glyph)
    broken = _on_grid(glyph.samples[hurt(glyph, index), :2], NEAR_BREAK)  # the break, and the face just in from it
    targets = glyph.samples[:, :2]
    free = targets[outline.inside(targets) & outline.clear(targets)]  # the face clear of eyes and mouth
    near = free[_at(broken, free)] if _at(broken, free).any() else free  # and of it where the faults break it
    lines = [_longest_clear(outline.hold(_jagged(rng, *_chord(rng, outline, near if n % 2 else free))), outline.clear)
             for n in range(TRIES)]  # half through the break (a pocket of it between eyes and mouth held only nicks)
    shortest = SHORTEST * np.ptp(outline.corners[:, 1])
    main = max(lines, key=lambda line: strokes_crossed(glyph, line) + LONG * _length(line) + BROKEN * _through(broken, line)
               - SHADED * _through(shade, line) - TOO_SHORT * max(shortest - np.linalg.norm(line[-1] - line[0]), 0.0))
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


def _face(glyph: Glyph) -> tuple[np.ndarray, list]:
    """Where the face is and the boxes a crack keeps out of. A face of a name (glyphs/smile.py): its cheeks' and jaw's
    contour as drawn, the far cheek's too (glyphs/face.py's parts), so never in the hair or down the neck; and each eye's
    box, each brow's and the mouth's, at rest and in every pose, with their margins, the bridge between the eyes and the
    nose under them (_middle). A drawn glyph, which has no poses, is all face (its ink) with no eyes or mouth."""
    ink = glyph.samples[_ink_at(glyph, glyph.samples[:, :2], ON_INK), :2]
    assert glyph.poses is not None  # filled when the glyph is made
    if (np.abs(glyph.poses).max(axis=(1, 2)) > FEATURE_MOVE).sum() < 16:
        return ink, []
    spec = SmileSpec.from_text(glyph.name)
    jaw = np.concatenate([stroke.points for part, stroke in dataclasses.replace(spec, far_cheek=True).parts() if part == "jaw"])
    drawn = [(part, stroke.points) for pose in (None, *POSES) for part, stroke in spec.parts(pose)]
    eyes = np.concatenate([points for part, points in drawn if part == "eye"])
    mouth = np.concatenate([points for part, points in drawn if part in MOUTH])
    middle = np.median(jaw[:, 0])
    boxes = [_box(side, EYE_MARGIN) for side in (eyes[eyes[:, 0] < middle], eyes[eyes[:, 0] >= middle]) if len(side)]
    low, high = np.min([low for low, _ in boxes], axis=0), np.max([high for _, high in boxes], axis=0)  # both eyes'
    brows = [_box(points, EYE_MARGIN) for part, points in drawn if part == "brow"]
    bridge = (low, high) if len(boxes) < 2 else (np.array([boxes[0][1][0], low[1]]), np.array([boxes[1][0][0], high[1]]))
    # between the eyes: a crack down the nose's bridge read as the old nose-to-mouth line
    return jaw, boxes + brows + [_box(mouth, MOUTH_MARGIN), bridge, _middle(eyes, mouth)]


def _middle(eyes: np.ndarray, mouth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nose, as a box: between the eyes' inner corners (the widest gap across their lines), from the mouth's top to
    the eyes' bottom, all as drawn in every pose. Gold there, at any angle, read as a clown's nose or a moustache."""
    across = np.sort(eyes[:, 0])
    gap = int(np.argmax(np.diff(across)))
    return np.array([across[gap], mouth[:, 1].max()]), np.array([across[gap + 1], eyes[:, 1].min()])


def _box(points: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    return points.min(axis=0) - margin, points.max(axis=0) + margin


def _shade(glyph: Glyph) -> np.ndarray:
    """Where a face's shade lies (its targets off the ink, glyphs/shade.py), on the distance field's grid: a gold
    seam there would be lost in the stipple's light."""
    return _on_grid(glyph.samples[~_ink_at(glyph, glyph.samples[:, :2], ON_INK), :2])


def _on_grid(points: np.ndarray, reach: int = 1) -> np.ndarray:
    """The distance field's cells that hold these points, and those `reach` cells round them (between the points)."""
    cell = _cells(points)
    grid = np.zeros((SDF_SIZE, SDF_SIZE), bool)
    grid[cell[:, 1], cell[:, 0]] = True
    for _ in range(reach):
        grid = np.logical_or.reduce([np.roll(grid, (dy, dx), (0, 1)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)])
    return grid


def _cells(points: np.ndarray) -> np.ndarray:
    return np.clip(((points + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)


def _at(grid: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Which points lie in a grid's cells."""
    cell = _cells(points)
    return grid[cell[:, 1], cell[:, 0]]


def _through(grid: np.ndarray, line: np.ndarray) -> float:
    """The share of a line that runs through a grid's cells."""
    return float(_at(grid, _resample(line, PROBES)).mean())


def strokes_crossed(glyph: Glyph, line: np.ndarray) -> int:
    """How many separate stretches of ink a polyline runs through (the glyph's distance field)."""
    inside = _ink_at(glyph, _resample(line, PROBES))
    return int(inside[0]) + int((inside[1:] & ~inside[:-1]).sum())


def _ink_at(glyph: Glyph, points: np.ndarray, near: float = 0.0) -> np.ndarray:
    """Which points lie on the glyph's ink, or within `near` of it."""
    cell = np.clip(((points + EXTENT) / (2.0 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    return glyph.sdf[cell[:, 1], cell[:, 0]] < near


class Outline:
    """Where a crack may run: inside the convex outline of the face's features (brows to lower lip,
    one cheek's lines to the other's), clear of `boxes`: the eyes', then the mouth's and all from the eyes up."""

    def __init__(self, face: np.ndarray, boxes: list) -> None:
        self.middle = face.mean(axis=0)
        self.corners = _inset(_hull(face), CONTOUR_MARGIN)
        self.boxes = boxes

    def inside(self, points: np.ndarray) -> np.ndarray:
        edge = np.roll(self.corners, -1, axis=0) - self.corners
        to = points[:, None, :] - self.corners[None]
        return (edge[None, :, 0] * to[..., 1] - edge[None, :, 1] * to[..., 0] >= -1e-6).all(axis=1)

    def clear(self, points: np.ndarray) -> np.ndarray:
        """Which points are clear of the eyes' and the mouth's boxes."""
        clear = np.ones(len(points), bool)
        for low, high in self.boxes:
            clear &= ~((points > low) & (points < high)).all(axis=1)
        return clear

    def hold(self, points: np.ndarray) -> np.ndarray:
        """The points moved in to the outline's nearest edge where a kink strays out."""
        a, b = self.corners, np.roll(self.corners, -1, axis=0)
        t = np.clip(((points[:, None] - a[None]) * (b - a)[None]).sum(axis=2) / ((b - a) ** 2).sum(axis=1)[None], 0.0, 1.0)
        edge = a[None] + t[..., None] * (b - a)[None]
        nearest = edge[np.arange(len(points)), np.linalg.norm(edge - points[:, None], axis=2).argmin(axis=1)]
        return np.where(self.inside(points)[:, None], points, nearest)

    def first_out(self, points: np.ndarray) -> int:
        """Where a line first leaves the outline or runs into an eye's or the mouth's box."""
        out = np.flatnonzero(~(self.inside(points) & self.clear(points)))
        return int(out[0]) if len(out) else len(points)


def _hull(points: np.ndarray) -> np.ndarray:
    """The convex hull's corners, anticlockwise (Andrew's monotone chain, 1979)."""
    points = np.unique(np.round(points, 4), axis=0)

    def half(ordered: np.ndarray) -> list:
        chain: list = []
        for p in ordered:
            while len(chain) >= 2 and _turn(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return np.array(half(points) + half(points[::-1]))


def _inset(corners: np.ndarray, margin: float) -> np.ndarray:
    """A convex polygon's corners moved in: the polygon clipped by each edge's line moved `margin` inward
    (Sutherland and Hodgman, 1974)."""
    inset = corners
    for a, b in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        inward = np.array([a[1] - b[1], b[0] - a[0]]) / np.linalg.norm(b - a)  # left of an anticlockwise edge
        depth = (inset - a) @ inward - margin
        kept = []
        for n in range(len(inset)):
            here, there = n, (n + 1) % len(inset)
            if depth[here] >= 0.0:
                kept.append(inset[here])
            if (depth[here] >= 0.0) != (depth[there] >= 0.0):
                kept.append(inset[here] + (inset[there] - inset[here]) * depth[here] / (depth[here] - depth[there]))
        inset = np.array(kept)
    return inset


def _turn(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Positive where a, b, c turn anticlockwise."""
    return float((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))


def _longest_clear(line: np.ndarray, clear_at: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """The longest stretch of a line (between its kinks, finely) where `clear_at` holds: clear of the eyes' and the
    mouth's boxes (Outline.clear), where a kink pushed into one cuts the line."""
    fine = _resample(line, PROBES)
    clear = clear_at(fine)
    if clear.all():
        return line
    clear = np.concatenate([[False], clear, [False]])
    starts, ends = np.flatnonzero(clear[1:] & ~clear[:-1]), np.flatnonzero(~clear[1:] & clear[:-1])
    if not len(starts):
        return fine[:2]
    longest = np.argmax(ends - starts)
    return fine[starts[longest]: max(ends[longest], starts[longest] + 2)]


def _chord(rng: np.random.Generator, outline: Outline, starts: np.ndarray) -> np.ndarray:
    """Where a crack may run: through a point of the face that the faults break (`starts`; any point of the
    face clear of eyes and mouth where they break none of it; near its middle where none is), at the longest of
    ANGLES ways through it (between eyes, nose and mouth a random way ran into one of them: a nick), each end of it
    some way of its own toward the outline."""
    through = starts[rng.integers(len(starts))] if len(starts) else outline.middle + rng.uniform(-0.15, 0.15, 2)
    steps = np.linspace(0.0, 3.0, 300)[:, None]
    best: list = []
    for angle in rng.uniform(0.0, np.pi, ANGLES):
        way = np.array([np.cos(angle), np.sin(angle)])
        ends = [through + direction * steps[max(outline.first_out(through + direction * steps * way) - 1, 0)] * way
                for direction in (-1.0, 1.0)]
        if not best or np.linalg.norm(ends[1] - ends[0]) > np.linalg.norm(best[1] - best[0]):
            best = ends
    return np.array([through + (end - through) * rng.uniform(TRIMMED, 1.0) for end in best])


def _branch(rng: np.random.Generator, main: np.ndarray) -> np.ndarray:
    """A short crack splitting off the main line at an angle, as cracks fork."""
    at = int(rng.integers(len(main) // 5, len(main) * 4 // 5))
    heading = main[min(at + 4, len(main) - 1)] - main[max(at - 4, 0)]
    turn = rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.0)
    c, s = np.cos(turn), np.sin(turn)
    way = np.array([c * heading[0] - s * heading[1], s * heading[0] + c * heading[1]])
    way /= max(np.linalg.norm(way), 1e-6)
    return _jagged(rng, main[at], main[at] + way * _length(main) * rng.uniform(*BRANCH_LENGTH), levels=LEVELS - 2)


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
