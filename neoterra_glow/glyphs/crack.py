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
TRIES = 8  # crack lines tried; the one most along the break, long, crossing strokes, clear of eyes, nose and mouth, is kept
STRENGTH = 3.0  # how much the porcelain's strength varies, smoothly: a crack runs the weakest way, so it wanders
GRAIN = 12  # the strength's smooth cells across the glyph's square: a crack's bends are about an eighth of it
SHADE_STRENGTH = 4.0  # how much stronger the porcelain is under a face's shade
WEAKER = 1.0  # and how much weaker where the faults break it (1: half as strong)
SIDEWAYS = 1.5  # how much more a crack's step sideways costs than one up or down: it runs brow to jaw, not arching
# over an eye like a headband
HUG, HUGGED = 4, 4.0  # the cells along a box's or the outline's edge, and how much stronger the porcelain is there
LEAN = (0.3, 1.5)  # a crack's ends are the highest and lowest points it reaches, less this much of their way aside
TORTUOUS = 6.0  # how much a crack line loses for each share its length is longer than the way from end to end
KINK = 6  # grid cells between the kinks a crack's way keeps, before finer ones are displaced in
ROUGHNESS = 0.22  # a kink's offset against its segment's length (0.16 read as smooth strokes at 480x270)
LEVELS = 3  # halvings of the midpoint displacement between a way's kinks: seven finer kinks between each two
BRANCHES = (1, 3)  # the fewest and most branches
BRANCH_LENGTH = (0.2, 0.5)  # a branch's shortest and longest, against the main line's
FORK = (0.45, 1.1)  # radians a branch leaves the main line's heading by: an acute fork (square ones read as a bracket)
LONG = 2.0  # how much a crack line gains for each glyph unit of its length,
TALL = 10.0  # and for each of its height: the brow to the jaw past an eye, not along the brow (a headband)
BROKEN = 12.0  # and for each share of its length through the part of the face the faults break, or near it:
NEAR_BREAK = 8  # within this many of the distance field's cells (0.16 glyph units: the break is often the face's edge, its hair)
SHORTEST = 0.5  # a crack line's least height against the outline's (in from the contour): a crack past an eye, not a nick
# or a line along the brow,
TOO_SHORT = 100.0  # and what a shorter one loses for each glyph unit it falls short (all at once, a nick won over a crack)
WIDE = 8.0  # and what one loses for each glyph unit it is wider than half its height: along the brow and down a cheek it
# traced the hairline, an arch read as hair or a frame (curators)
PROBES = 512  # points along a line where the ink is looked up, to count the strokes it crosses
ON_INK = 0.02  # glyph units from the ink within which a target counts as on it (a distance field cell)
FEATURE_MOVE = 0.02  # glyph units a target moves in a pose, past which it is a feature (brows, eyes, mouth)
SHADED = 40.0  # how much a crack line loses for each share of its length through a face's shade
CONTOUR_MARGIN = 0.09  # glyph units a crack keeps in from the face's contour (~13 px at 960x540): gold on the jaw's edge
# read as a sideburn or an ear (curators); at 0.1 a wide-eyed face's temples closed, and its crack was a nick on the brow
EYE_MARGIN = 0.05  # glyph units a crack keeps clear of an eye as drawn (lid, iris, lashes, in every pose),
EYE_CELLS = 3  # as the distance field's cells (0.0195 glyph units each) round the eye's lines
MOUTH_MARGIN = 0.06  # and of the mouth (where the lips meet, the lower lip, the teeth, a moustache): ~9 px at 960x540
MOUTH = ("mouth", "bite", "lower lip", "moustache")  # the mouth's parts as glyphs/face.py draws them


def crack_points(glyph: Glyph, index: int = 0) -> np.ndarray:
    """(CRACK_POINTS, 4) float32, glyph units: each point on the crack, then the step to the next
    point on the same piece (zero at a piece's end), so a bot may settle anywhere between the two.
    `index`: the glyph's place in the atlas, which picks where a stall breaks it."""
    rng = np.random.default_rng(zlib.crc32(f"crack:{glyph.name}".encode()))
    outline = Outline(*_face(glyph))
    shade = _shade(glyph)
    broken = _on_grid(glyph.samples[hurt(glyph, index), :2], NEAR_BREAK)  # the break, and the face just in from it
    targets = glyph.samples[:, :2]
    free = targets[outline.inside(targets) & outline.clear(targets)]  # the face clear of eyes and mouth
    near = free[_at(broken, free)] if _at(broken, free).any() else free  # and of it where the faults break it
    porcelain = Porcelain(outline, _strength(rng, shade, broken))
    ways = [_weakest(rng, porcelain, starts[rng.integers(len(starts))]) for starts in (near, free) * (TRIES // 2)]
    # half through the break (a pocket of it between eyes and mouth held only nicks)
    lines = [_kinked(rng, outline, way) for way in ways]
    shortest = SHORTEST * np.ptp(outline.corners[:, 1])
    main = max(lines, key=lambda line: strokes_crossed(glyph, line) + LONG * _length(line) + TALL * np.ptp(line[:, 1])
               + BROKEN * _through(broken, line) - SHADED * _through(shade, line)
               - TORTUOUS * (_length(line) / max(float(np.linalg.norm(line[-1] - line[0])), 1e-6) - 1.0)
               - TOO_SHORT * max(shortest - np.ptp(line[:, 1]), 0.0) - WIDE * max(np.ptp(line[:, 0]) - np.ptp(line[:, 1]) / 2.0, 0.0))
    branches = [_kinked(rng, outline, _branch(rng, porcelain, main)) for _ in range(rng.integers(BRANCHES[0], BRANCHES[1] + 1))]
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


def _face(glyph: Glyph) -> tuple[np.ndarray, list, np.ndarray]:
    """Where the face is and the boxes a crack keeps out of. A face of a name (glyphs/smile.py): its cheeks' and jaw's
    contour as drawn, the far cheek's too (glyphs/face.py's parts), and up to the hairline (a seam ending at the temple
    left the forehead bare), so never in the hair or down the neck; and each eye's box and the mouth's, at rest and in
    every pose, with their margins, the bridge between the eyes and the nose under them (_middle); and the distance
    field's cells within EYE_MARGIN of an eye's lines, in every pose (a box round an eye left only a sliver of temple,
    where a way past it hugged the box). A brow is no box: a scar through a brow is a human one. A drawn glyph, which
    has no poses, is all face (its ink) with no eyes or mouth."""
    ink = glyph.samples[_ink_at(glyph, glyph.samples[:, :2], ON_INK), :2]
    assert glyph.poses is not None  # filled when the glyph is made
    if (np.abs(glyph.poses).max(axis=(1, 2)) > FEATURE_MOVE).sum() < 16:
        return ink, [], np.zeros((SDF_SIZE, SDF_SIZE), bool)
    spec = SmileSpec.from_text(glyph.name)
    jaw = np.concatenate([stroke.points for part, stroke in dataclasses.replace(spec, far_cheek=True).parts() if part == "jaw"])
    drawn = [(part, stroke.points) for pose in (None, *POSES) for part, stroke in spec.parts(pose)]
    eyes = np.concatenate([points for part, points in drawn if part == "eye"])
    mouth = np.concatenate([points for part, points in drawn if part in MOUTH])
    across = np.sort(eyes[:, 0])
    middle = across[int(np.argmax(np.diff(across)))]  # the widest gap across the eyes' lines, between the two eyes
    boxes = [_box(side, EYE_MARGIN) for side in (eyes[eyes[:, 0] <= middle], eyes[eyes[:, 0] > middle]) if len(side)]
    low, high = np.min([low for low, _ in boxes], axis=0), np.max([high for _, high in boxes], axis=0)  # both eyes'
    bridge = (low, high) if len(boxes) < 2 else (np.array([boxes[0][1][0], low[1]]), np.array([boxes[1][0][0], high[1]]))
    # between the eyes: a crack down the nose's bridge read as the old nose-to-mouth line
    return (np.concatenate([jaw, spec.forehead()]), [_box(mouth, MOUTH_MARGIN), bridge, _middle(eyes, mouth)],
            _on_grid(eyes, EYE_CELLS))


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
    return _grown(grid, reach)


def _grown(grid: np.ndarray, reach: int) -> np.ndarray:
    """A grid's cells and those within `reach` cells of them."""
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
    cell = _cells(points)
    return glyph.sdf[cell[:, 1], cell[:, 0]] < near


class Outline:
    """Where a crack may run: inside the convex outline of the face (hairline to chin, one cheek's contour to the
    other's), in CONTOUR_MARGIN from it, clear of `boxes` (the mouth's, the bridge's and the nose's) and of the
    `closed` cells of the distance field's grid (round the eyes' lines)."""

    def __init__(self, face: np.ndarray, boxes: list, closed: np.ndarray) -> None:
        self.corners = _inset(_hull(face), CONTOUR_MARGIN)
        self.boxes = boxes
        self.closed = closed

    def inside(self, points: np.ndarray) -> np.ndarray:
        edge = np.roll(self.corners, -1, axis=0) - self.corners
        to = points[:, None, :] - self.corners[None]
        return (edge[None, :, 0] * to[..., 1] - edge[None, :, 1] * to[..., 0] >= -1e-6).all(axis=1)

    def clear(self, points: np.ndarray) -> np.ndarray:
        """Which points are clear of the eyes, the mouth and the nose."""
        clear = ~_at(self.closed, points)
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


class Porcelain:
    """The face as porcelain on the distance field's grid: where a crack may run (an Outline), and how strong it is
    there (its strength, stronger along the edges of where it may run: a way hugging a box's edge ran as a
    ruler-straight staple round an eye). A crack runs the weakest way."""

    def __init__(self, outline: Outline, strength: np.ndarray) -> None:
        self.centres = ((np.indices((SDF_SIZE, SDF_SIZE))[::-1].transpose(1, 2, 0) + 0.5) * (2.0 * EXTENT / SDF_SIZE)
                        - EXTENT)
        flat = self.centres.reshape(-1, 2)
        free = (outline.inside(flat) & outline.clear(flat)).reshape(SDF_SIZE, SDF_SIZE)
        self.cost = np.where(free, strength + HUGGED * (_grown(~free, HUG) & free), np.inf)

    def spread(self, point: np.ndarray, stronger: np.ndarray | None = None) -> tuple[np.ndarray, tuple]:
        """The least cost of a way from `point` (its cell, open even where a kink strayed) to every cell, HUGGED
        stronger on the `stronger` cells."""
        source = tuple(_cells(point[None])[0][::-1])
        cost = self.cost + (0.0 if stronger is None else HUGGED * stronger)
        cost[source] = min(cost[source], HUGGED)
        return _spread(cost, source), source

    def way(self, distance: np.ndarray, cell: tuple) -> np.ndarray:
        """The way from `cell` down to the spread's source, as glyph units."""
        way = _downhill(distance, cell)
        return self.centres[way[:, 0], way[:, 1]]


def _weakest(rng: np.random.Generator, porcelain: Porcelain, through: np.ndarray) -> np.ndarray:
    """A crack's way as porcelain breaks: the weakest path (the least strength summed along it) from the top of the
    face down through `through` to its foot, round the eyes, the nose and the mouth (a straight chord between them
    was a short stroke down one cheek). Its ends are the highest and the lowest points it reaches, less some of
    their way aside, so it runs from the brow or the temple past an eye to the jaw, leaning its own way."""
    distance, source = porcelain.spread(through)
    cells = np.argwhere(np.isfinite(distance))
    aside = np.abs(cells[:, 1] - source[1]) * rng.uniform(*LEAN)
    up, down = (porcelain.way(distance, tuple(cells[np.argmax(sign * (cells[:, 0] - source[0]) - aside)])) for sign in (1, -1))
    return np.concatenate([up, down[::-1][1:]])


def _branch(rng: np.random.Generator, porcelain: Porcelain, main: np.ndarray) -> np.ndarray:
    """A crack splitting off the main line, as cracks fork: the weakest way from a point of it to one BRANCH_LENGTH
    of the main line's length away, FORK off its heading, keeping off the main line (a branch along it
    doubled it)."""
    at = int(rng.integers(len(main) * 2 // 5, len(main) * 4 // 5))  # below the brow: a fork along it read as hair
    heading = main[min(at + 4, len(main) - 1)] - main[max(at - 4, 0)]
    distance, _ = porcelain.spread(main[at], _on_grid(main, HUG))  # off the main line, not back along it
    cells = np.argwhere(np.isfinite(distance))
    away = porcelain.centres[cells[:, 0], cells[:, 1]] - main[at]
    reach = np.linalg.norm(away, axis=1)
    side = np.array([-heading[1], heading[0]]) * rng.choice([-1.0, 1.0]) / max(np.linalg.norm(heading), 1e-9)
    across = (away @ side > np.sin(FORK[0]) * reach) & (np.abs(away @ heading) > np.cos(FORK[1]) * reach * np.linalg.norm(heading))
    # to one side of it, never across it
    length = _length(main) * rng.uniform(*BRANCH_LENGTH)
    ends = cells[across & (np.abs(reach - length) < 0.2 * length)]
    if not len(ends):
        return main[at: at + 2]
    return porcelain.way(distance, tuple(ends[rng.integers(len(ends))]))[::-1]


def _strength(rng: np.random.Generator, shade: np.ndarray, broken: np.ndarray) -> np.ndarray:
    """The porcelain's strength on the distance field's grid: smooth random grain GRAIN cells across, stronger
    where the face's shade lies (a seam there would be lost in its stipple), weaker where the faults break it."""
    coarse = rng.random((GRAIN + 1, GRAIN + 1))
    at = np.linspace(0.0, GRAIN, SDF_SIZE)
    low = np.minimum(at.astype(int), GRAIN - 1)
    w = (at - low)[:, None]
    rows = coarse[low] * (1.0 - w) + coarse[low + 1] * w
    smooth = rows[:, low] * (1.0 - w.T) + rows[:, low + 1] * w.T
    return (1.0 + STRENGTH * smooth + rng.random((SDF_SIZE, SDF_SIZE)) + SHADE_STRENGTH * shade) / (1.0 + WEAKER * broken)


NEIGHBOURS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]


def _spread(cost: np.ndarray, source: tuple) -> np.ndarray:
    """The least cost of a way from `source` to each cell, moving to any of its 8 neighbours (each step the mean of
    the two cells' costs times its length, a sideways one's SIDEWAYS times; inf where a cell is closed): relaxed until nothing shortens, a
    vectorised Bellman-Ford over the grid (the grid's edges are closed: a face lies well inside it)."""
    distance = np.full(cost.shape, np.inf)
    distance[source] = 0.0
    steps = [np.hypot(dy, dx * SIDEWAYS) * (cost + np.roll(cost, (dy, dx), (0, 1))) / 2.0 for dy, dx in NEIGHBOURS]
    while True:
        before = distance.copy()
        for (dy, dx), step in zip(NEIGHBOURS, steps, strict=True):
            np.minimum(distance, np.roll(distance, (dy, dx), (0, 1)) + step, out=distance)
        if np.array_equal(distance, before):
            return distance


def _downhill(distance: np.ndarray, cell: tuple) -> np.ndarray:
    """The cells from `cell` down the least cost's slope to where it is zero, the way's source."""
    way = [cell]
    while distance[way[-1]] > 0.0:
        y, x = way[-1]
        way.append(min(((y - dy, x - dx) for dy, dx in NEIGHBOURS), key=lambda n: distance[n]))
    return np.array(way)


def _kinked(rng: np.random.Generator, outline: Outline, way: np.ndarray) -> np.ndarray:
    """A way across the grid as a crack: a kink every KINK cells, finer ones displaced in between (_jagged), held
    in the outline and clear of eyes, nose and mouth: a kink that strays into them goes back onto the way, which runs
    clear of them (cut there instead, a way from the brow to the jaw past an eye was left a nick by the eye)."""
    line = outline.hold(_jagged(rng, way[::KINK] if len(way) > 2 * KINK else way))
    strayed = ~outline.clear(line)
    if strayed.any():
        line[strayed] = way[np.linalg.norm(line[strayed, None] - way[None], axis=2).argmin(axis=1)]
    return _longest_clear(line, outline.clear)


def _jagged(rng: np.random.Generator, corners: np.ndarray) -> np.ndarray:
    """Midpoint displacement along a polyline: each segment's middle pushed sideways by its length times ROUGHNESS."""
    line = np.asarray(corners, float)
    for _ in range(LEVELS):
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
