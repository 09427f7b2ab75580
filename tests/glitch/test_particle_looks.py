"""Each particle fault has a look of its own in the swarm, and the scars it leaves are kept:
read back from the bots' buffer and the swarm's light, small and on llvmpipe."""

import dataclasses

import numpy as np

from neoterra_glow.core.frame import Faults
from neoterra_glow.gpu.targets import Target
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import GLYPHS, bots, glyph_mask, run

FLOOR = -0.985  # shaders/swarm/fault.glsl


def faulty(registry, index, front=0.0, **levels):
    return dataclasses.replace(frame_at(registry, index), faults=Faults(levels, front, seed=index))


def step(swarm, registry, index, front=0.0, **levels):
    swarm.simulate(faulty(registry, index, front, **levels))
    return index + 1


def shine(ctx, swarm, registry, index, **levels) -> np.ndarray:
    """The swarm's light in this frame (rgb, top row first), with these faults."""
    target = Target(ctx, SMALL)
    swarm.draw(faulty(registry, index, **levels), target)
    light = pixels(target, 3)[::-1]
    target.release()
    return light


def formed(swarm, registry) -> int:
    registry.set("swarm.trail", 0.0, immediate=True)
    return run(swarm, registry, 75)


def test_stalled_bots_are_dead_pixels_that_neither_move_nor_twinkle(ctx, swarm, quick):
    index = formed(swarm, quick)
    face = shine(ctx, swarm, quick, index)
    for index in range(index, index + 20):
        index = step(swarm, quick, index, stall=1.0)
    before = bots(swarm)
    index = step(swarm, quick, index, stall=1.0)
    still = (bots(swarm)[:, :2] == before[:, :2]).all(axis=1)
    assert 0.4 < still.mean() < 0.6  # a stall takes at most half a face
    raw = np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24).copy()
    raw[~still, 0:8] = np.frombuffer(np.float32([6.0, 0.0]).tobytes(), np.uint8)  # the others far off the frame, a while
    swarm.state.bots.write(raw.tobytes())
    first, lights = bots(swarm), []
    for index in range(index, index + 12):
        index = step(swarm, quick, index, stall=1.0)
        lights.append(shine(ctx, swarm, quick, index, stall=1.0))
    assert np.array_equal(first[still, :4], bots(swarm)[still, :4])  # not a stalled bot moves
    assert all(np.array_equal(lights[0], light) for light in lights[1:])  # nor twinkles: the same light, frame after frame
    lit = lights[0].sum(axis=2) > 0.05
    assert 0.05 < lit.sum() / (face.sum(axis=2) > 0.05).sum() < 0.4  # hard points, here and there
    rgb = lights[0][lit]
    assert (rgb.min(axis=1) / rgb.max(axis=1)).mean() > 0.7  # grey-white, whatever the face's colour
    assert lights[0].sum() < 0.5 * face.sum()  # and dim


def test_a_cascades_failed_bots_fall_and_pile_up_glowing_at_the_bottom(ctx, swarm, quick):
    index = formed(swarm, quick)
    along = np.arange(len(bots(swarm))) / len(bots(swarm))
    failed = (along > 0.25) & (along < 0.59)  # just behind a front at 0.6
    heights = [bots(swarm)[failed, 1].mean()]
    for n in range(6):
        for index in range(index, index + 5):
            index = step(swarm, quick, index, front=0.6, cascade=1.0)
        heights.append(bots(swarm)[failed, 1].mean())
    assert heights[1] < heights[0] - 0.1 and all(b <= a for a, b in zip(heights, heights[1:]))  # they fall, and stay down
    y = bots(swarm)[failed, 1]
    assert (y >= FLOOR - 1e-3).all() and (y < -0.85).mean() > 0.9  # on a heap at the frame's bottom, in the frame
    light = shine(ctx, swarm, quick, index, front=0.6, cascade=1.0).sum(axis=2)
    bottom = light[-int(SMALL[1] * 0.07):]
    assert bottom.sum() > 0.1 * light.sum()  # the heap glows
    assert (bots(swarm)[(along < 0.18) | (along > 0.62), 1] > -0.8).all()  # the others stay on the face


def scar_lines(swarm) -> np.ndarray:
    """Which bots show a scar: the low byte of health's half of life at 0 (shaders/swarm/bot.glsl)."""
    return np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24)[:, 18] == 0


def gold(light: np.ndarray) -> np.ndarray:
    """Gold pixels: red first, then green, little blue (the default palette is cyan to blue)."""
    r, g, b = light[..., 0], light[..., 1], light[..., 2]
    return (r > 1.2 * g) & (g > 1.5 * b) & (r > 0.05)


def test_after_an_embrace_the_scars_are_thin_gold_seams_and_the_rest_its_own_colour(ctx, swarm, quick):
    quick.set("swarm.hue_drift", 0.0, immediate=True)
    index = formed(swarm, quick)
    calm = shine(ctx, swarm, quick, index)
    for n in range(60):  # a cascade runs through the whole face while a stall holds a third of it
        index = step(swarm, quick, index, front=n / 60, cascade=0.8, stall=0.3 if n < 30 else 0.0)
    for index in range(index, index + 150):  # everything heals: back to its place
        index = step(swarm, quick, index)
    seams = scar_lines(swarm)
    assert 0.01 < seams.mean() < 0.1  # the scarred bots on a seam's line: a small share
    assert bots(swarm)[:, 7].min() > 0.99  # healed
    for index in range(index, index + 20):
        index = step(swarm, quick, index, embrace=1.0)
    embraced = shine(ctx, swarm, quick, index, embrace=1.0)
    lit = embraced.sum(axis=2) > 0.1
    golden = gold(embraced) & lit
    assert 0.005 < golden.sum() / lit.sum() < 0.15  # a small share of the face is gold
    assert gold(calm).sum() == 0
    rest = lit & ~golden
    colour = embraced[rest].sum(axis=0) / embraced[rest].sum()
    own = calm[calm.sum(axis=2) > 0.1].sum(axis=0) / calm[calm.sum(axis=2) > 0.1].sum()
    assert np.abs(colour - own).max() < 0.08  # the rest is its own colour (a seam glows onto its neighbours)
    ink = glyph_mask(GLYPHS[0])[::-1]
    assert (lit & ink).sum() / lit.sum() > 0.6  # and in its own place
