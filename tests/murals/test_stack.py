import numpy as np
import pytest

from neoterra_glow.core.camera import Camera
from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.shaders import ShaderError
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import BLENDS, layer_spec
from neoterra_glow.murals.stack import MuralStack
from tests.conftest import SMALL, frame_at, pixels
from tests.murals.isf_cases import SOLID


def linear(c):
    c = np.asarray(c, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def bare_registry(specs) -> Registry:
    """The layers' parameters and the stack's, with no room kept for faces, no cap and no lift: the layers' own arithmetic."""
    registry = Registry([*(p for spec in specs for p in spec.params()), *MuralStack.params, *Camera.params])
    registry.set("murals.hush", 0.0, immediate=True)
    registry.set("murals.ceiling", 4.0, immediate=True)
    registry.set("murals.exposure", 0.0, immediate=True)
    return registry


@pytest.fixture
def solids(tmp_path):
    (tmp_path / "solid.fs").write_text(SOLID)
    return tmp_path


@pytest.fixture
def stack(ctx, library, solids):
    specs = [layer_spec({"shader": "solid.fs", "name": name}, solids, ("bottom", "top")) for name in ("bottom", "top")]
    registry = bare_registry(specs)
    registry.set("murals.bottom.color_a", [0.2, 0.6, 0.9], immediate=True)
    registry.set("murals.top.color_a", [0.8, 0.4, 0.1], immediate=True)
    murals = MuralStack(Build(ctx, library, SMALL, layers=specs))
    target = Target(ctx, SMALL)
    yield murals, registry, target
    target.release()
    murals.release()


def composed(stack, glyphs=None, index=0):
    murals, registry, target = stack
    murals.compose(frame_at(registry, index), target, glyphs or murals._black)
    return pixels(target, 3)


B, L = linear([0.2, 0.6, 0.9]), linear([0.8, 0.4, 0.1])
EXPECTED = {
    "normal": L,
    "add": B + L,
    "screen": B + L - B * L,
    "multiply": B * L,
    "overlay": np.where(B < 0.5, 2 * B * L, 1 - 2 * (1 - B) * (1 - L)),
    "difference": np.abs(B - L),
    "lighten": np.maximum(B, L),
    "darken": np.minimum(B, L),
}


@pytest.mark.parametrize("mode", BLENDS)
def test_each_blend_mode_lays_the_layer_on_the_stack_as_its_formula_says(stack, mode):
    _, registry, _ = stack
    registry.set("murals.top.blend", mode)
    assert composed(stack)[20, 20] == pytest.approx(EXPECTED[mode], abs=2e-3)
    registry.set("murals.top.opacity", 0.5, immediate=True)
    assert composed(stack)[20, 20] == pytest.approx((B + EXPECTED[mode]) / 2, abs=2e-3)  # halfway at half opacity


def test_a_layer_masked_by_the_glyphs_shows_only_on_their_light(ctx, stack):
    _, registry, _ = stack
    registry.set("murals.top.mask", "glyphs")
    light = np.zeros((SMALL[1], SMALL[0], 4), np.float16)
    light[:, : SMALL[0] // 2] = 1.0  # the glyphs' light covers the left half
    glyphs = ctx.texture(SMALL, 4, light.tobytes(), dtype="f2")
    image = composed(stack, glyphs)
    assert image[50, 10] == pytest.approx(L, abs=2e-3)
    assert image[50, SMALL[0] - 10] == pytest.approx(B, abs=2e-3)
    glyphs.release()


def test_a_layer_can_be_masked_by_another(stack):
    _, registry, _ = stack
    registry.set("murals.bottom.mask", "top")  # the top layer's (bright) output lets the bottom show
    registry.set("murals.top.opacity", 0.0, immediate=True)
    composed(stack)  # the first frame has no output of the top layer to mask with yet
    assert composed(stack, index=1)[20, 20] == pytest.approx(B * np.dot(L, [0.2126, 0.7152, 0.0722]), abs=3e-3)


def test_layers_are_added_reordered_and_removed_live_with_their_parameters(stack, solids):
    murals, registry, _ = stack
    extra = layer_spec({"shader": "solid.fs", "name": "extra"}, solids, tuple(murals.names()))
    murals.add(extra, registry, index=0)
    assert murals.names() == ["extra", "bottom", "top"] and "murals.extra.color_a" in registry
    murals.move("bottom", 2)
    assert murals.names() == ["extra", "top", "bottom"]
    assert composed(stack)[20, 20] == pytest.approx(B, abs=2e-3)  # normal blend: the top of the stack wins
    murals.remove("bottom", registry)
    assert murals.names() == ["extra", "top"]
    assert not any(p.path.startswith("murals.bottom.") for p in registry)
    assert composed(stack)[20, 20] == pytest.approx(L, abs=2e-3)
    with pytest.raises(ValueError, match="no layer named bottom; the layers are extra, top"):
        murals.remove("bottom", registry)


def test_a_broken_shader_added_live_changes_nothing(stack, tmp_path):
    murals, registry, _ = stack
    (tmp_path / "broken.fs").write_text('/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = oops; }\n')
    before = len(registry)
    with pytest.raises(ShaderError, match="broken.fs:2"):
        murals.add(layer_spec({"shader": "broken.fs"}, tmp_path), registry)
    assert murals.names() == ["bottom", "top"] and len(registry) == before
    assert composed(stack)[20, 20] == pytest.approx(L, abs=2e-3)


PASS_THROUGH = """/*{"ISFVSN": "2", "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/
void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage); }
"""


def test_a_plain_isf_filter_that_passes_its_input_through_changes_nothing(ctx, library, tmp_path):
    (tmp_path / "through.fs").write_text(PASS_THROUGH)
    field = layer_spec({"shader": "field"}, tmp_path)
    through = layer_spec({"shader": "through.fs"}, tmp_path, ("field", "through"))
    registry = bare_registry((field, through))
    registry.set("murals.field.brightness", 2.5, immediate=True)  # light past 1.0 too
    target = Target(ctx, SMALL)
    frame = frame_at(registry, 3)
    alone = MuralStack(Build(ctx, library, SMALL, layers=[field]))
    filtered = MuralStack(Build(ctx, library, SMALL, layers=[field, through]))
    try:
        alone.compose(frame, target, alone._black)
        before = pixels(target, 3)
        filtered.compose(frame, target, filtered._black)
        after = pixels(target, 3)
    finally:
        alone.release()
        filtered.release()
        target.release()
    assert before.max() > 1.0
    # within one 8-bit level of the displayed picture, and within half-float rounding in light
    assert np.abs(after - before).max() <= 0.01 * max(before.max(), 1.0)
    assert after.mean() == pytest.approx(before.mean(), rel=0.005)
