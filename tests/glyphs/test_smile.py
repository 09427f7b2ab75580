import itertools

import numpy as np
import pytest

from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE
from neoterra_glow.glyphs.smile import MOUTH_Y, SmileSpec, smile_glyph
from tests.glyphs.ink import distance_to_ink

NAMES = ["Elara", "Kai", "Nara", "Aryn", "Tomas", "Wen", "Priya", "Olu", "Sami", "Ines", "Bao", "Mira"]


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_the_same_text_always_draws_the_same_glyph():
    first, again = smile_glyph("Elara"), smile_glyph("Elara")
    assert np.array_equal(first.sdf, again.sdf)
    assert np.array_equal(first.samples, again.samples)


def test_different_names_draw_measurably_different_smiles():
    masks = {name: smile_glyph(name).mask() for name in NAMES}
    overlaps = [iou(masks[a], masks[b]) for a, b in itertools.combinations(NAMES, 2)]
    assert max(overlaps) < 0.6, f"two smiles overlap by {max(overlaps):.2f}"
    assert np.mean(overlaps) < 0.35


def test_a_story_draws_a_smile_too_and_one_letter_changes_it():
    story = "When the river rose we carried the piano upstairs and played all night"
    assert iou(smile_glyph(story).mask(), smile_glyph(story.replace("night", "nights")).mask()) < 0.6


def test_every_glyph_is_a_smile_with_its_corners_above_its_middle():
    for n in range(400):
        mouth = SmileSpec.from_text(f"person {n}").mouth_line()
        middle = mouth[len(mouth) // 2 - 8 : len(mouth) // 2 + 8, 1].min()
        corners = mouth[[0, -1], 1]
        assert corners.min() - middle > 0.15, n
        assert (corners > MOUTH_Y).all(), n


def test_glyphs_stay_inside_their_cell_with_room_to_glow():
    for name in NAMES:
        sdf = smile_glyph(name).sdf
        border = np.concatenate([sdf[0], sdf[-1], sdf[:, 0], sdf[:, -1]])
        assert border.min() > 0.1, name


def test_targets_lie_on_the_ink():
    glyph = smile_glyph("Kai")
    x, y = glyph.samples[:, 0], glyph.samples[:, 1]
    col = ((x + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int)
    row = ((y + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int)
    assert (glyph.sdf[row, col] < 0.02).mean() > 0.99
    assert (glyph.samples[:, 2] > 0).all()  # every target has a stroke width to spread into


def test_empty_text_is_refused_with_a_message():
    with pytest.raises(ValueError, match="needs a name or a story"):
        smile_glyph("   ")


def test_teeth_run_from_lip_to_lip_and_never_hang_as_fangs():
    open_mouths = 0
    for n in range(300):
        parts = SmileSpec.from_text(f"person {n}").parts()
        teeth = [stroke for part, stroke in parts if part == "teeth"]
        if not teeth:
            continue
        open_mouths += 1
        (lip,) = [stroke for part, stroke in parts if part == "lip"]
        (mouth,) = [stroke for part, stroke in parts if part == "mouth"]
        for tooth in teeth:
            top, bottom = tooth.points[:1], tooth.points[-1:]
            assert distance_to_ink(top, lip)[0] <= tooth.radii[0], n
            assert distance_to_ink(bottom, mouth)[0] <= tooth.radii[-1], n  # its end touches the lower lip
    assert open_mouths > 30


def test_at_most_one_sparkle_and_never_beside_the_eyes():
    sparkles = 0
    for n in range(300):
        parts = SmileSpec.from_text(f"person {n}").parts()
        stars = [stroke for part, stroke in parts if part == "sparkle"]
        assert len(stars) in (0, 2), n  # one four-point star is two strokes
        if stars:
            sparkles += 1
            top_of_eyes = max((s.points[:, 1] + s.radii).max() for part, s in parts if part == "eye")
            assert min((s.points[:, 1] - s.radii).min() for s in stars) > top_of_eyes, n
    assert 30 < sparkles < 150


def test_faces_are_people_not_one_template():
    specs = [SmileSpec.from_text(f"person {n}") for n in range(80)]
    looks = {(s.eyes, s.mouth, s.nose, s.cheeks, s.brows is None, s.jaw, bool(s.freckles), s.crows_feet) for s in specs}
    assert len(looks) > 60
    for feature in ("brow", "nose", "cheek", "freckle", "crow's feet", "lower lip", "jaw"):
        share = np.mean([any(part == feature for part, _ in s.parts()) for s in specs])
        assert 0.1 < share < 0.95, feature
    assert np.ptp([s.eye_y for s in specs]) > 0.12 and np.ptp([s.eye_gap for s in specs]) > 0.1
    kinds = [kind for s in specs for kind in s.eyes]
    assert {"almond", "crescent", "dot"} <= set(kinds)
    assert sum(a != b for a, b in (s.eyes for s in specs)) > 5  # winks


def test_strokes_swell_and_taper_like_a_brush():
    for name in NAMES:
        (mouth,) = [stroke for part, stroke in SmileSpec.from_text(name).parts() if part == "mouth"]
        assert mouth.radii.max() > 1.4 * mouth.radii[[0, -1]].max(), name
        assert 0.1 < np.argmax(mouth.radii) / len(mouth.radii) < 0.9, name
