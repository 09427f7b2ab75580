"""A fault strikes a formed face: while the swarm changes face the bots' faults wait (glitch/faults.py's
particle_uniforms), so a change of face is never read as a fault's mess or its wrong colour (the finale's
scatter over a change read as a lime ring)."""

import dataclasses

import numpy as np

from neoterra_glow.core.frame import Faults
from neoterra_glow.gpu.targets import Target
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import run


def shine(ctx, swarm, registry, index, **levels) -> np.ndarray:
    """The swarm's light in this frame with these faults (the light stage alone: its trail is off, so it keeps nothing)."""
    target = Target(ctx, SMALL)
    swarm.draw(dataclasses.replace(frame_at(registry, index), faults=Faults(levels, 0.0, seed=index)), target)
    light = pixels(target, 3)
    target.release()
    return light


def test_while_the_swarm_changes_face_its_faults_wait_and_strike_the_face_once_formed(ctx, swarm, quick):
    quick.set("swarm.trail", 0.0, immediate=True)
    index = run(swarm, quick, 75)
    quick.set("swarm.next", True)
    index = run(swarm, quick, 15, index)  # a swarm's second into the change (speed 2): its strands in flight
    calm = shine(ctx, swarm, quick, index)
    struck = shine(ctx, swarm, quick, index, colour=1.0, flicker=1.0, scatter=0.5, stall=0.5)
    assert calm.sum() > 0 and np.array_equal(struck, calm)  # the change keeps its own light and colours
    index = run(swarm, quick, 60, index)  # the next face formed
    calm = shine(ctx, swarm, quick, index)
    struck = shine(ctx, swarm, quick, index, colour=1.0)
    assert np.abs(struck - calm).sum() > 0.1 * calm.sum()  # and now the colour fault strikes it
