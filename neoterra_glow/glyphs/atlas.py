"""Every glyph of a show on the GPU: the target points of all of them in one storage buffer,
which the swarm's retarget and step passes read, and how each target moves in every pose. (The light comes from the bots alone, so
the glyphs' distance fields stay on the CPU, for contact sheets and masks.)"""

from __future__ import annotations

import moderngl
import numpy as np

from neoterra_glow.glyphs.glyph import SAMPLES, Glyph

SAMPLES_BINDING = 2
POSES_BINDING = 5  # vec2 poses[]: target k of pose p at (k * len(POSES) + p)


class GlyphAtlas:
    """Glyph i's targets start at i * SAMPLES."""

    def __init__(self, ctx: moderngl.Context, glyphs: list[Glyph]) -> None:
        if not glyphs:
            raise ValueError("a glyph atlas needs at least one glyph")
        self.glyphs = list(glyphs)
        self.samples = ctx.buffer(np.concatenate([glyph.samples for glyph in glyphs]).tobytes())
        self.poses = ctx.buffer(np.concatenate([glyph.poses for glyph in glyphs]).astype(np.float32).tobytes())

    def __len__(self) -> int:
        return len(self.glyphs)

    @staticmethod
    def sample_base(index: int) -> int:
        return index * SAMPLES

    def release(self) -> None:
        self.samples.release()
        self.poses.release()
