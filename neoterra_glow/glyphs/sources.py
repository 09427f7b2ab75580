"""Where glyphs come from: a name or story, an artist's SVG paths, or a PNG mask.

A source ending in .svg or .png is a file (relative to the preset that names it);
anything else is text and becomes a procedural smile.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from neoterra_glow.core.images import ImageError, open_image
from neoterra_glow.errors import UserError
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.smile import smile_glyph, text_seed
from neoterra_glow.glyphs.strokes import Stroke

DEFAULT_RADIUS = 0.06  # for SVG paths with no stroke width
MAX_PNG_SIDE = 8192  # a PNG glyph larger than this is refused before it is decoded
GLYPH_PIXELS = 1024  # and one larger than this is scaled down to it
# An SVG's cost is its curves (each measured, and drawn from up to 48 points) and its numbers
# (parsing): past these a file is refused at once, where 20,000 curves took 247 s to load.
MAX_SVG_BYTES = 4 << 20
MAX_SVG_NUMBERS = 40_000  # coordinates and sizes: a curve takes 6, a straight line 2 to 4
MAX_SVG_CURVES = 1_000
_NUMBER = re.compile(rb"\d+\.?\d*|\.\d+")


class GlyphSourceError(UserError):
    """A glyph file that cannot be used; the message names the file and why."""


def load_glyph(source: str, base: Path = Path(".")) -> Glyph:
    """The glyph for one source: text, or a .svg/.png file found relative to `base`."""
    suffix = Path(source).suffix.lower()
    if suffix not in (".svg", ".png"):
        return smile_glyph(source)
    path = Path(source) if Path(source).is_absolute() else base / source
    if not path.is_file():
        raise GlyphSourceError(f"{path}: no such glyph file")
    return svg_glyph(path) if suffix == ".svg" else png_glyph(path)


def load_glyphs(sources: tuple[str, ...], base: Path) -> list[Glyph]:
    """The glyphs a preset names, in order; the error names the source that failed."""
    glyphs = []
    for source in sources:
        try:
            glyphs.append(load_glyph(source, base))
        except ValueError as error:
            raise GlyphSourceError(f"glyph {source!r}: {error}") from None
    return glyphs


def png_glyph(path: Path) -> Glyph:
    """A glyph from a PNG mask: its alpha where it has any, else its light ink on dark
    (or dark ink on light paper, which is turned round)."""
    try:
        image = open_image(path, MAX_PNG_SIDE)
    except ImageError as error:
        raise GlyphSourceError(str(error)) from None
    image.thumbnail((GLYPH_PIXELS, GLYPH_PIXELS))  # finer than the SDF and the targets can use is waste
    rgba = np.asarray(image.convert("RGBA"), np.float32) / 255.0
    alpha = rgba[..., 3]
    if alpha.min() < 0.99:
        ink = alpha >= 0.5
    else:
        light = rgba[..., :3].mean(axis=2)
        ink = light >= 0.5 if light.mean() < 0.5 else light < 0.5
    try:
        return Glyph.from_mask(path.stem, ink, seed=text_seed(path.name))
    except ValueError as error:
        raise GlyphSourceError(f"{path}: {error}") from None


def _polyline(path, size: float) -> np.ndarray:
    """Points along an SVG path: a straight segment's two ends, a curve's points by its length
    (up to 48 for one as long as the drawing is wide), so thousands of simple paths stay cheap."""
    from svgelements import Close, Line, Move

    points = []
    for segment in path:
        if isinstance(segment, Move):
            continue
        if isinstance(segment, (Line, Close)):
            points += [segment.start, segment.end]
        else:
            count = int(np.clip(segment.length(error=1e-3) / size * 96, 2, 48))
            points += list(segment.npoint(np.linspace(0.0, 1.0, count)))
    return np.asarray([(float(x), float(y)) for x, y in points], np.float32)


def svg_glyph(path: Path) -> Glyph:
    """A glyph from the paths and shapes of an SVG file, drawn as strokes along them.

    Stroke widths come from the file; the drawing is scaled to fit -0.9..0.9 (room for the widths), y up.
    """
    from svgelements import SVG, Close, Line, Move, Shape
    from svgelements import Path as SvgPath

    _check_svg_cost(path)
    try:
        document = SVG.parse(str(path))
    except Exception as error:  # svgelements raises many kinds for a broken file
        raise GlyphSourceError(f"{path}: not a readable SVG: {error}") from None
    parts = [(SvgPath(part), float(getattr(element, "stroke_width", 0.0) or 0.0))
             for element in document.elements() if isinstance(element, Shape) for part in SvgPath(element).as_subpaths()]
    curves = sum(1 for part, _ in parts for segment in part if not isinstance(segment, (Move, Line, Close)))
    if curves > MAX_SVG_CURVES:  # before any is measured
        raise GlyphSourceError(f"{path}: {curves:,} curves; a glyph is drawn from {MAX_SVG_CURVES:,} at most: simplify the drawing")
    lines = [(part, width) for part, width in parts if part.length(error=1e-3) > 0]
    if not lines:
        raise GlyphSourceError(f"{path}: no paths or shapes to draw")
    size = max(float(np.ptp(np.asarray(document.bbox() or (0, 0, 1, 1)).reshape(2, 2), axis=0).max()), 1e-6)
    lines = [(_polyline(part, size), width) for part, width in lines]
    every = np.concatenate([points for points, _ in lines])
    low, high = every.min(axis=0), every.max(axis=0)
    scale = 1.8 / max(float((high - low).max()), 1e-6)
    centre = (low + high) / 2.0
    strokes = [
        Stroke((points - centre) * scale * (1.0, -1.0), np.asarray(width * scale / 2.0 if width > 0 else DEFAULT_RADIUS))
        for points, width in lines
    ]
    return Glyph.from_strokes(path.stem, strokes, seed=text_seed(path.name))


def _check_svg_cost(path: Path) -> None:
    """Refuse, before parsing, an SVG whose size or count of numbers is past what a glyph is drawn from."""
    try:
        if path.stat().st_size > MAX_SVG_BYTES:
            raise GlyphSourceError(f"{path}: larger than {MAX_SVG_BYTES >> 20} MB; a glyph's SVG is a drawing of a few hundred curves")
        numbers = sum(1 for _ in _NUMBER.finditer(path.read_bytes()))
    except OSError as error:
        raise GlyphSourceError(f"{path}: cannot read: {error}") from None
    if numbers > MAX_SVG_NUMBERS:
        raise GlyphSourceError(f"{path}: {numbers:,} numbers in it, past the {MAX_SVG_NUMBERS:,} a glyph's drawing may have "
                               f"(about {MAX_SVG_CURVES:,} curves): simplify the drawing")
