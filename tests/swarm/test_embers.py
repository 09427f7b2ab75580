"""A warm room's embers: a few of its spare bots rise slowly from the floor as warm sparks round the face, flicker
softly and go out. On the real splat's light, with every bot far outside the frame: only the dust's."""

import colorsys

import numpy as np
import pytest

from neoterra_glow.piece import load_piece
from neoterra_glow.swarm import dust
from tests.conftest import frame_at
from tests.swarm.conftest import ASPECT, PER_UNIT, put_bots, shine_bots

FACE = (0.3, 0.0, 0.672)  # a lone face's centre and parting radius (the centre layout's scale, 0.56, times 1.2), frame units
WIDTH = 2.0 * 0.95 * FACE[2] / 1.2  # its ink, rim to rim


@pytest.fixture
def embers(swarm, quick):
    """The tests' swarm with no dust but ember-tide's embers, its bots far outside the frame."""
    quick.set("swarm.count", 10_000, immediate=True)
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.embers", load_piece("ember-tide").registry.value("swarm.embers"), immediate=True)
    swarm.simulate(frame_at(quick, 0))
    put_bots(swarm, (9.0, 9.0))
    return quick


def widths_from_the_face(shape) -> np.ndarray:
    ys, xs = np.indices(shape)
    return np.hypot((xs + 0.5) / PER_UNIT - ASPECT - FACE[0], (ys + 0.5) / PER_UNIT - 1.0 - FACE[1]) / WIDTH


def test_ember_tide_has_sparse_warm_embers_round_the_face_never_on_it_nor_gold(swarm, embers, target):
    light = np.array([shine_bots(swarm, frame_at(embers, index), target, parting=FACE) for index in range(150, 300, 30)])
    glow = light.sum(axis=3)
    lit = glow > 1e-3
    # sparse sparks, each a soft glow of a few pixels (1 pixel went unseen: 0.004 then)
    assert 10 < lit.sum(axis=(1, 2)).min() and lit.sum(axis=(1, 2)).max() < 0.01 * lit[0].size, lit.sum(axis=(1, 2))
    quiet = glow.sum(axis=(1, 2)).max()  # a face's ink at this size: some 1500 pixels at about 1 each
    # each a soft glow now, to be seen (180; a pixel each: 45), yet together well short of one face
    assert quiet < 220.0, f"the embers' light together, {quiet:.0f}, is more than a seventh of a face's"
    assert glow[:, widths_from_the_face(glow.shape[1:]) < 0.75].max() == 0.0, "an ember on the face"
    seen = np.maximum(light[lit], 0.0) ** (1 / 2.2)
    hues = np.array([colorsys.rgb_to_hsv(*(c / c.max()))[0] * 360.0 for c in seen])
    assert ((hues < 28.0) | (hues > 350.0)).all(), f"an ember not red-orange: hues {np.round(np.sort(hues)[-5:])}"  # gold is 45


def one_ember(swarm, embers, target, monkeypatch, frames) -> tuple[np.ndarray, np.ndarray]:
    """One ember's light and where it is (x, y in pixels from the bottom left) over `frames`, no face near."""
    monkeypatch.setattr(dust, "EMBERS", 1)
    light, at = [], []
    for index in frames:
        glow = shine_bots(swarm, frame_at(embers, index), target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
        rows, cols = np.nonzero(glow)
        light.append(glow.sum())
        at.append((cols.mean(), rows.mean()) if len(rows) else (np.nan, np.nan))
    return np.array(light), np.array(at)


def test_an_ember_rises_slowly_and_flickers_no_faster_than_twice_a_second(swarm, embers, target, monkeypatch):
    light, at = one_ember(swarm, embers, target, monkeypatch, range(0, 600, 2))  # twenty seconds at 15 fps: two lives or more
    assert (light > 0).mean() > 0.5, "the ember is seldom seen"
    steps = np.diff(at, axis=0) * 15.0 / PER_UNIT  # frame units a second
    climbing = steps[~np.isnan(steps).any(axis=1) & (np.abs(steps[:, 1]) < 0.5)]  # not the jump to its next life's start
    rise = climbing[:, 1].mean()  # a pixel's step now and then: its mean, not its median
    assert 0.02 < rise < 0.15, f"it rises at {rise:.3f} frame units a second"
    spectrum = np.abs(np.fft.rfft(light - light.mean())) ** 2
    hertz = np.fft.rfftfreq(len(light), 1 / 15.0)
    fast = spectrum[hertz > 2.2].sum() / spectrum[hertz > 0.0].sum()
    assert fast < 0.05, f"{fast:.0%} of its flicker is faster than twice a second"
    slow = spectrum[(hertz > 0.3) & (hertz < 2.2)].sum() / spectrum[hertz > 0.0].sum()
    assert slow > 0.05, "it glows steadily: no flicker"


def test_a_room_without_embers_draws_none(swarm, embers, target):
    with_embers = shine_bots(swarm, frame_at(embers, 150), target, parting=FACE)
    embers.set("swarm.embers", 0.0, immediate=True)
    assert shine_bots(swarm, frame_at(embers, 150), target, parting=FACE).max() == 0.0 < with_embers.max()
