"""The room's ground: a dim, coloured, slowly living light over the whole frame, so a projector
shows a room and not nothing, far from the face's hue and clear of gold, hushed just round the face."""

import colorsys

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.resources import data_dir
from tests.conftest import SMALL, frame_at, pixels
from tests.murals.rings import ring

W, H = SMALL
LUMA = np.array([0.2126, 0.7152, 0.0722])
GROUND = 0.02


@pytest.fixture
def room(ctx, library, registry):
    """A field too dim to see: what is left is the room's ground."""
    spec = layer_spec({"shader": "field"}, data_dir("shaders"))
    murals = MuralStack(Build(ctx, library, SMALL, layers=[spec]))
    registry.set("murals.field.brightness", 0.0, immediate=True)
    registry.set("murals.ground", GROUND, immediate=True)
    target = Target(ctx, SMALL)
    yield murals, target
    target.release()
    murals.release()


def settled(murals, target, registry, light, frames=60):
    for index in range(frames):  # two seconds: the room has followed the face's hue
        murals.compose(frame_at(registry, index), target, light)
    return pixels(target, 3)


def around(a, b):
    return np.abs((np.asarray(a) - b + 180.0) % 360.0 - 180.0)


def test_the_room_has_a_dim_ground_over_the_whole_frame_and_a_darker_hush_just_round_the_face(ctx, room, registry):
    murals, target = room
    light, distance = ring(ctx, (0.1, 1.0, 0.8))
    seen = settled(murals, target, registry, light) @ LUMA
    light.release()
    far, near = distance > 0.6, np.abs(distance - 0.2) < 0.06
    lit = GROUND * 2.0 ** registry.value("murals.exposure")  # the room's ground, lifted for the venue as all its light is
    assert 0.5 * lit < seen[far].mean() < 1.6 * lit, f"the ground far from the face: {seen[far].mean():.4f}"
    assert seen[far].std() > 0.08 * seen[far].mean(), "the ground is flat: it should live, swelling and thinning"
    assert seen[near].mean() < 0.35 * seen[far].mean(), "no hush round the face: the ground runs up to its strokes"
    assert seen.max() < 0.2, "the ground burns like a face"


@pytest.mark.parametrize("face", [(0.1, 1.0, 0.8), (0.05, 0.45, 1.0), (0.45, 0.15, 1.0), (0.2, 1.0, 0.1), (1.0, 0.1, 0.5)],
                         ids=["aqua", "azure", "violet", "green", "rose"])
def test_the_grounds_hue_keeps_far_from_the_faces_and_clear_of_gold(ctx, room, registry, face):
    murals, target = room
    light, distance = ring(ctx, face)
    seen = settled(murals, target, registry, light)[distance > 0.6]
    light.release()
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in seen[::7]])
    coloured = hsv[hsv[:, 1] > 0.25, 0] * 360.0
    assert len(coloured) > 0.9 * len(hsv), "the ground is grey, not coloured"
    face_hue = colorsys.rgb_to_hsv(*face)[0] * 360.0
    assert around(coloured, face_hue).min() >= 50.0, f"the ground within {around(coloured, face_hue).min():.0f} degrees of the face"
    assert around(coloured, 45.0).min() >= 85.0, f"the ground within {around(coloured, 45.0).min():.0f} degrees of gold"


def test_a_preset_lays_its_own_ground_the_farther_of_its_two_colours_from_the_face(ctx, room, registry):
    murals, target = room
    registry.set("murals.ground_one", "#c0309a", immediate=True)  # a magenta at 325 degrees and a teal at 180
    registry.set("murals.ground_two", "#1f9a9a", immediate=True)
    hues = []
    for face in ((0.2, 1.0, 0.1), (1.0, 0.1, 0.8)):  # green (105 degrees): magenta is the farther; magenta: teal is
        light, distance = ring(ctx, face)
        seen = settled(murals, target, registry, light, frames=150)[distance > 0.6]  # five seconds: the ground has turned
        light.release()
        hsv = np.array([colorsys.rgb_to_hsv(*p) for p in seen[::7]])
        hues.append(np.median(hsv[hsv[:, 1] > 0.25, 0]) * 360.0)
    assert around(hues[0], 325.0) < 20.0 and around(hues[1], 180.0) < 20.0, hues


def test_the_grounds_colour_crossfades_over_seconds_when_the_face_changes_never_cuts_in_a_frame(ctx, room, registry):
    murals, target = room
    registry.set("murals.ground_one", "#c0309a", immediate=True)  # a magenta and a teal: a green face lights the magenta,
    registry.set("murals.ground_two", "#1f9a9a", immediate=True)  # a magenta face the teal
    green, distance = ring(ctx, (0.2, 1.0, 0.1))
    magenta, _ = ring(ctx, (1.0, 0.1, 0.8))
    far = distance > 0.85  # past where the ground gives way round the face (about two face-widths): a face far dimmer than
    # the last, the magenta here, changes how far the ground gives way in the frame it comes, not the ground's colour
    seen = [settled(murals, target, registry, green, frames=150)[far].mean(axis=0)]
    for index in range(150, 300):  # the next face, for five seconds
        murals.compose(frame_at(registry, index), target, magenta)
        seen.append(pixels(target, 3)[far].mean(axis=0))
    green.release()
    magenta.release()
    seen = np.array(seen)
    turned = np.linalg.norm(seen - seen[0], axis=1) / np.linalg.norm(seen[-1] - seen[0])
    steps = np.linalg.norm(np.diff(seen, axis=0), axis=1) / np.linalg.norm(seen[-1] - seen[0])
    assert steps.max() < 0.05, f"the ground turned {steps.max():.0%} of the way in one frame: a cut"
    assert turned[15] < 0.4 and turned[-1] > 0.9, f"the ground's turn after half a second and five: {turned[15]:.2f}, {turned[-1]:.2f}"
