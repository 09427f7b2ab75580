import time

import numpy as np
import pytest
from PIL import Image, ImageDraw

from neoterra_glow.core.presets import PresetError, read_preset
from neoterra_glow.glyphs.glyph import SDF_SIZE
from neoterra_glow.glyphs.sources import GlyphSourceError, load_glyph, load_glyphs
from neoterra_glow.glyphs.strokes import REACH
from neoterra_glow.pipeline import declare_params
from tests.conftest import claimed_png

RING_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="40" fill="none" stroke="white" stroke-width="8"/>
</svg>"""


def ring_mask(size: int) -> np.ndarray:
    """Where a ring of radius 0.9 and half-width 0.09 lies on the glyph's SDF grid."""
    from neoterra_glow.glyphs.glyph import cell_grid

    radius = np.linalg.norm(cell_grid(size), axis=-1)
    return np.abs(radius - 0.9) < 0.09


def iou(a, b):
    return (a & b).sum() / (a | b).sum()


def test_an_svg_path_becomes_a_glyph_along_its_strokes(tmp_path):
    (tmp_path / "ring.svg").write_text(RING_SVG)
    glyph = load_glyph("ring.svg", tmp_path)
    assert glyph.name == "ring"
    # the circle's path is fitted to -0.9..0.9; its 8-unit stroke becomes a half-width of 0.09
    assert iou(glyph.mask(), ring_mask(SDF_SIZE)) > 0.7
    assert glyph.sdf[SDF_SIZE // 2, SDF_SIZE // 2] == pytest.approx(REACH)  # the middle is empty: as far as the field measures
    radius = np.linalg.norm(glyph.samples[:, :2], axis=1)
    assert np.abs(radius - 0.9).max() < 0.1


@pytest.mark.parametrize("style", ["light ink", "dark ink on paper", "alpha"])
def test_a_png_mask_becomes_a_glyph_however_it_is_inked(tmp_path, style):
    paper, ink = ((0, 0, 0, 255), (255, 255, 255, 255))
    if style == "dark ink on paper":
        paper, ink = ink, paper
    if style == "alpha":
        paper, ink = (255, 255, 255, 0), (90, 20, 200, 255)
    image = Image.new("RGBA", (300, 300), paper)
    ImageDraw.Draw(image).ellipse((30, 30, 270, 270), outline=ink, width=24)
    image.save(tmp_path / "ring.png")
    glyph = load_glyph("ring.png", tmp_path)
    outer = np.linalg.norm(glyph.samples[:, :2], axis=1)
    assert 0.75 < outer.min() and outer.max() < 1.02  # targets on the ring, none in its middle
    assert glyph.mask()[SDF_SIZE // 2, SDF_SIZE // 2] == False  # noqa: E712 - numpy bool


def test_broken_glyph_files_are_named_in_the_error(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"not a png")
    (tmp_path / "empty.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(GlyphSourceError, match="broken.png: not a readable image"):
        load_glyph("broken.png", tmp_path)
    with pytest.raises(GlyphSourceError, match="empty.svg: no paths or shapes"):
        load_glyph("empty.svg", tmp_path)
    with pytest.raises(GlyphSourceError, match="glyph 'missing.svg': .*no such glyph file"):
        load_glyphs(("Elara", "missing.svg"), tmp_path)


def test_a_preset_names_its_glyphs_and_a_bad_list_is_refused(tmp_path):
    good = tmp_path / "wall.toml"
    good.write_text('glyphs = ["Elara", "Kai"]\n')
    assert read_preset(good).check(declare_params()).glyphs == ("Elara", "Kai")
    bad = tmp_path / "bad.toml"
    bad.write_text('glyphs = ["Elara", 3]\n')
    with pytest.raises(PresetError, match="bad.toml: key 'glyphs'"):
        read_preset(bad).check(declare_params())


def test_a_png_glyph_that_claims_to_be_huge_is_refused_before_decoding(tmp_path):
    claimed_png(tmp_path / "huge.png", 12_000, 12_000)
    with pytest.raises(GlyphSourceError, match=r"huge.png: 12000x12000 is larger than the 8192x8192"):
        load_glyphs(["huge.png"], tmp_path)


def test_an_svg_of_thousands_of_simple_paths_is_drawn_from_few_points(tmp_path):
    rng = np.random.default_rng(3)
    lines = "".join(f'<path d="M {a:.1f} {b:.1f} L {c:.1f} {d:.1f}" stroke="black" stroke-width="0.5"/>'
                    for a, b, c, d in rng.uniform(0, 100, (2000, 4)))
    (tmp_path / "crowd.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{lines}</svg>')
    from svgelements import SVG, Shape
    from svgelements import Path as SvgPath

    from neoterra_glow.glyphs.sources import _polyline

    first = next(e for e in SVG.parse(str(tmp_path / "crowd.svg")).elements() if isinstance(e, Shape))
    assert len(_polyline(SvgPath(first), 100.0)) == 2  # a straight line is its two ends, not 96 points
    glyph = load_glyph("crowd.svg", tmp_path)
    assert glyph.mask().mean() > 0.2  # the crowd of lines inks a good part of the cell


def curves_svg(path, count: int, one_path: bool, rng) -> None:
    """`count` cubic curves across the drawing: in one path's d, or a path each."""
    curves = ["M {:.1f} {:.1f} C {:.1f} {:.1f} {:.1f} {:.1f} {:.1f} {:.1f}".format(*row) for row in rng.uniform(0, 100, (count, 8))]
    body = f'<path d="{" ".join(curves)}" stroke="black" fill="none"/>' if one_path else "".join(f'<path d="{c}"/>' for c in curves)
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{body}</svg>')


@pytest.mark.parametrize("one_path", [True, False], ids=["in one path", "a path each"])
def test_an_svg_of_20000_curves_is_refused_in_well_under_a_second(tmp_path, one_path):
    curves_svg(tmp_path / "bomb.svg", 20_000, one_path, np.random.default_rng(5))
    started = time.perf_counter()
    with pytest.raises(GlyphSourceError, match=r"bomb.svg: 1[26]0,0\d\d numbers in it, past the 40,000 a glyph's drawing may have"):
        load_glyphs(("bomb.svg",), tmp_path)
    assert time.perf_counter() - started < 0.5


def test_an_svg_of_more_curves_than_a_glyph_is_drawn_from_is_refused_before_any_is_measured(tmp_path):
    rng = np.random.default_rng(6)
    curves = " ".join(f"M {a:.0f} {b:.0f} Q {c:.0f} {d:.0f} {e:.0f} {f:.0f}" for a, b, c, d, e, f in rng.uniform(0, 100, (1200, 6)))
    (tmp_path / "many.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path d="{curves}"/></svg>')
    started = time.perf_counter()
    with pytest.raises(GlyphSourceError, match="many.svg: 1,200 curves; a glyph is drawn from 1,000 at most"):
        load_glyph("many.svg", tmp_path)
    assert time.perf_counter() - started < 1.0
