"""A formed face keeps living: its glyph's poses (blink, laugh, tender) move the bots' targets,
on real GPU buffers, with a synthetic glyph whose poses are not zero."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.glyphs.glyph import POSES
from neoterra_glow.gpu.stage import Build
from neoterra_glow.swarm.gathering import CENTRE_SCALE
from neoterra_glow.swarm.life import BLINK_SECONDS, blink, pose_weights
from tests.conftest import SMALL, frame_at
from tests.swarm.conftest import GLYPHS, SwarmUnderTest, bots, run

SCALE = CENTRE_SCALE  # the first glyph's, in the centre layout


def posed(pose: str, offset: tuple[float, float]):
    """The first test glyph, with every target moving by `offset` (glyph units) in `pose`."""
    poses = np.zeros_like(GLYPHS[0].poses)
    poses[:, POSES.index(pose)] = offset
    return dataclasses.replace(GLYPHS[0], poses=poses)


@pytest.fixture
def living(ctx, library):
    made = []

    def build(glyph):
        made.append(SwarmUnderTest(Build(ctx, library, SMALL, [glyph, GLYPHS[1]])))
        return made[-1]

    yield build
    for swarm in made:
        swarm.release()


def test_a_tender_expression_moves_the_formed_face(living, quick):
    swarm = living(posed("tender", (0.0, 0.15)))
    index = run(swarm, quick, 75)
    before = bots(swarm)[:, :2].mean(axis=0)
    quick.set("swarm.expression", 1.0, immediate=True)
    run(swarm, quick, 20, start=index)
    moved = bots(swarm)[:, :2].mean(axis=0) - before
    assert moved[1] == pytest.approx(0.15 * SCALE, rel=0.15)
    assert abs(moved[0]) < 0.01


def test_a_formed_face_blinks_briefly_now_and_then(living, quick):
    swarm = living(posed("blink", (0.2, 0.0)))
    index = run(swarm, quick, 75)
    quick.set("swarm.speed", 1.0, immediate=True)
    rest = bots(swarm)[:, 0].mean()
    shift = []
    start = index
    for index in range(start, start + 8 * 30):
        swarm.simulate(frame_at(quick, index))
        shift.append(bots(swarm)[:, 0].mean() - rest)
    shut = np.array(shift) > 0.5 * 0.2 * SCALE
    assert shut.any(), "the face never blinks"
    assert shut.mean() < 0.1, "the eyes stay shut"
    assert (np.diff(shut.astype(int)) > 0).sum() <= 4  # every few seconds, not a flutter


def test_blinks_are_brief_and_each_face_keeps_its_own_rhythm():
    times = np.arange(0.0, 30.0, 0.005)
    shut = {name: np.array([blink(t, name) > 0 for t in times]) for name in ("Elara", "Kai")}
    for name, closed in shut.items():
        starts = np.flatnonzero(np.diff(closed.astype(int)) > 0)
        assert 5 <= len(starts) <= 12, name  # every 3 to 6 seconds, now and then twice
        assert closed.mean() * 30.0 / len(starts) == pytest.approx(BLINK_SECONDS, rel=0.1)
    assert not np.array_equal(shut["Elara"], shut["Kai"])


def test_a_face_still_forming_does_not_move():
    assert pose_weights(0.5, 10.0, "Elara", joy=1.0, position=0.0, bpm=120.0, expression=1.0) == (0.0, 0.0, 0.0)
    blink_, laugh, tender = pose_weights(5.0, 10.0, "Elara", joy=1.0, position=0.0, bpm=120.0, expression=0.0)
    assert laugh == 1.0 and tender == 0.0
