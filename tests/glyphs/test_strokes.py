import numpy as np

from neoterra_glow.glyphs.glyph import SAMPLES, Glyph
from neoterra_glow.glyphs.smile import SmileSpec, smile_glyph
from neoterra_glow.glyphs.strokes import Stroke
from tests.glyphs.ink import distance_to_ink, visible_area

# Faces with dot eyes (Nara, Wen), a wink (Aryn, Kai), freckles (Aryn, Marisol, Mira) and teeth
FACES = ["Nara", "Wen", "Aryn", "Kai", "Marisol", "Mira", "Elara", "I danced all night with my grandmother"]


def test_a_dot_gets_as_many_bots_as_a_line_of_the_same_visible_area_spread_over_its_disc():
    dot = Stroke(np.array([[0.5, 0.5]]), 0.1)
    line = Stroke(np.array([[-0.8, -0.5], [0.2, -0.5]]), 0.02)
    glyph = Glyph.from_strokes("dot and line", [dot, line])
    share = visible_area(dot) / (visible_area(dot) + visible_area(line))
    reach = np.linalg.norm(glyph.samples[:, :2] - (0.5, 0.5), axis=1)
    on_dot = reach < 0.1
    assert abs(on_dot.mean() - share) < 0.01, (on_dot.mean(), share)
    assert np.median(reach[on_dot]) > 0.04  # over the disc, not piled on its centre
    assert (reach[on_dot] + glyph.samples[on_dot, 2] <= 0.1 + 1e-5).all()  # and a bot that strays stays on it


def test_every_stroke_of_a_face_dots_and_winks_included_gets_at_least_its_share_of_bots():
    for name in FACES:
        strokes = SmileSpec.from_text(name).strokes()
        samples = smile_glyph(name).samples
        areas = np.array([visible_area(stroke) * stroke.density for stroke in strokes])  # a shade's sparser, an iris denser
        for n, stroke in enumerate(strokes):
            inside = (distance_to_ink(samples[:, :2], stroke) <= 1e-4).mean()
            assert inside * SAMPLES >= 1, f"{name}: stroke {n} has no bots"
            assert inside >= areas[n] / areas.sum() - 1.5 / SAMPLES, f"{name}: stroke {n} gets {inside:.4f} of the bots"

