"""A wall on a desktop's monitors: spanned by one window or split into one fullscreen window per
monitor (on a virtual X server with two real RandR monitors)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PROBE = """
import json, sys, numpy as np
import glfw
from neoterra_glow.gpu.context import Window

window = Window((320, 180), "neoterra-glow probe")
getattr(window, sys.argv[1])(window.desktop())
width, height = window.framebuffer_size()
for _ in range(5):
    glfw.poll_events()
y, x = np.mgrid[0:height, 0:width]
picture = np.stack([x * 255 // width, y * 255 // height, np.full_like(x, 90), np.full_like(x, 255)], -1).astype(np.uint8)
texture = window.ctx.texture((width, height), 4, picture.tobytes())
frame = window.ctx.framebuffer([texture])
for _ in range(60):
    window.present(frame)
shown = []
for view in window.views:  # each window draws its part; read back before it is swapped away
    view.draw(texture)
    part = np.frombuffer(view._screen.read(viewport=(0, 0, 640, 360), components=4), np.uint8).reshape(360, 640, 4)
    shown.append(bool(np.abs(part.astype(int) - picture[:, len(shown) * 640:][:, :640]).max() <= 1))
glfw.make_context_current(window.handle)
handles = [view.handle for view in window.views] or [window.handle]
print(json.dumps({"size": [width, height], "shown": shown, "status": window.status(),
                  "windows": [[*glfw.get_window_pos(h), *glfw.get_framebuffer_size(h)] for h in handles]}))
window.release()
"""


def probe(mode: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_spanning_window_covers_both_monitors(two_monitors):
    found = probe("span")
    assert found["size"] == [1280, 360] and found["windows"] == [[0, 0, 1280, 360]]
    assert found["status"] == []  # one window: one swap, no spread


def test_a_window_per_monitor_shows_each_monitors_part_of_the_picture(two_monitors):
    found = probe("split")
    assert found["size"] == [1280, 360]  # the picture covers both monitors
    assert found["windows"] == [[0, 0, 640, 360], [640, 0, 640, 360]]  # each fullscreen on its own
    assert found["shown"] == [True, True]
    assert found["status"][0].startswith("present spread over 2 windows: median")


def test_a_spanning_window_covers_a_one_monitor_desktop(display):
    assert probe("span")["windows"] == [[0, 0, 1280, 800]]
