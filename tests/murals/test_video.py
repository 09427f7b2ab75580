import logging
import time

import av
import numpy as np
import pytest

from neoterra_glow.core.camera import Camera
from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import LayerError, VideoSpec, build_spec, layer_specs
from neoterra_glow.murals.stack import MuralStack
from tests.conftest import frame_at, pixels
from tests.murals.isf_cases import SOLID

SIZE = (64, 36)
COLOURS = [(230, 30, 30), (30, 220, 40), (40, 40, 230), (240, 240, 240), (230, 220, 30)]  # a picture's colour per clip frame
INVERT = """/*{
    "ISFVSN": "2",
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]
}*/
void main() {
    vec4 c = IMG_THIS_PIXEL(inputImage);
    gl_FragColor = vec4(1.0 - c.rgb, c.a);
}
"""


def linear(c):
    c = np.asarray(c, np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def encode_clip(path, colours=COLOURS, fps=30):
    """A clip whose frame N is one solid colour, encoded by PyAV as any file a VJ brings."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.options = {"qscale": "1"}
        for colour in colours:
            image = np.empty((SIZE[1], SIZE[0], 3), np.uint8)
            image[:] = colour
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture
def clip(tmp_path):
    return encode_clip(tmp_path / "clip.mp4")


def bare_registry(specs) -> Registry:
    """The layers' parameters and the stack's, with no room kept for faces, no cap and no lift: the picture as it is."""
    registry = Registry([*(p for spec in specs for p in spec.params()), *MuralStack.params, *Camera.params])
    registry.set("murals.hush", 0.0, immediate=True)
    registry.set("murals.ceiling", 4.0, immediate=True)
    registry.set("murals.exposure", 0.0, immediate=True)
    registry.set("murals.depth", 0.0, immediate=True)
    return registry


def played(ctx, library, specs, frames, fps=30, setup=None):
    """The centre pixel of the composed stack at each of a render's frames, in linear light."""
    registry = bare_registry(specs)
    for path, value in (setup or {}).items():
        registry.set(path, value, immediate=True)
    murals = MuralStack(Build(ctx, library, SIZE, layers=specs))
    target = Target(ctx, SIZE)
    try:
        seen = []
        for index in range(frames):
            murals.compose(frame_at(registry, index, fps=fps, size=SIZE), target, murals._black)
            seen.append(pixels(target, 3)[SIZE[1] // 2, SIZE[0] // 2])
        return np.array(seen)
    finally:
        target.release()
        murals.release()


def test_a_video_layer_shows_at_render_frame_n_the_clips_picture_at_n_over_fps_and_loops(ctx, library, clip):
    specs = layer_specs([{"video": clip.name}], clip.parent)
    assert isinstance(specs[0], VideoSpec) and specs[0].name == "clip"
    seen = played(ctx, library, specs, 7)
    expected = linear([COLOURS[n % len(COLOURS)] for n in range(7)])  # frames 5 and 6: the loop's start again
    assert seen == pytest.approx(expected, abs=0.03)
    assert played(ctx, library, specs, 7).tolist() == seen.tolist()  # the same pixels on every run


def test_a_render_at_twice_the_clips_rate_holds_each_picture_two_frames(ctx, library, clip):
    specs = layer_specs([{"video": str(clip)}], clip.parent)
    seen = played(ctx, library, specs, 8, fps=60)
    assert seen == pytest.approx(linear([COLOURS[n // 2] for n in range(8)]), abs=0.03)


def test_speed_and_in_and_out_points_are_parameters_of_the_one_registry(ctx, library, clip):
    specs = layer_specs([{"video": str(clip), "name": "loop", "start": 1 / 30, "end": 0.11}], clip.parent)
    params = {p.path: p.default for p in specs[0].params()}
    assert params["murals.loop.start"] == pytest.approx(1 / 30) and params["murals.loop.end"] == 0.11
    seen = played(ctx, library, specs, 6, setup={"murals.loop.speed": 0.5})  # half speed, looping over pictures 1 to 3
    assert seen == pytest.approx(linear([COLOURS[n] for n in (1, 1, 2, 2, 3, 1)]), abs=0.03)


def test_an_isf_filter_with_an_image_input_inverts_the_video(ctx, library, clip, tmp_path):
    (tmp_path / "invert.fs").write_text(INVERT)
    specs = layer_specs([{"video": "clip.mp4", "opacity": 0.0}, {"shader": "invert.fs"}], tmp_path)
    image = next(p for p in specs[1].params() if p.path == "murals.invert.input_image")
    assert "clip" in image.choices
    seen = played(ctx, library, specs, 3, setup={"murals.invert.input_image": "clip"})
    assert seen == pytest.approx(linear([[255 - c for c in COLOURS[n]] for n in range(3)]), abs=0.03)


def test_a_missing_or_broken_video_is_one_line_and_the_stack_goes_on(ctx, library, tmp_path, caplog):
    (tmp_path / "solid.fs").write_text(SOLID)
    (tmp_path / "notes.mp4").write_text("not a video at all")
    specs = layer_specs([{"shader": "solid.fs"}, {"video": "gone.mp4"}, {"video": "notes.mp4"}], tmp_path)
    with caplog.at_level(logging.WARNING):
        seen = played(ctx, library, specs, 3, setup={"murals.solid.color_a": [0.2, 0.6, 0.9]})
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 2, lines
    assert lines[0].startswith("layer gone: ") and lines[0].endswith("gone.mp4: no such video file: it is left out")
    assert "notes.mp4: cannot open it as a video (Invalid data found when processing input)" in lines[1]
    assert seen == pytest.approx(linear([[51, 153, 229.5]] * 3), abs=0.01)  # the solid layer under them, every frame


def test_a_video_layer_table_is_checked_where_it_enters(tmp_path):
    with pytest.raises(LayerError, match="unknown key 'sped'"):
        layer_specs([{"video": "a.mp4", "sped": 2}], tmp_path)
    with pytest.raises(LayerError, match="one of video"):
        layer_specs([{"video": "a.mp4", "camera": "/dev/video0"}], tmp_path)
    with pytest.raises(LayerError, match="v4l2 device"):
        layer_specs([{"camera": "http://example.com/x"}], tmp_path)
    with pytest.raises(LayerError, match="a camera has no speed"):
        layer_specs([{"camera": "/dev/video0", "speed": 2}], tmp_path)
    with pytest.raises(LayerError, match="murals.a.start: -1.0 is outside 0..86400"):
        layer_specs([{"video": "a.mp4", "start": -1}], tmp_path)
    with pytest.raises(LayerError, match="'Clip 2' must be a lower-case word"):
        layer_specs([{"video": "a.mp4", "name": "Clip 2"}], tmp_path)


def test_a_camera_stand_in_shows_its_latest_picture_and_keeps_none(ctx, library):
    spec = build_spec("camera", "color=c=0x2080f0:size=64x36:rate=30", "lavfi")
    seen = played(ctx, library, [spec], 2)
    assert seen[-1] == pytest.approx(linear([0x20, 0x80, 0xF0]), abs=0.03)
    murals = MuralStack(Build(ctx, library, SIZE, layers=[spec]))
    try:
        assert murals.layers[0].keeps == ("position",)  # a checkpoint of the stack holds no picture from a camera
    finally:
        murals.release()


def test_a_live_show_never_waits_for_a_picture_and_shows_the_clip_once_decoded(ctx, library, clip):
    specs = layer_specs([{"video": str(clip), "speed": 0.0}], clip.parent)  # held at its first picture
    registry = bare_registry(specs)
    murals = MuralStack(Build(ctx, library, SIZE, layers=specs, live=True))
    target = Target(ctx, SIZE)
    try:
        deadline, seen = time.monotonic() + 5.0, np.zeros(3)
        while not seen.any() and time.monotonic() < deadline:
            began = time.perf_counter()
            murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
            assert time.perf_counter() - began < 1.0  # a frame goes on with what there is
            seen = pixels(target, 3)[SIZE[1] // 2, SIZE[0] // 2]
            time.sleep(0.01)
    finally:
        target.release()
        murals.release()
    assert seen == pytest.approx(linear(COLOURS[0]), abs=0.03)
