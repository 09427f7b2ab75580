"""Each particle fault has a look of its own in the swarm: read back from the bots' buffer and
the swarm's light, small and on llvmpipe. (The scars they leave, the kintsugi crack, are
tests/swarm/test_faults.py's.)"""

import dataclasses

import numpy as np

from neoterra_glow.core.frame import Faults
from neoterra_glow.gpu.targets import Target
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import bots, features, run

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
    assert 0.4 < still[~features(len(still))].mean() < 0.6  # a stall takes at most half a face, never its eyes or mouth
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
    failed = (along > 0.25) & (along < 0.59) & ~features(len(along))  # just behind a front at 0.6; eyes and mouth spared
    heights = [bots(swarm)[failed, 1].mean()]
    for n in range(6):
        for index in range(index, index + 5):
            index = step(swarm, quick, index, front=0.6, cascade=1.0)
        heights.append(bots(swarm)[failed, 1].mean())
    assert heights[1] < heights[0] - 0.1 and all(b <= a for a, b in zip(heights, heights[1:]))  # they fall, and stay down
    y = bots(swarm)[failed, 1]
    assert (y >= FLOOR - 1e-3).all() and (y < -0.85).mean() > 0.9  # on a heap at the frame's bottom, in the frame
    colours = shine(ctx, swarm, quick, index, front=0.6, cascade=1.0)
    light = colours.sum(axis=2)
    bottom = light[-int(SMALL[1] * 0.07):]
    assert bottom.sum() > 0.05 * light.sum()  # the heap of a fifth of the bots glows (beside a face whose eyes and mouth stay lit)
    heap = colours[-int(SMALL[1] * 0.07):][bottom > 0.05 * bottom.max()]
    assert (heap.min(axis=1) / heap.max(axis=1)).mean() < 0.6  # in its faces' colour: grains, not a grey-white bar
    assert (bots(swarm)[(along < 0.18) | (along > 0.62) | features(len(along)), 1] > -0.8).all()  # the others stay on the face
