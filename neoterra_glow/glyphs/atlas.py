"""Every glyph of a show on the GPU: SDFs packed in one texture, targets in one storage buffer."""

from __future__ import annotations

import math

import moderngl
import numpy as np

from neoterra_glow.glyphs.glyph import SAMPLES, SDF_SIZE, Glyph

SAMPLES_BINDING = 2


class GlyphAtlas:
    """Glyph i's SDF sits in cell i of a square-ish grid; its targets start at i * SAMPLES."""

    def __init__(self, ctx: moderngl.Context, glyphs: list[Glyph]) -> None:
        if not glyphs:
            raise ValueError("a glyph atlas needs at least one glyph")
        self.glyphs = list(glyphs)
        self.columns = math.ceil(math.sqrt(len(glyphs)))
        rows = math.ceil(len(glyphs) / self.columns)
        sheet = np.full((rows * SDF_SIZE, self.columns * SDF_SIZE), 4.0, np.float32)
        for i, glyph in enumerate(glyphs):
            row, column = divmod(i, self.columns)
            sheet[row * SDF_SIZE : (row + 1) * SDF_SIZE, column * SDF_SIZE : (column + 1) * SDF_SIZE] = glyph.sdf
        self.sdf = ctx.texture((sheet.shape[1], sheet.shape[0]), 1, sheet.tobytes(), dtype="f4")
        self.sdf.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.sdf.repeat_x = self.sdf.repeat_y = False
        self.samples = ctx.buffer(np.concatenate([glyph.samples for glyph in glyphs]).tobytes())

    def __len__(self) -> int:
        return len(self.glyphs)

    def cells(self) -> np.ndarray:
        """(N, 4) texture rectangles, u, v, width, height, of each glyph's SDF cell."""
        index = np.arange(len(self.glyphs))
        rows = math.ceil(len(self.glyphs) / self.columns)
        return np.column_stack(
            [index % self.columns / self.columns, index // self.columns / rows,
             np.full(len(index), 1.0 / self.columns), np.full(len(index), 1.0 / rows)]
        ).astype(np.float32)

    @staticmethod
    def sample_base(index: int) -> int:
        return index * SAMPLES

    def release(self) -> None:
        self.sdf.release()
        self.samples.release()
