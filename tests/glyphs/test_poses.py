import numpy as np
import pytest

from neoterra_glow.glyphs.face import eye_centres, turned
from neoterra_glow.glyphs.glyph import POSES, SAMPLES, space_order
from neoterra_glow.glyphs.smile import SmileSpec, smile_glyph, text_seed
from neoterra_glow.glyphs.strokes import place_samples, sample_points
from tests.glyphs.ink import distance_to_ink

# Open eyes (Priya, Nara, Kai, Tomas), resting closed (Marisol, Aryn), a wink (Yuki, Sasha)
FACES = ["Priya", "Nara", "Kai", "Tomas", "Marisol", "Aryn", "Yuki", "Sasha"]


def posed(name: str, pose: str):
    """The face's targets at rest and in `pose`, and the part of the face each target belongs to."""
    spec, glyph = SmileSpec.from_text(name), smile_glyph(name)
    parts = [part for part, _ in spec.parts()]
    placement = place_samples(spec.strokes(), SAMPLES, np.random.default_rng(text_seed(name)))
    stroke = placement.stroke[space_order(sample_points(spec.strokes(), placement)[:, :2])]  # as the glyph keeps its targets
    rest = glyph.samples[:, :2]
    return rest, rest + glyph.poses[:, POSES.index(pose)], np.array(parts)[stroke]


def test_every_pose_moves_each_target_to_its_own_place_on_the_posed_ink():
    for name in FACES:
        spec, glyph = SmileSpec.from_text(name), smile_glyph(name)
        for p, pose in enumerate(POSES):
            moved = glyph.samples[:, :2] + glyph.poses[:, p]
            gap = np.min([distance_to_ink(moved, stroke) for stroke in spec.strokes(pose)], axis=0)
            assert (gap <= 1e-4).mean() > 0.999, (name, pose)
            if pose != "blink" or "open" in spec.eyes:  # closed eyes have nothing to blink
                assert np.abs(glyph.poses[:, p]).max() > 0.02, (name, pose)


def test_a_blink_closes_the_eyes_onto_the_lid_line_and_leaves_the_mouth_alone():
    for name in FACES:
        rest, blink, part = posed(name, "blink")
        eyes, mouth = part == "eye", np.isin(part, ["mouth", "bite", "lower lip"])
        assert np.array_equal(blink[mouth], rest[mouth]), name
        spec = SmileSpec.from_text(name)
        between = spec._hand(turned(spec, eye_centres(spec)))[:, 0].mean()  # a turned, tilted head's inner corners may cross x = 0
        for kind, side in zip(spec.eyes, (rest[:, 0] < between, rest[:, 0] > between), strict=True):
            eye = eyes & side
            if kind == "closed":  # resting closed: the lids stay where they are
                assert np.abs(blink[eye] - rest[eye]).max() < 0.02, name
                continue
            opened, closed = np.std(rest[eye, 1]), np.std(blink[eye, 1])
            assert closed < 0.5 * opened, (name, opened, closed)
            assert rest[eye, 1].min() < np.mean(blink[eye, 1]) < rest[eye, 1].max(), name  # closed where the eye was


def test_a_laugh_lifts_the_corners_and_opens_the_mouth():
    for name in FACES:
        rest, laugh, part = posed(name, "laugh")
        mouth = part == "mouth"
        corners = mouth & (np.abs(rest[:, 0]) > np.abs(rest[mouth, 0]).max() * 0.85)
        assert (laugh[corners, 1] - rest[corners, 1]).mean() > 0.05, name
        assert np.ptp(laugh[mouth, 1]) > np.ptp(rest[mouth, 1]) + 0.05, name
        cheeks = part == "cheek"
        if cheeks.any():
            assert (laugh[cheeks, 1] - rest[cheeks, 1]).mean() > 0.01, name


@pytest.mark.parametrize("name", FACES)
def test_tenderness_lifts_the_brows_inward_and_softens_the_smile(name):
    rest, tender, part = posed(name, "tender")
    mouth = part == "mouth"
    assert np.ptp(tender[mouth, 0]) < 0.92 * np.ptp(rest[mouth, 0])  # smaller
    assert np.ptp(tender[mouth, 1]) < np.ptp(rest[mouth, 1])  # softer
    corners = mouth & (np.abs(rest[:, 0]) > np.abs(rest[mouth, 0]).max() * 0.85)
    assert (tender[corners, 1] - rest[corners, 1]).mean() < 0.0  # a little lower
    brows = part == "brow"
    middle = rest[brows, 0].mean()  # between the brows, wherever the head's turn puts it
    for brow in (brows & (rest[:, 0] < middle), brows & (rest[:, 0] > middle)):
        inner = brow & (np.abs(rest[:, 0] - middle) < np.median(np.abs(rest[brow, 0] - middle)))
        outer = brow & ~inner
        assert (tender[inner, 1] - rest[inner, 1]).mean() > (tender[outer, 1] - rest[outer, 1]).mean() + 0.04
