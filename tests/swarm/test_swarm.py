"""The swarm on real OpenGL: bots read back from the GPU's storage buffers."""

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.swarm.light import CHANGE_TRAIL
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import ASPECT, GLYPHS, SwarmUnderTest, bots, density_mask, formed, glyph_mask, grown, iou, run


def test_the_swarm_forms_the_glyph(swarm, quick):
    run(swarm, quick, 75)
    on_ink, reached = formed(bots(swarm)[:, :2], GLYPHS[0])
    assert on_ink > 0.9 and reached > 0.9, f"{on_ink:.2f} of the bots' light on the ink, {reached:.2f} of the ink reached"


def test_settled_bots_spread_through_the_stroke_without_clumping(swarm, quick):
    run(swarm, quick, 75)
    counts, _, _ = np.histogram2d(*bots(swarm)[:, 1::-1].T, bins=(SMALL[1], SMALL[0]), range=[[-1, 1], [-ASPECT, ASPECT]])
    on_ink = counts[glyph_mask(GLYPHS[0], shade=False)]  # the strokes; a shade's stipple gathers in points by design
    assert (on_ink > 0).mean() > 0.9
    assert np.percentile(on_ink, 99) < 4 * on_ink.mean(), "bots pile up in a few pixels"


def test_a_morph_reaches_the_next_glyph_along_curved_paths(swarm, quick):
    index = run(swarm, quick, 75)
    before = bots(swarm)[::50, :2].copy()
    quick.set("swarm.next", True)
    track = []
    start = index
    for index in range(start, start + 75):
        swarm.simulate(frame_at(quick, index))
        track.append(bots(swarm)[::50, :2].copy())
    after = bots(swarm)
    assert min(formed(after[:, :2], GLYPHS[1])) > 0.9
    assert formed(after[:, :2], GLYPHS[0])[0] < 0.5

    # organic paths: bots on a long way stray well off the straight line from where they were to
    # where they land (a short hop, most of a morph, reshapes the face nearly straight)
    start, end, path = before, track[-1], np.stack(track)
    line = end - start
    length = np.linalg.norm(line, axis=1)
    moved = length > 0.3
    rel = path[:, moved] - start[moved]
    cross = np.abs(rel[..., 0] * line[moved, 1] - rel[..., 1] * line[moved, 0]) / length[moved]
    stray = cross.max(axis=0) / length[moved]
    assert np.median(stray) > 0.2, f"bots fly nearly straight (median stray {np.median(stray):.2f})"


def test_the_count_changes_while_running_keeping_the_bots_that_stay(swarm, quick, ctx):
    index = run(swarm, quick, 30)
    old = bots(swarm).copy()
    swarm.state.resize(90_000, seed=1, aspect=ASPECT)
    grown = bots(swarm)
    assert len(grown) == 90_000
    assert np.array_equal(grown[:30_000], old)
    spawned = grown[30_000:]
    assert np.isfinite(spawned).all() and (spawned[:, 7] == 1.0).all()
    assert np.abs(spawned[:, 0]).max() <= ASPECT * 1.1 + 1e-5

    quick.set("swarm.count", 90_000)
    run(swarm, quick, 75, start=index)
    assert iou(density_mask(bots(swarm)[:, :2], least=3), glyph_mask(GLYPHS[0])) >= 0.7

    quick.set("swarm.count", 20_000)
    kept = bots(swarm)[:20_000].copy()
    swarm.state.resize(20_000, seed=1, aspect=ASPECT)
    assert np.array_equal(bots(swarm), kept)


def test_a_seeded_run_is_deterministic(ctx, library, quick):
    def final(seed):
        swarm = SwarmUnderTest(Build(ctx, library, SMALL, GLYPHS))
        try:
            run(swarm, quick, 20, seed=seed)
            return bots(swarm).tobytes()
        finally:
            swarm.release()

    assert final(5) == final(5)
    assert final(5) != final(6)


def draw(swarm, registry, index, target):
    target.fbo.clear(0.0, 0.0, 0.0, 1.0)
    frame = frame_at(registry, index)
    swarm.simulate(frame)
    swarm.draw(frame, target)
    return pixels(target, 3).sum(axis=2)[::-1]  # top row first


def test_the_light_falls_on_the_glyph_and_is_the_same_for_any_count(ctx, swarm, quick):
    target = Target(ctx, SMALL)
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    index = run(swarm, quick, 75)
    light = draw(swarm, quick, index, target)
    ink = glyph_mask(GLYPHS[0], shade=False)[::-1]  # the strokes: a shade's sparse stipple is dimmer by design
    assert light[ink].mean() > 10 * light[~ink].mean()
    assert 0.3 < light[ink].mean() < 3.0  # glowing, not blown out

    quick.set("swarm.count", 180_000)
    index = run(swarm, quick, 75, start=index + 1)
    tripled = draw(swarm, quick, index, target)
    assert tripled[ink].mean() == pytest.approx(light[ink].mean(), rel=0.2)
    target.release()


def test_the_first_face_forms_as_crisp_beads_out_of_dim_dust_not_a_glow(ctx, swarm, quick):
    """At 1.9 s every preset's first face was a thick soft glow: the bots still on their way in from the haze lit a
    cloud round its strokes as brightly as the strokes (a quarter of the light on them, measured)."""
    target = Target(ctx, SMALL)
    ink = grown(glyph_mask(GLYPHS[0]), 1)[::-1]  # within a pixel of its lines and stipple
    for index in range(28):  # 1.9 s of the swarm's time, past three quarters of the way to formed
        light = draw(swarm, quick, index, target)
    assert light[ink].sum() > 0.45 * light.sum(), f"{light[ink].sum() / light.sum():.2f} of the forming face's light on its lines"
    assert light[ink].mean() > 8 * light[~ink].mean(), "the face does not yet show through its haze"
    target.release()


def test_trails_fade_by_the_set_time(ctx, swarm, quick):
    target = Target(ctx, SMALL)
    quick.set("swarm.trail", 0.5, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    index = run(swarm, quick, 60)
    start = index
    for index in range(start, start + 30):
        before = draw(swarm, quick, index, target)
    quick.set("swarm.brightness", 0.0, immediate=True)
    after = draw(swarm, quick, index + 1, target)
    assert after.sum() == pytest.approx(before.sum() * np.exp(-(1 / 30) / 0.5), rel=0.02)
    quick.set("swarm.trail", 0.0, immediate=True)
    draw(swarm, quick, index + 2, target)  # the buffer decays at the end of a frame: what it kept shows once more
    assert draw(swarm, quick, index + 3, target).max() == 0.0
    target.release()


def test_trails_are_short_while_the_swarm_changes_face(ctx, swarm, quick):
    """A long trail stacked the face into copies of itself along the bots' way in a change of face."""
    target = Target(ctx, SMALL)
    quick.set("swarm.trail", 2.0, immediate=True)
    index = run(swarm, quick, 60)
    quick.set("swarm.next", True)
    start = index
    for index in range(start, start + 20):  # two thirds of a second into the change
        before = draw(swarm, quick, index, target)
    quick.set("swarm.brightness", 0.0, immediate=True)
    after = draw(swarm, quick, index + 1, target)
    assert after.sum() == pytest.approx(before.sum() * np.exp(-(1 / 30) / CHANGE_TRAIL), rel=0.02)  # 2.0 s kept 98% a frame
    target.release()


def test_a_scatter_bursts_the_swarm_and_it_reforms(swarm, quick):
    index = run(swarm, quick, 75)
    quick.set("swarm.scatter", True)
    index = run(swarm, quick, 15, start=index)
    assert iou(density_mask(bots(swarm)[:, :2]), glyph_mask(GLYPHS[0])) < 0.3
    run(swarm, quick, 120, start=index)
    assert iou(density_mask(bots(swarm)[:, :2]), glyph_mask(GLYPHS[0])) >= 0.7


def test_the_swarms_morph_waits_for_the_bar(swarm, quick):
    quick.set("tempo.morphs", "bar")
    quick.set("tempo.bpm", 120.0, immediate=True)
    index = run(swarm, quick, 5)
    for position, moved in ((1.5, False), (2.5, False), (3.6, False), (0.1, True)):
        quick.set("tempo.position", position, immediate=True)
        if position == 1.5:
            quick.set("swarm.next", True)
        swarm.simulate(frame_at(quick, index))
        index += 1
        assert (swarm.visits.current == 1) is moved, position
