"""Murals at the resolution they need: a layer drawn smaller and sampled up, a slow layer drawn
every few frames, and the bottom layer laid onto black inside the next layer's pass."""

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import LayerError, layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from tests.conftest import SMALL, frame_at, pixels
from tests.murals.isf_cases import SOLID
from tests.murals.test_stack import PASS_THROUGH, bare_registry, linear

SMOOTH = """/*{"ISFVSN": "2", "INPUTS": []}*/
void main() {
    vec2 uv = isf_FragNormCoord;
    gl_FragColor = vec4(0.5 + 0.4 * sin(6.2832 * uv.x + TIME), 0.5 + 0.4 * cos(6.2832 * uv.y), uv.x * uv.y, 1.0);
}
"""


@pytest.fixture
def shaders(tmp_path):
    for name, text in (("smooth.fs", SMOOTH), ("solid.fs", SOLID), ("through.fs", PASS_THROUGH)):
        (tmp_path / name).write_text(text)
    return tmp_path


def stack_of(ctx, library, shaders, *tables):
    names = tuple(table["name"] for table in tables)
    specs = [layer_spec(table, shaders, names) for table in tables]
    return MuralStack(Build(ctx, library, SMALL, layers=specs)), bare_registry(specs)


def composed(murals, registry, target, index=3):
    murals.compose(frame_at(registry, index), target, murals._black)
    return pixels(target, 3)


def test_a_smooth_layer_drawn_at_half_resolution_matches_full_resolution_within_a_level(ctx, library, shaders):
    murals, registry = stack_of(ctx, library, shaders, {"shader": "smooth.fs", "name": "smooth"})
    target = Target(ctx, SMALL)
    try:
        full = composed(murals, registry, target)
        registry.set("murals.smooth.resolution", 0.5)
        half = composed(murals, registry, target)
        assert murals.layers[0].output.size == (SMALL[0] // 2, SMALL[1] // 2)  # a quarter of the pixels drawn
        encoded = [np.clip(image, 0, 1) ** (1 / 2.2) * 255 for image in (full, half)]  # as the eye sees the difference
        inner = (slice(2, -2), slice(2, -2))  # the frame's edge samples half a texel of clamp
        assert np.abs(encoded[0] - encoded[1])[inner].max() <= 1.5
        assert np.abs(encoded[0] - encoded[1]).mean() < 0.3
    finally:
        target.release()
        murals.release()


def test_the_governor_takes_its_share_of_every_layers_resolution(ctx, library, shaders):
    murals, registry = stack_of(ctx, library, shaders, {"shader": "smooth.fs", "name": "smooth", "resolution": 0.5})
    target = Target(ctx, SMALL)
    try:
        registry.set("murals.governed", 0.5, immediate=True)
        composed(murals, registry, target)
        assert murals.layers[0].output.size == (SMALL[0] // 4, SMALL[1] // 4)
        assert composed(murals, registry, target)[40, 100] == pytest.approx(pixels(target, 3)[40, 100])  # still a picture
        assert pixels(target, 3).max() > 0.1
    finally:
        target.release()
        murals.release()


def test_a_slow_layer_keeps_its_picture_between_the_frames_it_is_drawn(ctx, library, shaders):
    murals, registry = stack_of(ctx, library, shaders, {"shader": "smooth.fs", "name": "smooth", "every": 3})
    target = Target(ctx, SMALL)
    try:
        frames = [composed(murals, registry, target, index) for index in range(5)]  # TIME moves every frame
        assert np.array_equal(frames[0], frames[1]) and np.array_equal(frames[0], frames[2])
        assert np.abs(frames[3] - frames[0]).max() > 0.01  # drawn again at the third frame after
        assert np.array_equal(frames[3], frames[4])
    finally:
        target.release()
        murals.release()


@pytest.mark.parametrize("blend", ["screen", "multiply"])
def test_two_layers_take_one_compose_pass_and_a_filter_above_the_bottom_takes_two(ctx, library, shaders, blend):
    counted = []
    for top in ("solid.fs", "through.fs"):
        murals, registry = stack_of(ctx, library, shaders, {"shader": "solid.fs", "name": "bottom", "blend": blend, "opacity": 0.5},
                                    {"shader": top, "name": "top", "blend": "add", "opacity": 0.5})
        registry.set("murals.bottom.color_a", [0.2, 0.6, 0.9], immediate=True)
        if top == "solid.fs":
            registry.set("murals.top.color_a", [0.8, 0.4, 0.1], immediate=True)
        draw, draws = murals._compose.draw, []
        murals._compose.draw = lambda *args, draws=draws, draw=draw, **kwargs: (draws.append(1), draw(*args, **kwargs))
        target = Target(ctx, SMALL)
        try:
            image = composed(murals, registry, target)
        finally:
            target.release()
            murals.release()
        counted.append(len(draws))
        # onto black, screen gives the layer's light (here at half opacity), multiply black
        bottom = 0.5 * linear([0.2, 0.6, 0.9]) if blend == "screen" else np.zeros(3)
        above = linear([0.8, 0.4, 0.1]) if top == "solid.fs" else bottom  # the filter passes the stack below through
        assert image[20, 20] == pytest.approx(bottom + 0.5 * above, abs=3e-3)
    assert counted == [1, 2]


@pytest.mark.parametrize("key, value, expected", [("resolution", 0.1, "resolution: 0.1 is outside 0.25..1"),
                                                   ("every", 20, r"every: 20(\.0)? is outside 1..8")])
def test_a_preset_asking_for_a_resolution_or_rate_out_of_range_is_told_which(shaders, key, value, expected):
    with pytest.raises(LayerError, match=expected):
        layer_spec({"shader": "smooth.fs", key: value}, shaders)
    spec = layer_spec({"shader": "smooth.fs", "resolution": 0.5, "every": 2}, shaders)
    assert {p.path: p.default for p in spec.params()}["murals.smooth.resolution"] == 0.5
    assert spec.table()["resolution"] == 0.5 and spec.table()["every"] == 2  # what a checkpoint builds again


def test_a_run_restored_between_a_slow_layers_drawings_shows_what_the_straight_run_shows(ctx, tmp_path):
    (tmp_path / "slow.toml").write_text('title = "slow"\n\n[[layers]]\nshader = "field"\nresolution = 0.5\nevery = 3\n')

    def murals(run, count):
        out = []
        for _ in range(count):
            run.step()
            out.append((run.pipeline.products["murals"].texture.read(), run.pipeline["murals"].layers[0].output.texture.read()))
        return out

    straight = Run(ctx, load_piece(tmp_path / "slow.toml"), (64, 36), 30, 3)
    whole = murals(straight, 7)
    straight.release()
    first = Run(ctx, load_piece(tmp_path / "slow.toml"), (64, 36), 30, 3)
    murals(first, 4)
    first.save(tmp_path / "at-4.ckpt")
    first.release()
    second = Run(ctx, load_piece(tmp_path / "slow.toml"), (64, 36), 30, 3)
    assert second.restore(tmp_path / "at-4.ckpt") == 4
    after = murals(second, 3)  # frames 4 and 5 keep frame 3's drawing, frame 6 draws again
    second.release()
    assert after == whole[4:]
    drawn = [layer for _, layer in whole]
    assert drawn[4] == drawn[5] == drawn[3] != drawn[6]  # the layer's own picture (the stack still hushes round the faces)
