"""Particle faults in the swarm's own passes, read back from the bots' buffers."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from neoterra_glow.gpu.targets import Target
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import GLYPHS, bots, density_mask, glyph_mask, run


def faulty_run(swarm, registry, frames, start, front=0.0, **levels):
    for index in range(start, start + frames):
        frame = dataclasses.replace(frame_at(registry, index), faults=Faults(levels, front, seed=index))
        swarm.simulate(frame)
    return frame


def test_stalled_bots_freeze_where_they_are(swarm, quick):
    index = run(swarm, quick, 30)  # still on their way: moving
    faulty_run(swarm, quick, 1, index, stall=0.5)
    before = bots(swarm).copy()
    faulty_run(swarm, quick, 1, index + 1, stall=0.5)
    after = bots(swarm)
    still = (before[:, :2] == after[:, :2]).all(axis=1)
    assert still.mean() == pytest.approx(0.5, abs=0.03)
    assert after[still, 7].max() < 1.0  # and are hurt
    faulty_run(swarm, quick, 1, index + 2)
    assert (bots(swarm)[:, :2] != after[:, :2]).any(axis=1).mean() > 0.95  # the fault over, they move again


def test_swapped_bots_draw_the_wrong_glyph(swarm, quick):
    index = run(swarm, quick, 75)
    only_next = glyph_mask(GLYPHS[1]) & ~glyph_mask(GLYPHS[0])
    before = density_mask(bots(swarm)[:, :2])[only_next].mean()
    faulty_run(swarm, quick, 60, index, swap=0.4)
    after = density_mask(bots(swarm)[:, :2])[only_next].mean()
    assert after > before + 0.3  # Kai's smile shows through Elara's


def test_a_cascade_hurts_the_bots_just_behind_its_front(swarm, quick):
    index = run(swarm, quick, 10)
    faulty_run(swarm, quick, 1, index, front=0.6, cascade=1.0)
    health = bots(swarm)[:, 7]
    along = np.arange(len(health)) / len(health)
    assert health[(along > 0.25) & (along < 0.59)].max() < 0.05
    assert health[(along < 0.15) | (along > 0.61)].min() == 1.0


def light(ctx, swarm, registry, index, **levels):
    target = Target(ctx, SMALL)
    frame = dataclasses.replace(frame_at(registry, index), faults=Faults(levels, seed=3))
    swarm.draw(frame, target)
    total = pixels(target, 3).sum()
    target.release()
    return total


def test_embraced_damage_glows_instead_of_fading(ctx, swarm, quick):
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    index = run(swarm, quick, 75)
    healthy = light(ctx, swarm, quick, index)
    faulty_run(swarm, quick, 1, index, front=1.0, cascade=1.0)  # hurts the bots' last fifth
    hurt = light(ctx, swarm, quick, index + 1)
    embraced = light(ctx, swarm, quick, index + 1, embrace=1.0)
    assert hurt < 0.95 * healthy < embraced


def test_flicker_and_colour_faults_change_the_light_of_some_bots(ctx, swarm, quick):
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    index = run(swarm, quick, 75)
    calm = light(ctx, swarm, quick, index)
    assert light(ctx, swarm, quick, index, flicker=0.5) == pytest.approx(calm * 0.6, rel=0.1)
    assert light(ctx, swarm, quick, index, colour=0.5) != pytest.approx(calm, rel=0.05)
