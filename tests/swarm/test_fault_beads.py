"""While the swarm is on the move (a change of face, a flight, a fault that moves its bots) its bots read as beads on
their paths, not as brush strokes: a moving bot's light is a short bead, a settled one's streak is kept."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from tests.conftest import SMALL, frame_at
from tests.swarm.conftest import PER_UNIT, put_bots, shine_bots

BEAD = 0.07  # frame units a moving bot's light reaches behind it, at most, while the swarm is on the move (a lead bot's: 5 px here)


def reach(light: np.ndarray) -> float:
    """How far behind the bots (frame units, to the left of the frame's centre) their light reaches."""
    columns = np.flatnonzero(light.sum(axis=2).sum(axis=0) > 0.02 * light.sum())
    return (SMALL[0] / 2 - columns.min()) / PER_UNIT


@pytest.mark.parametrize("moving", [dict(changing=1.0), dict(aloft=1.0), dict(scatter=0.3), dict(swap=0.3)], ids=str)
def test_on_the_move_a_fast_bot_is_a_bead_not_a_streak(swarm, quick, target, moving):
    quick.set("swarm.count", 10_000, immediate=True)
    quick.set("swarm.trail", 0.0, immediate=True)
    frame = frame_at(quick, 0)
    swarm.simulate(frame)
    put_bots(swarm, (0.0, 0.0), vel=(3.0, 0.0), target=(0.0, -0.5))
    streak = reach(shine_bots(swarm, frame, target))
    faults = {kind: level for kind, level in moving.items() if kind not in ("changing", "aloft")}
    fields = {name: level for name, level in moving.items() if name in ("changing", "aloft")}
    bead = reach(shine_bots(swarm, dataclasses.replace(frame, faults=Faults(faults)), target, **fields))
    assert streak > 0.09  # a settled swarm's fast bot streaks (tests/swarm/test_streaks.py)
    assert bead < BEAD, f"on the move a fast bot's light reaches {bead:.3f} behind it: a brush stroke"  # was 0.11
