"""Every glyph of a show on the GPU: the target points of all of them in one storage buffer,
which the swarm's retarget and step passes read, how each target moves in every pose, and
each glyph's crack (kintsugi: glyphs/crack.py), which healed scarred bots fill. (The light comes from the bots alone, so
the glyphs' distance fields stay on the CPU, for contact sheets and masks.)"""

from __future__ import annotations

import hashlib

import moderngl
import numpy as np

from neoterra_glow.glyphs.crack import CRACK_POINTS, crack_points
from neoterra_glow.glyphs.glyph import SAMPLES, Glyph

SAMPLES_BINDING = 2
POSES_BINDING = 5  # vec2 poses[]: target k of pose p at (k * len(POSES) + p)
CRACK_BINDING = 7  # vec4 crack[]: glyph i's crack from i * CRACK_POINTS
KEPT_CRACKS = 256  # cracks found once and kept (4 KB each): a wall's atlas is made again as each face joins
_cracks: dict[tuple[str, int, bytes], np.ndarray] = {}


class GlyphAtlas:
    """Glyph i's targets start at i * SAMPLES, its crack's points at i * CRACK_POINTS."""

    def __init__(self, ctx: moderngl.Context, glyphs: list[Glyph]) -> None:
        if not glyphs:
            raise ValueError("a glyph atlas needs at least one glyph")
        self.glyphs = list(glyphs)
        self.samples = ctx.buffer(np.concatenate([glyph.samples for glyph in glyphs]).tobytes())
        self.poses = ctx.buffer(np.concatenate([glyph.poses for glyph in glyphs]).astype(np.float32).tobytes())
        cracks = [_crack(glyph, index) for index, glyph in enumerate(glyphs)]
        self.cracks = ctx.buffer(np.concatenate(cracks).tobytes())
        self.crack_lengths = [float(np.linalg.norm(crack[:, 2:], axis=1).sum()) for crack in cracks]  # glyph units, every piece

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


def _crack(glyph: Glyph, index: int) -> np.ndarray:
    """crack_points(glyph, index), found once for a glyph's name, drawing and place: each is about 0.1 s of Python,
    and the atlas is made again whenever the show's faces change (a wall's as each face joins), which found every
    face's crack again each time."""
    assert glyph.poses is not None  # filled when the glyph is made
    drawing = hashlib.blake2b(glyph.samples.tobytes(), digest_size=16)
    drawing.update(glyph.poses.tobytes())
    key = (glyph.name, index, drawing.digest())
    if key not in _cracks:
        if len(_cracks) >= KEPT_CRACKS:
            del _cracks[next(iter(_cracks))]  # the oldest found
        _cracks[key] = crack_points(glyph, index)
    return _cracks[key]

