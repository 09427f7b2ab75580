import time

import numpy as np
import pytest
from PIL import Image

from neoterra_glow.core.params import Kind, Registry
from neoterra_glow.gpu.isf import IsfError, evaluate
from neoterra_glow.gpu.shaders import ShaderError
from neoterra_glow.murals.layers import LayerError, layer_spec
from neoterra_glow.murals.stack import Layer
from tests.conftest import SMALL, frame_at
from tests.murals.isf_cases import FEEDBACK, IMAGE, SOLID


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def layer_for(ctx, library, tmp_path, text, name="case.fs"):
    write(tmp_path, name, text)
    spec = layer_spec({"shader": name}, tmp_path)
    registry = Registry(spec.params())
    return Layer(ctx, library, spec), spec, registry


def read(texture, dtype=np.uint8):
    data = np.frombuffer(texture.read(), dtype if texture.dtype == "f1" else np.float16 if texture.dtype == "f2" else np.float32)
    return data.reshape(texture.height, texture.width, 4).astype(np.float32)


def test_isf_inputs_become_typed_parameters_under_the_layer(ctx, library, tmp_path):
    _, spec, registry = layer_for(ctx, library, tmp_path, SOLID)
    kinds = {p.path: p.kind for p in registry}
    assert kinds == {
        "murals.case.opacity": Kind.FLOAT, "murals.case.blend": Kind.ENUM, "murals.case.mask": Kind.ENUM,
        "murals.case.resolution": Kind.FLOAT, "murals.case.every": Kind.INT,
        "murals.case.color_a": Kind.COLOUR, "murals.case.level": Kind.FLOAT, "murals.case.use_level": Kind.BOOL,
        "murals.case.mode": Kind.ENUM, "murals.case.centre": Kind.VEC2, "murals.case.flash": Kind.TRIGGER,
    }
    assert registry["murals.case.mode"].choices == ("Red", "Green", "Blue")
    assert registry["murals.case.level"].range == (0.0, 1.0)
    assert registry.value("murals.case.color_a") == (1.0, 0.5, 0.0)


def test_an_isf_shader_from_another_host_renders_its_inputs(ctx, library, tmp_path, registry):
    layer, spec, own = layer_for(ctx, library, tmp_path, SOLID)
    own.set("murals.case.level", 0.5, immediate=True)
    pixels = read(layer.render(frame_at(own), SMALL, {}))
    assert pixels[0, 0] == pytest.approx([0.5, 0.25, 0.0, 1.0], abs=0.002)
    own.set("murals.case.flash", True)
    assert read(layer.render(frame_at(own, 1), SMALL, {}))[5, 5, :3] == pytest.approx([1.0, 1.0, 1.0])
    assert read(layer.render(frame_at(own, 2), SMALL, {}))[5, 5, 0] == pytest.approx(0.5, abs=0.002)  # an event lasts one frame
    layer.release()


def test_persistent_passes_keep_their_light_and_sizes_follow_their_expressions(ctx, library, tmp_path):
    layer, _, own = layer_for(ctx, library, tmp_path, FEEDBACK)
    for index in range(3):
        out = read(layer.render(frame_at(own, index), SMALL, {}))
    assert out[10, 10, 0] == pytest.approx(0.3, abs=0.01)  # three frames of 0.1 added up
    assert out[10, 10, 1:3] == pytest.approx([0.25, 0.25], abs=0.01)  # the memory pass is a quarter size
    layer.release()


def test_image_inputs_and_imported_images(ctx, library, tmp_path):
    stripes = np.zeros((8, 8, 4), np.uint8)
    stripes[..., 1] = 200
    stripes[..., 3] = 255
    Image.fromarray(stripes).save(tmp_path / "stripes.png")
    layer, _, own = layer_for(ctx, library, tmp_path, IMAGE)
    source = ctx.texture(SMALL, 4, np.full((SMALL[1], SMALL[0], 4), 77, np.uint8).tobytes())
    pixels = read(layer.render(frame_at(own), SMALL, {"below": source, "glyphs": source, "none": source}))
    assert pixels[3, 3, :2] == pytest.approx([77 / 255, 200 / 255], abs=0.002)
    source.release()
    layer.release()


@pytest.mark.parametrize(
    "header, message",
    [
        ('{"PERSISTENT_BUFFERS": ["a"]}', "PERSISTENT_BUFFERS is ISF v1"),
        ('{"INPUTS": [{"NAME": "x", "TYPE": "float"},]}', r"odd.fs:1: the ISF header is not valid JSON"),
        ('{"INPUTS": [{"NAME": "x", "TYPE": "sound"}]}', "unknown type 'sound'"),
        ('{"IMPORTED": {"pic": {"PATH": "missing.png"}}}', "IMPORTED 'pic': no such image"),
        ('{"INPUTS": 5}', "INPUTS must be a list, got 5"),
        ('{"PASSES": "all"}', "PASSES must be a list"),
        ('{"IMPORTED": 3}', "IMPORTED must be a JSON object"),
    ],
)
def test_what_is_not_supported_is_refused_with_a_clear_message(tmp_path, header, message):
    write(tmp_path, "odd.fs", f"/*{header}*/\nvoid main() {{ gl_FragColor = vec4(1.0); }}\n")
    with pytest.raises(LayerError, match=message):
        layer_spec({"shader": "odd.fs"}, tmp_path)


def test_a_file_without_an_isf_header_or_a_missing_shader_is_named(tmp_path):
    write(tmp_path, "plain.fs", "void main() {}\n")
    with pytest.raises(LayerError, match="plain.fs: no ISF header"):
        layer_spec({"shader": "plain.fs"}, tmp_path)
    with pytest.raises(LayerError, match="no mural shader 'nebula'.*aurora, cells"):
        layer_spec({"shader": "nebula"}, tmp_path)


def test_glsl_errors_in_an_isf_body_name_the_file_and_its_line(ctx, library, tmp_path):
    write(tmp_path, "broken.fs", '/*{\n "ISFVSN": "2"\n}*/\nvoid main() {\n    gl_FragColor = vec4(oops);\n}\n')
    spec = layer_spec({"shader": "broken.fs"}, tmp_path)
    with pytest.raises(ShaderError, match=rf"{tmp_path}/broken.fs:5: .*oops"):
        Layer(ctx, library, spec)


def test_size_expressions_are_arithmetic_only():
    assert evaluate("floor($WIDTH / 3.0) + max(2, $HEIGHT)", {"WIDTH": 100, "HEIGHT": 7}) == 40.0
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})


def test_a_size_expression_that_explodes_is_refused_at_once(tmp_path):
    write(tmp_path, "huge.fs", '/*{"PASSES": [{"TARGET": "a", "WIDTH": "9**9**9"}, {}]}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n')
    header = layer_spec({"shader": "huge.fs"}, tmp_path).header
    with pytest.raises(IsfError, match=r"PASSES\[0\]\.WIDTH '9\*\*9\*\*9'"):
        header.sizes(SMALL, {})


def test_isf_files_as_artists_have_them(ctx, library, tmp_path):
    """A name with spaces, an input named like the layer's own blend, a companion vertex shader
    with its own varyings, and the _name_imgSize built-in: as in Vidvox's ISF-Files."""
    write(tmp_path, "Soft Edge.fs", """/*{"ISFVSN": "2", "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"}, {"NAME": "blend", "TYPE": "float", "DEFAULT": 0.25}]}*/
varying vec2 left_coord;
void main() {
    vec2 size = _inputImage_imgSize;
    gl_FragColor = vec4(vec3(blend) + 0.0 * IMG_NORM_PIXEL(inputImage, left_coord).rgb, size.x > 0.0 ? 1.0 : 0.0);
}
""")
    write(tmp_path, "Soft Edge.vs", """varying vec2 left_coord;
void main() {
    isf_vertShaderInit();
    left_coord = isf_FragNormCoord - vec2(1.0 / RENDERSIZE.x, 0.0);
}
""")
    spec = layer_spec({"shader": "Soft Edge.fs"}, tmp_path)
    assert spec.name == "soft_edge" and spec.vertex.endswith("Soft Edge.vs")
    registry = Registry(spec.params())
    assert registry.value("murals.soft_edge.input_blend") == 0.25 and registry.value("murals.soft_edge.blend") == "normal"
    registry.set("murals.soft_edge.input_blend", 0.5, immediate=True)
    layer, below = Layer(ctx, library, spec), ctx.texture((4, 4), 4, bytes(64))
    try:
        out = read(layer.render(frame_at(registry), SMALL, {"below": below}))
    finally:
        layer.release()
        below.release()
    assert out[..., 0].mean() == pytest.approx(0.5, abs=0.01) and out[..., 3].min() == 1.0


DATED = '/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = vec4(DATE.w / 100.0, DATE.z / 31.0, DATE.y / 12.0, 1.0); }\n'


def test_an_isf_date_comes_from_the_frames_clock_so_a_render_repeats(ctx, library, tmp_path):
    layer, _, registry = layer_for(ctx, library, tmp_path, DATED)
    try:
        first = read(layer.render(frame_at(registry, 30), SMALL, {}))
        time.sleep(1.1)  # the wall clock moves on; a render's date does not
        again = read(layer.render(frame_at(registry, 30), SMALL, {}))
    finally:
        layer.release()
    assert np.array_equal(first, again)
    # a fixed clock's time 0 is 1 January 2000 at midnight: frame 30 at 30 fps is one second past
    assert first[0, 0, :3] == pytest.approx([0.01, 1 / 31, 1 / 12], abs=2e-3)


COUNTED = """/*{"ISFVSN": "2", "INPUTS": [{"NAME": "steps", "TYPE": "float", "DEFAULT": 10.0, "MIN": 0.0, "MAX": 1e9}]}*/
void main() {
    float n = 0.0;
    for (float i = 0.0; i < steps; i += 1.0) { n += 1.0; }  // steps, however many it asks
    gl_FragColor = vec4(n / 8192.0, 0.0, 0.0, 1.0);
}
"""

ENDLESS = """/*{"ISFVSN": "2", "DESCRIPTION": "a loop that never ends"}*/
void main() {
    float x = TIME;
    while (x >= 0.0) { x = fract(x * 1.37 + 0.1); }  // fract is never negative: no compiler can end it
    gl_FragColor = vec4(x, 0.0, 0.0, 1.0);
}
"""


def test_an_isf_loop_ends_at_the_cap_however_many_steps_it_asks_for(ctx, library, tmp_path):
    layer, _, registry = layer_for(ctx, library, tmp_path, COUNTED)
    try:
        assert read(layer.render(frame_at(registry), (4, 4), {}))[0, 0, 0] == pytest.approx(10 / 8192)  # a few steps: all taken
        registry.set("murals.case.steps", 1e9, immediate=True)
        assert read(layer.render(frame_at(registry, 1), (4, 4), {}))[0, 0, 0] == pytest.approx(4096 / 8192)  # LOOP_CAP steps
    finally:
        layer.release()


def test_a_loop_counting_to_a_number_is_left_to_the_compiler_and_any_other_is_guarded(library, tmp_path):
    for mural in ("cells", "aurora", "field", "ribbons"):  # their loops, and noise.glsl's, count to a number: unrolled as before
        assert "isf_loop() &&" not in library.program("common/fullscreen.vert", f"murals/{mural}.fs").sources[f"murals/{mural}.fs"].text
    counted = str(write(tmp_path, "counted.fs", COUNTED))
    guarded = library.program("common/fullscreen.vert", counted).sources[counted].text
    assert "for (float i = 0.0; isf_loop() && ( i < steps); i += 1.0)" in guarded  # a bound from a uniform


DISGUISED = """/*{"ISFVSN": "2"}*/
void main() {
    float n = 0.0;
    for (int i = 0; i < 3; i++) { n += 1.0; if (n > 0.0) i = 0; }  // counts to 3, but never gets there
    gl_FragColor = vec4(n, 0.0, 0.0, 1.0);
}
"""


def test_a_counting_loop_whose_body_resets_its_counter_is_guarded_and_left_out(ctx, library, tmp_path):
    write(tmp_path, "disguised.fs", DISGUISED)
    spec = layer_spec({"shader": "disguised.fs"}, tmp_path)
    with pytest.raises(LayerError, match="disguised.fs: a loop in it ran past 4,096 steps in one pixel .*the layer disguised is left out"):
        Layer(ctx, library, spec)


def test_an_endless_loop_isf_is_left_out_with_a_message_and_the_show_keeps_its_frame_rate(ctx, tmp_path, caplog):
    from neoterra_glow.live.show import Listening, LiveShow
    from neoterra_glow.piece import load_piece
    from tests.live.test_live import PRESET

    (tmp_path / "live.toml").write_text(PRESET)
    (tmp_path / "endless.fs").write_text(ENDLESS)
    live = LiveShow(ctx, load_piece(tmp_path / "live.toml"), (160, 90), 4, Listening(port=0, query_port=None))
    try:
        live.step()

        def frame_seconds() -> float:
            started = time.perf_counter()
            for _ in range(3):
                live.step()
            return (time.perf_counter() - started) / 3

        before = frame_seconds()
        live.inject("/murals/add", "endless.fs")
        live.step()
        after = frame_seconds()
        assert "endless" not in live.pipeline["murals"].names()
    finally:
        live.close()
    assert after < before * 2 + 0.05, f"{after:.3f} s a frame with the layer asked for, {before:.3f} s before"
    said = [r.getMessage() for r in caplog.records if "refused layer" in r.getMessage()]
    assert len(said) == 1 and "endless.fs: a loop in it ran past 4,096 steps in one pixel" in said[0] and "left out" in said[0]
