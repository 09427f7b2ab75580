"""Contact sheets: many glyphs side by side, glowing, each named, to see that they differ."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from neoterra_glow.glyphs.glyph import EXTENT, Glyph
from neoterra_glow.resources import text_font

INK = np.array([0.75, 1.0, 0.92], np.float32)
HALO = np.array([0.18, 0.95, 0.75], np.float32)
WATER = np.array([0.01, 0.035, 0.07], np.float32)


def glow_image(glyph: Glyph, size: int) -> np.ndarray:
    """The glyph as its bots light it: the density of its targets, each spread as far as a bot strays
    (so a part with too few bots shows dim here as in the swarm), over a soft halo from its SDF (RGB floats)."""
    index = ((np.arange(size) + 0.5) * glyph.sdf.shape[0] / size).astype(int)
    sdf = glyph.sdf[np.ix_(index, index)][::-1]  # top row first, as images are
    rng = np.random.default_rng(0)
    angle, reach = rng.random(len(glyph.samples)) * 2 * np.pi, np.sqrt(rng.random(len(glyph.samples)))
    stray = np.abs(glyph.samples[:, 2:3]) * reach[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    x, y = (glyph.samples[:, :2] + stray).T
    bots, _, _ = np.histogram2d(-y, x, bins=size, range=[[-EXTENT, EXTENT], [-EXTENT, EXTENT]])
    ink = sdf < 0.0
    core = np.clip(bots / max(bots[ink].mean() if ink.any() else 1.0, 1e-6), 0.0, 1.0)
    halo = np.exp(-np.maximum(sdf, 0.0) / 0.09) * 0.4
    light = WATER + core[..., None] * INK + halo[..., None] * HALO
    return np.clip(light, 0.0, 1.0)


def contact_sheet(glyphs: list[Glyph], path: Path, cell: int = 256, columns: int | None = None) -> Path:
    """Write a PNG with each glyph in a cell and its name beneath."""
    if not glyphs:
        raise ValueError("a contact sheet needs at least one glyph")
    columns = columns or min(len(glyphs), max(1, math.ceil(math.sqrt(len(glyphs) * 1.5))))
    rows = math.ceil(len(glyphs) / columns)
    label = max(cell // 9, 12)
    sheet = Image.new("RGB", (columns * cell, rows * (cell + label)), tuple(int(c * 255) for c in WATER))
    draw = ImageDraw.Draw(sheet)
    font = text_font(label * 0.7)
    for n, glyph in enumerate(glyphs):
        x, y = (n % columns) * cell, (n // columns) * (cell + label)
        pixels = (glow_image(glyph, cell) * 255 + 0.5).astype(np.uint8)
        sheet.paste(Image.fromarray(pixels, "RGB"), (x, y))
        fits = max(cell // 11, 4)
        name = glyph.name if len(glyph.name) <= fits else glyph.name[: fits - 1] + "…"
        draw.text((x + cell / 2, y + cell + label / 2), name, fill=(150, 235, 210), font=font, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return path
