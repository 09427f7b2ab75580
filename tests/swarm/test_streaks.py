"""Bots you can see: streaks along their paths, lead bots over fine dust, glints, fast bots
flaring white, on the real splat's light."""

import colorsys

import numpy as np
import pytest

from tests.conftest import SMALL, frame_at
from tests.swarm.conftest import ASPECT, PER_UNIT, put_bots, shine_bots


@pytest.fixture
def still(swarm, quick):
    """A swarm of 10,000 bots whose light is drawn with no trail; `light(**bots)` gives their
    light (summed over colour, row 0 at the bottom) for bots as the dataclass fields say."""
    quick.set("swarm.count", 10_000, immediate=True)
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    frame = frame_at(quick, 0)
    swarm.simulate(frame)
    return frame



def test_a_moving_bot_lays_the_same_light_along_its_path(swarm, still, target, quick):
    for name in ("core", "edge"):  # white: flaring at speed changes nothing
        quick.set(f"swarm.palette.{name}", "#ffffff", immediate=True)
    still = frame_at(quick, 0)
    put_bots(swarm, (0.0, 0.0))
    resting = shine_bots(swarm, still, target, step=0.1).sum(axis=2)
    put_bots(swarm, (0.0, 0.0), vel=(3.0, 0.0), target=(0.0, -0.5))
    moving = shine_bots(swarm, still, target, step=0.1).sum(axis=2)
    assert moving.sum() == pytest.approx(resting.sum(), rel=0.03)  # the same energy, spread

    columns = np.flatnonzero(moving.sum(axis=0) > 0.02 * moving.sum())
    centre = SMALL[0] / 2
    assert columns.min() <= centre - 0.09 * PER_UNIT and columns.max() <= centre + 1  # from pos - vel * STREAK to pos
    lit = moving.sum(axis=0)[int(centre - 0.09 * PER_UNIT):int(centre)]
    assert lit.min() > 0.3 * lit.mean(), "the streak has gaps"
    # as long at 12 fps as at 60: a low-rate preview draws the show's streaks, not combs five times as long
    assert np.array_equal(moving, shine_bots(swarm, still, target, step=1 / 60).sum(axis=2))
    assert columns.min() > centre - 0.12 * PER_UNIT
    assert np.count_nonzero(resting.sum(axis=0) > 0.02 * resting.sum()) <= 3  # a bot at rest is a point


def one_a_pixel(count: int = 10_000) -> np.ndarray:
    """Frame points at the centres of `count` pixels three apart: each bot's light on a pixel of its own."""
    at = np.arange(count) * 3
    x, y = at % SMALL[0] + 0.5, at // SMALL[0] + 0.5
    return np.column_stack([(x / SMALL[0] * 2 - 1) * ASPECT, y / SMALL[1] * 2 - 1])


def test_a_few_lead_bots_shine_over_fine_dust(swarm, still, target):
    put_bots(swarm, one_a_pixel())
    light = shine_bots(swarm, still, target, step=0.0).sum(axis=2)
    lit = np.sort(light[light > 0])
    assert len(lit) == 10_000
    leads = lit[-100:]
    assert leads.min() > 3.0 * np.median(lit), "no bot stands out of the dust"
    assert (lit > 3.0 * np.median(lit)).mean() < 0.05  # a few of them


def test_fast_bots_flare_white_not_gold(swarm, still, target, quick):
    quick.set("swarm.palette.core", "#0000ff", immediate=True)
    quick.set("swarm.palette.edge", "#0000ff", immediate=True)
    quick.set("swarm.palette.spark", "#ffc98a", immediate=True)
    still = frame_at(quick, 0)
    put_bots(swarm, (0.0, 0.0), vel=(0.0, 0.0), target=(0.0, -0.5))
    slow = shine_bots(swarm, still, target, step=0.0).sum(axis=(0, 1))
    put_bots(swarm, (0.0, 0.0), vel=(3.0, 0.0), target=(0.0, -0.5))
    fast = shine_bots(swarm, still, target, step=0.0).sum(axis=(0, 1))
    (hue, saturation, _), (hue0, saturation0, _) = (colorsys.rgb_to_hsv(*(c / c.max())) for c in (fast, slow))
    assert saturation < 0.75 * saturation0, "fast bots pale toward white"
    assert abs((hue - hue0 + 0.5) % 1.0 - 0.5) * 360.0 < 10.0, "fast bots keep their face's hue (a flare toward gold would turn it)"


def test_glints_sparkle_slowly_on_a_settled_stroke(swarm, still, target, quick):
    quick.set("swarm.glints", 300, immediate=True)
    frame = frame_at(quick, 0)
    put_bots(swarm, one_a_pixel())
    seen = np.stack([shine_bots(swarm, frame, target, step=0.0, time=t).sum(axis=2) for t in np.arange(0.0, 4.0, 1 / 15)])
    quiet = np.median(seen, axis=0)
    flashing = seen > 4.0 * quiet + 0.5
    glints = flashing.any(axis=0)
    assert 20 < glints.sum() < 600, f"{glints.sum()} pixels glint"
    rises = (np.diff(flashing[:, glints].astype(int), axis=0) > 0).sum(axis=0)
    assert rises.max() <= 3 * 4, "a glint flashes more than 3 times a second"
    assert (flashing[:, glints].mean(axis=0) < 0.3).all(), "glints stay lit instead of sparkling"
