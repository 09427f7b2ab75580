import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from neoterra_glow.gpu.context import Sink, open_sink

ROOT = Path(__file__).resolve().parents[2]


def test_headless_context_has_opengl_43_and_runs_compute(ctx):
    assert ctx.version_code >= 430
    shader = ctx.compute_shader(
        "#version 430\nlayout(local_size_x = 64) in;\n"
        "layout(std430, binding = 0) buffer Data { float values[]; };\n"
        "void main() { values[gl_GlobalInvocationID.x] = float(gl_GlobalInvocationID.x) * 2.0; }\n"
    )
    buffer = ctx.buffer(reserve=256 * 4)
    buffer.bind_to_storage_buffer(0)
    shader.run(4)
    assert np.array_equal(np.frombuffer(buffer.read(), np.float32), np.arange(256) * 2.0)
    buffer.release()
    shader.release()


WINDOW_PROBE = """
import json, numpy as np
from neoterra_glow.gpu.context import Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.pipeline import Pipeline, declare_params
from tests.conftest import frame_at

window = Window((320, 180), "probe")
size = window.framebuffer_size()
pipeline = Pipeline(window.ctx, ShaderLibrary(window.ctx), size)
output = pipeline.render(frame_at(declare_params(), 30, size=size))
window.ctx.copy_framebuffer(window.ctx.screen, output.fbo)
on_screen = np.frombuffer(window.ctx.screen.read(components=3), np.uint8)
sent = np.frombuffer(output.fbo.read(components=3), np.uint8)
window.present(output.fbo)
print(json.dumps({"version": window.ctx.version_code, "size": size, "open": window.is_open(),
                  "same": bool(np.array_equal(on_screen, sent)), "mean": float(sent.mean())}))
window.release()
"""


def test_a_window_gets_opengl_43_and_shows_the_frame(display):
    # Its own process, as in a show: GLX will not share a process with a current EGL context.
    result = subprocess.run([sys.executable, "-c", WINDOW_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["version"] >= 430
    assert probe["size"] == [320, 180]
    assert probe["open"] and probe["same"] and probe["mean"] > 5  # the piece, not black: 8.7 (the 21 before was a first frame's flare)


def test_a_headless_sink_shows_nothing_and_paces_frames_at_its_rate():
    """The show asks a headless sink what it asks a window (gpu/context.py's Sink): its size, whether
    it is open, and to present; presenting waits for the next frame at its fps, and a late frame is
    not made up for by a burst."""
    sink = open_sink(True, (64, 36), "unseen", 20.0)
    try:
        assert isinstance(sink, Sink) and not sink.shows and sink.is_open() and sink.status() == []
        assert sink.framebuffer_size() == (64, 36) and sink.ctx.version_code >= 430
        target = sink.ctx.framebuffer(color_attachments=[sink.ctx.texture(sink.framebuffer_size(), 4)])
        target.clear(0.0, 0.5, 1.0, 1.0)
        started = time.perf_counter()
        for _ in range(6):
            sink.present(target)
        assert time.perf_counter() - started >= 6 * 0.05 - 0.01  # 20 fps
        time.sleep(0.3)  # a frame six periods late
        started = time.perf_counter()
        for _ in range(3):
            sink.present(target)
        assert time.perf_counter() - started >= 0.05 - 0.01  # one at once, then a period on: no burst of five
        assert np.frombuffer(target.read(components=4), np.uint8)[:4].tolist() == [0, 128, 255, 255]  # the frame as it was
        target.release()
    finally:
        sink.release()
