"""The murals keep their distance in hue: at least 60 degrees round the wheel from the face they
sit behind, turning away from a new face's hue smoothly. On the stack's real pixels."""

import colorsys

import numpy as np
import pytest

from neoterra_glow.core.colour import srgb_to_linear
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.resources import data_dir
from tests.conftest import SMALL, frame_at, pixels
from tests.murals.rings import ring

W, H = SMALL
LUMA = np.array([0.2126, 0.7152, 0.0722])
AQUA, AZURE, VIOLET = (0.1, 1.0, 0.8), (0.05, 0.45, 1.0), (0.45, 0.15, 1.0)  # a face's light, linear
SEA = {"deep": "#02201c", "mid": "#0a6a58", "glow": "#5effd0", "accent": "#30e0b0"}  # a field all in the aqua face's hue


@pytest.fixture
def sea(ctx, library, registry):
    spec = layer_spec({"shader": "field"}, data_dir("shaders"))
    murals = MuralStack(Build(ctx, library, SMALL, layers=[spec]))
    for name, colour in SEA.items():
        registry.set(f"murals.field.{name}", colour, immediate=True)
    registry.set("murals.field.brightness", 3.0, immediate=True)
    registry.set("murals.hush", 0.0, immediate=True)  # the whole field in view, the face's neighbourhood too
    target = Target(ctx, SMALL)
    yield murals, target
    target.release()
    murals.release()


def face(ctx, colour):
    """A ring of stroke at the frame's centre in `colour`, as bright as the swarm's."""
    return ring(ctx, colour)[0]


def hues(rgb: np.ndarray) -> np.ndarray:
    """Hue in degrees of each pixel clearly coloured (saturated and lit enough to read)."""
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in rgb.reshape(-1, 3)])
    return hsv[(hsv[:, 1] > 0.25) & (hsv[:, 2] > 0.01), 0] * 360.0


def around(a, b):
    return np.abs((np.asarray(a) - b + 180.0) % 360.0 - 180.0)


def hue_of(colour) -> float:
    return colorsys.rgb_to_hsv(*colour)[0] * 360.0


def test_the_murals_turn_at_least_60_degrees_of_hue_from_the_face_they_sit_behind(ctx, sea, registry):
    murals, target = sea
    light = face(ctx, AZURE)  # 50 degrees from the sea: it turns to violet (on the aqua face's own hue it would turn red, and darken)
    for index in range(90):  # three seconds: the murals have followed the face
        murals.compose(frame_at(registry, index), target, light)
    light.release()
    seen = hues(pixels(target, 3))
    assert len(seen) > 0.2 * W * H, "the field is gone"
    assert around(seen, hue_of(AZURE)).min() >= 58.0, f"mural hues as close as {around(seen, hue_of(AZURE)).min():.0f} degrees"


def test_the_murals_follow_a_new_faces_hue_smoothly_never_in_a_jump(ctx, sea, registry):
    murals, target = sea
    azure, violet = face(ctx, AZURE), face(ctx, VIOLET)
    means = []
    for index in range(150):  # two seconds of a violet face, far from the field's hue, then three of an azure one, near it
        murals.compose(frame_at(registry, index), target, violet if index < 60 else azure)
        means.append(pixels(target, 3).mean(axis=(0, 1)))
    azure.release()
    violet.release()
    means = np.array(means)
    change = np.abs(np.diff(means[55:], axis=0)).sum(axis=1)
    whole = change.sum()  # the turn's whole way, frame by frame: the far side's darkened gold makes its two ends nearer
    assert around(hues(pixels(target, 3)), hue_of(AZURE)).min() >= 58.0, "the murals kept the new face's hue"
    assert change.max() < 0.2 * whole, f"a jump: {change.max() / whole:.0%} of the turn in one frame"


def test_a_mural_hue_thrown_away_from_a_face_never_lands_on_gold(ctx, sea, registry):
    murals, target = sea
    for name, colour in {"deep": "#021420", "mid": "#0a4a6a", "glow": "#40b8ff", "accent": "#30a0e0"}.items():
        registry.set(f"murals.field.{name}", colour, immediate=True)  # a sea in the face's own blue, whose far side is gold
    dark, light = face(ctx, (0.0, 0.0, 0.0)), face(ctx, (0.05, 0.45, 1.0))
    murals.compose(frame_at(registry, 89), target, dark)  # the sea as it is with no face, at the moment judged
    unturned = pixels(target, 3) @ LUMA
    for index in range(90):
        murals.compose(frame_at(registry, index), target, light)
    light.release()
    dark.release()
    rgb = pixels(target, 3).reshape(-1, 3)
    assert (rgb @ LUMA).mean() <= 1.02 * unturned.mean(), "turning the sea's hue brightened it: a grey wash"
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in rgb])
    lit = hsv[:, 2] > 0.01
    assert lit.mean() > 0.2, "the field is gone"
    golden = lit & (hsv[:, 1] > 0.3) & (around(hsv[:, 0] * 360.0, 45.0) < 25.0)
    assert golden.sum() == 0, f"{golden.sum()} mural pixels thrown onto gold"


def test_a_mural_thrown_through_golds_family_takes_the_rooms_colour_not_a_black_ink_or_a_grey_fog(ctx, sea, registry):
    murals, target = sea
    for name, colour in {"deep": "#021420", "mid": "#0a4a6a", "glow": "#40b8ff", "accent": "#30a0e0"}.items():
        registry.set(f"murals.field.{name}", colour, immediate=True)  # a sea in the face's own blue, whose far side is gold
    dark, light = face(ctx, (0.0, 0.0, 0.0)), face(ctx, AZURE)
    murals.compose(frame_at(registry, 89), target, dark)
    unturned = pixels(target, 3) @ LUMA
    for index in range(90):
        murals.compose(frame_at(registry, index), target, light)
    light.release()
    dark.release()
    rgb = pixels(target, 3)
    kept = (rgb @ LUMA).mean() / unturned.mean()
    assert kept < 0.5, f"the sea thrown onto gold keeps {kept:.0%} of its light: a grey fog"
    assert kept > 0.3, f"the sea thrown onto gold keeps {kept:.0%} of its light: its veins curl as black ink over the rest"
    room = hue_of(srgb_to_linear(registry.value("murals.ground_two")))  # the ground's colour far from an azure face: violet
    seen = hues(rgb)
    assert len(seen) > 0.5 * W * H, "the sea thrown onto gold is a grey fog"
    assert np.median(around(seen, room)) < 20.0, f"the sea thrown onto gold is not in the room's colour ({room:.0f} degrees)"


def test_a_sea_in_the_faces_own_aqua_is_never_thrown_to_a_red_flesh_or_lime_that_shows(ctx, sea, registry):
    murals, target = sea
    light = face(ctx, AQUA)  # the sea's own hue: its far side is red, beside it lime and gold
    for index in range(90):
        murals.compose(frame_at(registry, index), target, light)
    light.release()
    rgb = pixels(target, 3).reshape(-1, 3)
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in rgb])
    warm = (hsv[:, 1] > 0.3) & (hsv[:, 2] > 0.02) & (around(hsv[:, 0] * 360.0, 37.5) < 57.0)  # red flesh through orange and gold to lime
    assert warm.sum() < 0.002 * len(hsv), f"{warm.mean():.1%} of the sea thrown to red, orange or lime"
