import numpy as np

from neoterra_glow.mirror.glyph import mirrored_glyph, mirrored_spec
from neoterra_glow.mirror.measure import measure
from tests.mirror.conftest import portrait


def _span(spec):
    line = spec.mouth_line()
    return float(line[:, 0].max() - line[:, 0].min())


def test_a_wider_smile_draws_a_wider_mouth_curve():
    narrow, wide = mirrored_spec(0.6, 0.05, 0.0, 0.2), mirrored_spec(1.3, 0.05, 0.0, 0.2)
    assert _span(wide) > 1.2 * _span(narrow)


def test_a_measured_smile_with_teeth_draws_an_open_mouth_and_a_resting_one_closed_lips():
    grin, = measure(portrait("smiling")).smiles
    rest, = measure(portrait("neutral")).smiles
    assert mirrored_spec(grin.width, grin.lift, grin.asymmetry, grin.openness).opening > 0.0
    assert mirrored_spec(rest.width, rest.lift, rest.asymmetry, rest.openness).opening == 0.0


def test_the_same_numbers_redraw_the_same_glyph_and_other_numbers_another():
    first, again = mirrored_glyph(0.9, 0.06, -0.1, 0.7), mirrored_glyph(0.9, 0.06, -0.1, 0.7)
    other = mirrored_glyph(0.6, 0.06, -0.1, 0.7)
    assert first.name == "mirror 0.90 +0.06 -0.10 0.70"
    assert np.array_equal(first.sdf, again.sdf) and np.array_equal(first.samples, again.samples)
    assert not np.array_equal(first.sdf, other.sdf)


def _tilt(spec):
    """How much higher the curve's right end sits than its left (y up), in glyph units."""
    line = spec.mouth_line()
    return float(line[np.argmax(line[:, 0]), 1] - line[np.argmin(line[:, 0]), 1])


def test_a_lopsided_smile_draws_a_lopsided_curve_and_its_mirror_image_the_other_way():
    grin, = measure(portrait("smiling")).smiles
    turned, = measure(np.ascontiguousarray(portrait("smiling")[:, ::-1])).smiles
    assert grin.asymmetry * turned.asymmetry < 0  # the photograph's crooked smile, and the same smile in a mirror
    level = _tilt(mirrored_spec(grin.width, grin.lift, 0.0, grin.openness))
    one = _tilt(mirrored_spec(grin.width, grin.lift, grin.asymmetry, grin.openness))
    other = _tilt(mirrored_spec(turned.width, turned.lift, turned.asymmetry, turned.openness))
    assert abs(level) < 0.002 < min(abs(one), abs(other))
    assert one * other < 0 and np.sign(one) == np.sign(grin.asymmetry)  # the corner higher in the frame is higher on the wall
