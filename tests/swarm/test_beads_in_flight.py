"""Bots on the move read as beads, glowing dots on their paths: a bead (the bots of one knot of the stroke,
retarget.comp's eight target samples) leaves, flies and lands together, in a change of face and when a scatter throws
it, so a morph is a stream of dots and a scatter thrown sparks, not dashes smeared along the bots' way."""

import dataclasses

import numpy as np

from neoterra_glow.core.frame import Faults
from neoterra_glow.glyphs.glyph import SAMPLES
from tests.conftest import frame_at
from tests.swarm.conftest import GLYPHS, PER_UNIT, bots, run

BEAD = 0.5  # pixels a bead's bots lie from its middle at most, mid-morph (a median over its bots, then over beads)
THROWN = 1.5  # and a thrown bead's


def spread(positions: np.ndarray, moved: np.ndarray | None = None) -> float:
    """How far, in pixels, the bots of each bead lie from its middle (the median over its bots, then over beads:
    the few of a bead's bots that dust its stroke's width are not its dot), of the beads `moved` picks. The count is
    a power of two, so the beads are even runs of the buffer."""
    beads = positions.reshape(SAMPLES // 8, -1, 2)
    far = np.median(np.linalg.norm(beads - np.median(beads, axis=1, keepdims=True), axis=2), axis=1) * PER_UNIT
    return float(np.median(far if moved is None else far[moved]))


def line_beads() -> np.ndarray:
    """The beads of the lines on both faces: a shade's bots knot in pairs (shaders/swarm/aim.glsl), so its bead lands
    as four faint points of the stipple, not one dot."""
    shade = [(glyph.samples[:, 2] < 0.0).reshape(SAMPLES // 8, 8).any(axis=1) for glyph in GLYPHS]
    return ~shade[0] & ~shade[1]


def test_mid_morph_each_bead_flies_whole_a_dot_not_a_dash(swarm, quick):
    quick.set("swarm.count", 65_536, immediate=True)  # 64 bots to a bead
    index = run(swarm, quick, 75)
    quick.set("swarm.next", True)
    worst = 0.0
    for n in range(45):  # through the flight and the reshaping into the next face
        swarm.simulate(frame_at(quick, index + n))
        worst = max(worst, spread(bots(swarm)[:, :2], line_beads()))
    assert worst < BEAD, f"mid-morph a bead's bots lie {worst:.2f} px from its middle: a dash"  # was 1.05


def test_a_scatter_throws_beads_whole_as_sparks(swarm, quick):
    quick.set("swarm.count", 65_536, immediate=True)
    index = run(swarm, quick, 75)
    formed = bots(swarm)[:, :2].copy()
    worst = 0.0
    for n in range(12):
        frame = dataclasses.replace(frame_at(quick, index + n), faults=Faults(dict(scatter=0.5), seed=index + n))
        swarm.simulate(frame)
        at = bots(swarm)[:, :2]
        thrown = np.linalg.norm(at - formed, axis=1).reshape(SAMPLES // 8, -1).mean(axis=1) > 0.1  # beads thrown out
        if thrown.any():
            worst = max(worst, spread(at, thrown))
    assert worst > 0.0, "the scatter threw nothing"
    assert worst < THROWN, f"a thrown bead's bots lie {worst:.1f} px from its middle: a spray"  # was 16.8
