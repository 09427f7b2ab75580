"""A formed face keeps living: it blinks now and then, its corners lift and bounce with joy and
the beat, and it leans toward tenderness as `swarm.expression` asks (the story's citizens show
both joy and vulnerability). The weights of the glyph's poses (glyphs/glyph.py POSES), a pure
function of the swarm's clock, so a render lives the same every time.
"""

from __future__ import annotations

import math
import zlib

BLINK_SECONDS = 0.15
FORMED_AFTER = (2.0, 3.0)  # seconds after setting off for a glyph over which it comes to life


def name_die(name: str, salt: int = 0) -> float:
    """A stable number in [0, 1) from a glyph's name: the same face keeps its rhythm and hue in every run."""
    return zlib.crc32(f"{salt}:{name}".encode()) / 2**32


def blink(time: float, name: str) -> float:
    """0..1..0 over BLINK_SECONDS, every 3 to 6 seconds in the face's own rhythm, with a
    double blink now and then."""
    period = 3.0 + 3.0 * name_die(name, 1)
    beat = (time + period * name_die(name, 2)) / period
    into = (beat % 1.0) * period
    again = into - 0.3 if math.floor(beat) % 3 == 2 else -1.0  # every third time, twice
    shut = [x for x in (into, again) if 0.0 <= x < BLINK_SECONDS]
    return math.sin(math.pi * shut[0] / BLINK_SECONDS) if shut else 0.0


def pose_weights(visit_time: float, time: float, name: str, joy: float, position: float, bpm: float,
                 expression: float) -> tuple[float, float, float]:
    """(blink, laugh, tender) of the face being formed: nothing while the bots are still flying
    in; then blinks, a laugh that rises with joy and bounces on each beat, and tenderness."""
    alive = min(max((visit_time - FORMED_AFTER[0]) / (FORMED_AFTER[1] - FORMED_AFTER[0]), 0.0), 1.0)
    bounce = math.exp(-5.0 * (position % 1.0)) if bpm > 0 else 0.0
    laugh = min(joy * (0.6 + 0.4 * bounce) + 0.25 * bounce * (1.0 - expression), 1.0)
    return alive * blink(time, name), alive * laugh * (1.0 - 0.5 * expression), alive * expression
