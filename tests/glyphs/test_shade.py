import numpy as np

from neoterra_glow.glyphs.glyph import EXTENT, SAMPLES, SDF_SIZE
from neoterra_glow.glyphs.smile import SmileSpec, smile_glyph
from neoterra_glow.glyphs.strokes import place_samples, sample_points
from tests.glyphs.ink import distance_to_ink

# every hair style, beards and stubble, turned heads, narrow and wide faces
FACES = ["Haruto", "Lucia", "Zainab", "Kwame", "Priya", "Wen", "Omar", "Sofia", "Elara", "Ingrid"]
FACES += [f"person {n}" for n in (7, 13, 15, 24)]


def off_the_ink(glyph) -> np.ndarray:
    """Which targets lie off the glyph's ink, looked up in its distance field."""
    cell = np.clip(((glyph.samples[:, :2] + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    return glyph.sdf[cell[:, 1], cell[:, 0]] > 0.02


def shade_targets(name: str) -> tuple[np.ndarray, np.ndarray, list]:
    """A face's targets (as the glyph places them, before their order in space), which of them shade it, and its parts."""
    parts = SmileSpec.from_text(name).parts()
    strokes = [stroke for _, stroke in parts]
    placement = place_samples(strokes, SAMPLES, np.random.default_rng(0))
    kinds = np.array([part for part, _ in parts])
    return sample_points(strokes, placement)[:, :2], kinds[placement.stroke] == "shade", parts


def test_a_share_of_every_faces_bots_shades_it_between_its_lines():
    shares, off = [], []
    for name in FACES:
        shares.append(shade_targets(name)[1].mean())
        off.append(off_the_ink(smile_glyph(name)).mean())
        assert 0.1 < shares[-1] < 0.28, (name, shares[-1])
        assert off[-1] > 0.02, (name, off[-1])  # some of it between the lines, where the face had no light
    assert 0.13 < np.mean(shares) < 0.22 and np.mean(off) > 0.06


def test_the_lines_stay_the_brightest_and_the_shade_a_sparse_stipple():
    spread = []
    for name in FACES:
        glyph = smile_glyph(name)
        x, y = glyph.samples[:, :2].T
        bots, _, _ = np.histogram2d(y, x, bins=96, range=[[-EXTENT, EXTENT]] * 2)  # the glyph lit at a projector's distance
        off = off_the_ink(glyph)
        shaded, _, _ = np.histogram2d(y[off], x[off], bins=96, range=[[-EXTENT, EXTENT]] * 2)
        lit = bots > 0
        spread.append((shaded[lit] > 0).mean())
        assert spread[-1] > 0.04, name  # the stipple spreads over the face: a good part of what is lit (least in curls)
        brightest = bots >= np.quantile(bots[lit], 0.9)
        assert (shaded[brightest] / bots[brightest]).mean() < 0.05, name  # the brightest points are the lines'
        assert np.median(bots[(shaded > 0) & (shaded == bots)]) <= 0.5 * np.median(bots[lit & (shaded == 0)]), name
    assert np.mean(spread) > 0.12


def test_the_shade_leaves_the_eyes_clear_and_barely_touches_the_brows_and_mouth():
    for name in FACES:
        targets, shade, parts = shade_targets(name)
        for feature, most in (("eye", 0), ("brow", 0.005), ("mouth", 0.01), ("lower lip", 0.005)):
            gap = np.min([distance_to_ink(targets[shade], stroke) for part, stroke in parts if part == feature], axis=0)
            assert (gap < 0.0).mean() <= most, (name, feature)


def test_the_swarm_lights_the_shade_in_many_faint_points_clear_of_the_lines():
    """The swarm gathers most bots in knots: a line's on every eighth target, a shade's (a negative spread) on every
    second (shaders/swarm/aim.glsl). Before, every knot took eight targets and a face had 11 to 50 points of light clear
    of its lines (median 36): its shade all but vanished beside them. Now a shade's points are four times as many,
    each a quarter as bright: 47 to 350 (median 149)."""
    clear = []
    for name in FACES:
        glyph = smile_glyph(name)
        shade = glyph.samples[:, 2] < 0.0
        index = np.arange(SAMPLES)
        assert (glyph.samples[shade, 2] < 0.0).all() and (glyph.samples[~shade, 2] > 0.0).all()
        points = np.unique(np.where(shade, index & ~1, index & ~7))  # the knot each target's bots gather on
        cell = np.clip(((glyph.samples[points, :2] + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
        clear.append(int((glyph.sdf[cell[:, 1], cell[:, 0]] > 0.04).sum()))
        assert clear[-1] > 40, (name, clear[-1])
    assert np.median(clear) > 120, clear
