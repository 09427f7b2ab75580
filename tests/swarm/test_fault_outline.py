"""Every fault takes a part of the face, never all of it: most of its outline stays in place through the fault."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from tests.conftest import frame_at
from tests.swarm.conftest import PER_UNIT, bots, run

NEAR = 3.0 / PER_UNIT  # a bot within 3 px of where it stood in the formed face is in place
KEPT = 0.6  # the share of the face that every fault leaves in place, at its worst


def kept_through(swarm, registry, frames: int = 30, sweep: bool = False, **levels) -> float:
    """The least share of a formed face's bots in place (within NEAR of where they stood) over `frames` frames of these
    faults at these levels; `sweep` runs a cascade's front across the whole face over them."""
    index = run(swarm, registry, 75)
    formed = bots(swarm)[:, :2].copy()
    least = 1.0
    for n in range(frames):
        faults = Faults(levels, (n + 1) / frames if sweep else 0.0, seed=index + n)
        swarm.simulate(dataclasses.replace(frame_at(registry, index + n), faults=faults))
        least = min(least, float((np.linalg.norm(bots(swarm)[:, :2] - formed, axis=1) < NEAR).mean()))
    return least


@pytest.mark.parametrize("levels", [dict(scatter=1.0), dict(stall=1.0), dict(swap=1.0), dict(cascade=1.0)], ids=str)
def test_a_fault_at_full_strength_leaves_most_of_the_face_in_place(swarm, quick, levels):
    kept = kept_through(swarm, quick, sweep="cascade" in levels, **levels)
    assert kept >= KEPT, f"{levels}: only {kept:.2f} of the face stays in place"


def test_faults_together_leave_most_of_the_face_in_place(swarm, quick):
    kept = kept_through(swarm, quick, sweep=True, scatter=1.0, stall=1.0, swap=1.0, cascade=1.0)
    assert kept >= KEPT, f"faults together leave only {kept:.2f} of the face in place"
