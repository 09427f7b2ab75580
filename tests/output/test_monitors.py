"""A wall on a desktop's monitors: each slice on the monitor it names, spanned by one window or
split into one fullscreen window per monitor (on a virtual X server with two real RandR monitors)."""

import json
import subprocess
import sys
from pathlib import Path

from neoterra_glow.gpu.monitors import Screen
from neoterra_glow.output.venue import Slice, Venue, lay_out

ROOT = Path(__file__).resolve().parents[2]
LEFT, RIGHT = Screen("DUMMY0", 0, 0, 640, 360), Screen("DUMMY1", 640, 0, 640, 360)


def wall(*monitors) -> Venue:
    return Venue((1216, 360), tuple(Slice(name, (576 * n, 0, 640, 360), monitor)
                                    for n, (name, monitor) in enumerate(zip(("left", "right"), monitors, strict=True))))


def test_each_slice_goes_to_the_monitor_it_names_at_its_place_on_the_desktop():
    above = Screen("HDMI-1", 0, -720, 1280, 720)  # a projector above the laptop's screen
    layout = lay_out(wall("HDMI", "eDP"), [Screen("eDP-1", 0, 0, 1920, 1080), above])
    assert [s.name for s in layout.monitors] == ["HDMI-1", "eDP-1"]
    assert layout.viewports == [(0, 1080, 1280, 720), (0, 0, 1920, 1080)]  # y up: the projector on top
    assert layout.missing == [] and not layout.preview


def test_slices_naming_no_monitor_take_the_monitors_in_order():
    layout = lay_out(wall(None, None), [LEFT, RIGHT])
    assert layout.viewports == [(0, 0, 640, 360), (640, 0, 640, 360)]


def test_a_missing_monitor_is_said_and_the_other_slice_goes_on():
    layout = lay_out(wall(1, "HDMI"), [LEFT, RIGHT])
    assert layout.monitors == [RIGHT] and layout.viewports == [(0, 0, 640, 360), None]
    assert layout.missing == ["slice right: no monitor 'HDMI' (the monitors are 0: DUMMY0, 1: DUMMY1); the others go on"]


def test_a_wall_on_a_desktop_with_fewer_monitors_is_previewed_side_by_side():
    layout = lay_out(wall(None, None), [Screen("laptop", 0, 0, 1280, 800)])
    assert layout.preview and layout.viewports == [(0, 0, 640, 800), (640, 0, 640, 800)]


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
