"""Every glyph of a show on the GPU: the target points of all of them in one storage buffer,
which the swarm's retarget and step passes read, how each target moves in every pose, and
each glyph's crack (kintsugi: glyphs/crack.py), which healed scarred bots fill. (The light comes from the bots alone, so
the glyphs' distance fields stay on the CPU, for contact sheets and masks.)"""

from __future__ import annotations

import moderngl
import numpy as np

from neoterra_glow.glyphs.crack import CRACK_POINTS, crack_points
from neoterra_glow.glyphs.glyph import SAMPLES, Glyph

SAMPLES_BINDING = 2
POSES_BINDING = 5  # vec2 poses[]: target k of pose p at (k * len(POSES) + p)
CRACK_BINDING = 7  # vec4 crack[]: glyph i's crack from i * CRACK_POINTS


class GlyphAtlas:
    """Glyph i's targets start at i * SAMPLES, its crack's points at i * CRACK_POINTS."""

    def __init__(self, ctx: moderngl.Context, glyphs: list[Glyph]) -> None:
        if not glyphs:
            raise ValueError("a glyph atlas needs at least one glyph")
        self.glyphs = list(glyphs)
        self.samples = ctx.buffer(np.concatenate([glyph.samples for glyph in glyphs]).tobytes())
        self.poses = ctx.buffer(np.concatenate([glyph.poses for glyph in glyphs]).astype(np.float32).tobytes())
        self.cracks = ctx.buffer(np.concatenate([crack_points(glyph, index) for index, glyph in enumerate(glyphs)]).tobytes())

    def __len__(self) -> int:
        return len(self.glyphs)

    @staticmethod
    def sample_base(index: int) -> int:
        return index * SAMPLES

    @staticmethod
    def crack_base(index: int) -> int:
        return index * CRACK_POINTS

    def release(self) -> None:
        self.samples.release()
        self.poses.release()
        self.cracks.release()
