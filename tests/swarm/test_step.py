"""The swarm's own fixed step: the output's frame rate does not change what the bots do."""

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.swarm.swarm import STEP
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import GLYPHS, SwarmUnderTest, bots, glyph_mask, grown, iou


def light_at(ctx, library, registry, fps: int, seconds: float) -> np.ndarray:
    """Where the swarm's light is after `seconds` rendered at `fps`: the resolved light of the
    last frame, thresholded at a tenth of its brightest."""
    swarm = SwarmUnderTest(Build(ctx, library, SMALL, GLYPHS))
    target = Target(ctx, SMALL)
    try:
        frames = round(seconds * fps)
        for index in range(frames):
            swarm.simulate(frame_at(registry, index, fps=fps))
        swarm.draw(frame_at(registry, frames - 1, fps=fps), target)
        light = pixels(target, 3).sum(axis=2)
        return light > 0.1 * np.percentile(light, 99.5)
    finally:
        target.release()
        swarm.release()


def test_a_2_fps_preview_forms_the_face_a_24_fps_render_does(ctx, library, registry):
    registry.set("swarm.count", 40_000, immediate=True)
    registry.set("swarm.hold", 600.0)
    slow, fast = light_at(ctx, library, registry, 2, 6.0), light_at(ctx, library, registry, 24, 6.0)
    face = grown(glyph_mask(GLYPHS[0]), 3)  # the formed glyph's light, not the dust drifting round it
    assert (slow & face).sum() > 0.8 * face.sum() / 7  # a face formed (its lines are about a seventh of the reach round them)
    overlap = iou(slow & face, fast & face)
    assert overlap > 0.8, f"intersection over union {overlap:.2f}"


def test_the_swarm_takes_fixed_steps_whatever_the_frame_rate(swarm, registry):
    registry.set("swarm.count", 10_000, immediate=True)
    for index in range(5):  # 2.5 steps a frame: 3, 2, 3, 2, 3
        swarm.simulate(frame_at(registry, index, fps=24))
    assert swarm.time == pytest.approx(13 * STEP, abs=1e-9)
    before = bots(swarm).copy()
    registry.set("swarm.next", True)
    swarm.simulate(frame_at(registry, 5, fps=200))  # under half a step: the bots wait for the next frame
    assert np.array_equal(bots(swarm), before)
    assert swarm.visits.current == 1  # but a move asked for then is not lost
