"""Particle faults in the swarm's own passes, read back from the bots' buffers."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from neoterra_glow.gpu.targets import Target
from neoterra_glow.swarm.wall import placements
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import ASPECT, GLYPHS, bots, density_mask, glyph_mask, run


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


def test_swapped_bots_stream_to_the_wrong_face_beside_this_one(swarm, quick):
    index = run(swarm, quick, 75)
    scale = placements("centre", len(GLYPHS), ASPECT)[1][2]
    beside = glyph_mask(GLYPHS[1], place=(1.1, 0.15, scale * 0.5))  # the centre layout's next face, drawn beside: fault_step.glsl
    before = density_mask(bots(swarm)[:, :2])[beside].mean()
    faulty_run(swarm, quick, 60, index, swap=0.4)
    after = density_mask(bots(swarm)[:, :2])[beside].mean()
    assert before < 0.05 and after > 0.5  # Kai's smile forms beside Elara's, out of her bots


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


def test_flicker_makes_stretches_sputter_a_few_times_a_second_at_most(ctx, swarm, quick):
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    quick.set("swarm.speed", 1.0, immediate=True)
    index = run(swarm, quick, 150)
    shares = []
    for index in range(index, index + 30):  # a second
        swarm.simulate(frame_at(quick, index))
        shares.append(light(ctx, swarm, quick, index, flicker=0.5) / light(ctx, swarm, quick, index))
    assert all(0.55 < share < 0.95 for share in shares)  # some stretches out, never the face
    changes = sum(not np.isclose(a, b, rtol=0.02) for a, b in zip(shares, shares[1:]))
    assert 1 <= changes <= 6  # at most three times out and back


def test_a_colour_fault_turns_the_hue_of_some_stretches_and_keeps_their_light(ctx, swarm, quick):
    quick.set("swarm.trail", 0.0, immediate=True)
    index = run(swarm, quick, 75)
    target = Target(ctx, SMALL)
    swarm.draw(dataclasses.replace(frame_at(quick, index), faults=Faults({}, seed=3)), target)
    calm = pixels(target, 3)
    swarm.draw(dataclasses.replace(frame_at(quick, index), faults=Faults({"colour": 0.5}, seed=3)), target)
    wrong = pixels(target, 3)
    target.release()
    lit = calm.sum(axis=2) > 0.2
    turned = np.abs(wrong - calm).sum(axis=2)[lit] > 0.3 * calm.sum(axis=2)[lit]
    assert 0.15 < turned.mean() < 0.7  # stretches of it, not the whole face
    assert wrong.sum() == pytest.approx(calm.sum(), rel=0.1)  # a wrong hue, not a glare
