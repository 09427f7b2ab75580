"""A change of face is a stream of colour from one face into the next, never a one-frame switch: each bot wears the
face it leaves until it is on its way, and a face keeps its glow until its bots have left it."""

import numpy as np

from tests.conftest import frame_at, pixels
from tests.swarm.conftest import run

STEP = 0.04  # the most the frame's mean colour (its chromaticity) may move from one frame to the next (0.026 at most here)
GLOW_STEP = 0.1  # and its light, as a share of the last frame's (0.03 at most here)


def change(swarm, registry, target, frames: int = 60) -> list[np.ndarray]:
    """The first face formed, then the swarm sent on to the next: the light (rgb, summed over the frame's pixels is
    its mean colour) of the last formed frame and of each of `frames` frames after."""
    registry.set("swarm.trail", 0.1, immediate=True)
    index = run(swarm, registry, 90)
    seen = []
    for n in range(-15, frames + 1):  # the trail fills in over the first frames drawn
        if n == 1:
            registry.set("swarm.next", True)
        frame = frame_at(registry, index + 15 + n)
        swarm.simulate(frame)
        target.fbo.clear(0.0, 0.0, 0.0, 0.0)
        swarm.draw(frame, target)
        seen.append(pixels(target, 3))
    return seen[15:]


def chromaticity(light: np.ndarray) -> np.ndarray:
    rgb = light.reshape(-1, 3).sum(axis=0)
    return rgb / rgb.sum()


def test_no_frame_of_a_change_of_face_jumps_in_colour_or_glow(swarm, quick, target):
    seen = change(swarm, quick, target)
    colours = np.array([chromaticity(light) for light in seen])
    glow = np.array([light.sum() for light in seen])
    jumps = np.abs(np.diff(colours, axis=0)).max(axis=1)
    steps = np.abs(np.diff(glow)) / glow[:-1]
    assert np.abs(colours[-1] - colours[0]).max() > 4 * STEP  # the two faces' colours differ: a change to see
    assert jumps.max() < STEP, f"the frame's colour jumps by {jumps.max():.3f} in frame {jumps.argmax() + 1}"  # was 0.13
    assert steps.max() < GLOW_STEP, f"the frame's light jumps by {steps.max():.2f} in frame {steps.argmax() + 1}"


def test_mid_change_both_faces_colours_are_on_screen(swarm, quick, target):
    seen = change(swarm, quick, target)
    old, new = chromaticity(seen[0]), chromaticity(seen[-1])
    shares = []
    for light in seen[1:]:
        lit = light.reshape(-1, 3)
        lit = lit[lit.sum(axis=1) > 0.02 * lit.sum(axis=1).max()]
        c = lit / lit.sum(axis=1, keepdims=True)
        nearer_old = np.linalg.norm(c - old, axis=1) < np.linalg.norm(c - new, axis=1)
        weight = lit.sum(axis=1)
        shares.append(weight[nearer_old].sum() / weight.sum())
    shares = np.array(shares)
    both = (shares > 0.2) & (shares < 0.8)
    assert both.sum() >= 6, f"both faces' colours share the screen in {both.sum()} frames only: {np.round(shares[:20], 2)}"
