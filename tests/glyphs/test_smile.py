import itertools

import numpy as np
import pytest

from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE
from neoterra_glow.glyphs.smile import MOUTH_Y, SmileSpec, smile_glyph

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
