"""The HUD in a real window under Xvfb: it stays at the window's top left when the window
goes fullscreen (it stayed where the small window had been)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, time, numpy as np
from neoterra_glow.gpu.context import Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.hud import Hud

window = Window((320, 180), "hud probe")
hud = Hud(Build(window.ctx, ShaderLibrary(window.ctx), window.framebuffer_size()))
hud.on = True
hud.update(0.0, ["hello operator"] * 8)

def hud_where():
    size = window.framebuffer_size()
    hud.resize(size)  # as the show's pipeline follows the window
    white = Target(window.ctx, size, "f1")
    white.fbo.clear(1.0, 1.0, 1.0, 1.0)
    screen = window.screen()
    window.ctx.copy_framebuffer(screen, hud.run(None, {"image": white}).fbo)
    width, height = window.framebuffer_size()
    image = np.frombuffer(screen.read(viewport=(0, 0, width, height), components=3), np.uint8).reshape(height, width, 3)[::-1]
    window.swap()
    return {"size": [width, height], "top_left": float(image[20:60, 20:60].mean()), "bottom_left": float(image[-60:-20, 20:60].mean())}

small = hud_where()
window.set_fullscreen(True)
deadline = time.monotonic() + 10
while window.framebuffer_size() == (320, 180) and time.monotonic() < deadline:
    window.swap()
    time.sleep(0.05)
print(json.dumps({"small": small, "full": hud_where()}))
"""


def test_the_hud_stays_at_the_top_left_when_the_window_goes_fullscreen(display):
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["small"]["top_left"] < 200  # the HUD's dark panel over white
    full = probe["full"]
    assert full["size"] == [1280, 800]
    assert full["top_left"] < 200 and full["bottom_left"] == 255  # at the top left of the whole screen now


REPLUG = """
import json, time
import glfw
from neoterra_glow.gpu.context import Window

window = Window((320, 180), "replug probe", fullscreen=True)
projector = window.monitor

def settle():
    for _ in range(20):
        window.swap()
        time.sleep(0.05)

settle()
window.monitor_changed(projector, glfw.DISCONNECTED)  # what glfw says when the cable is pulled,
glfw.set_window_monitor(window.handle, None, 40, 40, 320, 180, 0)  # and what the system does to the window
settle()
unplugged = list(window.framebuffer_size())
window.monitor_changed(glfw.get_primary_monitor(), glfw.CONNECTED)  # the projector is back
settle()
print(json.dumps({"unplugged": unplugged, "back": list(window.framebuffer_size()), "fullscreen": window.fullscreen}))
"""


def test_a_show_returns_fullscreen_to_its_projector_when_it_is_plugged_back_in(display):
    """glfw's monitor callback is called here as glfw would call it: Xvfb cannot unplug a monitor."""
    result = subprocess.run([sys.executable, "-c", REPLUG], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["unplugged"] == [320, 180]
    assert probe["back"] == [1280, 800] and probe["fullscreen"]
