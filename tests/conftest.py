"""Real OpenGL for every test: Mesa llvmpipe through EGL where there is no GPU."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import moderngl
import numpy as np
import pytest

from neoterra_glow.core.clock import FixedClock
from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.context import Headless
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.pipeline import declare_params
from neoterra_glow.resources import data_dir

SMALL = (256, 144)


@pytest.fixture(scope="session")
def gpu():
    context = Headless()
    yield context
    context.release()


@pytest.fixture
def ctx(gpu):
    """The shared context; the blending a test leaves is reset after it, so no test sees
    another's. (The engine sets what it needs on each draw: blending, and the viewport with
    each target.)"""
    yield gpu.ctx
    gpu.ctx.disable(moderngl.BLEND)
    gpu.ctx.blend_func = moderngl.DEFAULT_BLENDING


@pytest.fixture
def library(ctx):
    shaders = ShaderLibrary(ctx)
    yield shaders
    shaders.release()


@pytest.fixture
def registry():
    return declare_params()


def with_bots(preset: str, count: int) -> str:
    """A shipped preset's text with `count` bots, for a test that asks what the piece does rather than what a few
    hundred thousand bots cost on llvmpipe."""
    text, changed = re.subn(r'(?m)^(count|"swarm.count") = \d+', rf"\g<1> = {count}", (data_dir("presets") / f"{preset}.toml").read_text())
    assert changed == 1, f"{preset} names no count of bots"
    return text


def preset_with_bots(folder: Path, preset: str, count: int) -> Path:
    """with_bots's text written as `folder`/PRESET.toml, for a show, a render or load_piece to play."""
    path = folder / f"{preset}.toml"
    path.write_text(with_bots(preset, count))
    return path


def rendered_at(piece, seconds: float, size: tuple[int, int], fps: int) -> tuple[np.ndarray, np.ndarray]:
    """A piece rendered from its start, as a render does, to its frame at `seconds`: that frame as it is shown (sRGB, 0..1)
    and the swarm's light (linear rgb), both top row first."""
    from neoterra_glow.render import Run

    gpu = Headless()
    run = Run(gpu.ctx, piece, size, fps, piece.preset.seed)
    width, height = size
    try:
        while run.next_index <= round(seconds * fps):
            _, image = run.step()
        shown = np.frombuffer(image.fbo.read(components=3, alignment=1), np.uint8).reshape(height, width, 3)
        light = np.frombuffer(run.pipeline["light"].target.texture.read(), np.float16).reshape(height, width, 4)[..., :3]
    finally:
        run.release()
        gpu.release()
    return shown[::-1].astype(np.float32) / 255.0, light[::-1].astype(np.float32)


def frame_at(registry, index: int = 0, *, fps: int = 30, seed: int = 1, size=SMALL) -> Frame:
    """The frame a fixed clock gives at `index`, with the registry's values: a piece's frame
    boundary (`Piece.frame`) without its emotions, beat or faults."""
    clock = FixedClock(fps)
    clock.index = index - 1
    index, time, dt = clock.tick()
    return Frame(index=index, time=time, dt=dt, params=registry.snapshot(dt), seed=seed, size=size, epoch=clock.epoch)


def pixels(target: Target, components: int = 4) -> np.ndarray:
    """A target's pixels as floats (HDR) or bytes (8-bit), bottom row first as OpenGL stores them."""
    dtype = np.float16 if target.texture.dtype == "f2" else np.uint8
    data = target.texture.read()
    array = np.frombuffer(data, dtype).reshape(target.size[1], target.size[0], 4)
    return array[..., :components].astype(np.float32)


@pytest.fixture(scope="module")
def display():
    """A virtual X display for window tests: Xvfb, as on a machine with no screen."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb); scripts/test.sh installs it")
    number = 90 + os.getpid() % 100
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    yield from _on_display(server, number)


DUMMY_XORG = """
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoEnableDevices" "false"
EndSection
Section "Device"
  Identifier "dummy"
  Driver "dummy"
  VideoRam 256000
EndSection
Section "Screen"
  Identifier "screen"
  Device "dummy"
  DefaultDepth 24
EndSection
"""


@pytest.fixture(scope="module")
def two_monitors(tmp_path_factory):
    """A virtual X server with two 640x360 monitors side by side (DUMMY0 left, DUMMY1 right):
    Xorg's dummy driver, whose outputs RandR turns on as a desktop's monitors."""
    driver = "/usr/lib/xorg/modules/drivers/dummy_drv.so"
    if shutil.which("Xorg") is None or not os.path.exists(driver) or shutil.which("xrandr") is None:
        pytest.skip("Xorg's dummy driver is not installed (apt-get install xserver-xorg-core xserver-xorg-video-dummy "
                    "x11-xserver-utils); scripts/test.sh installs it")
    folder = tmp_path_factory.mktemp("xorg")
    (folder / "xorg.conf").write_text(DUMMY_XORG)
    number = 190 + os.getpid() % 100
    server = subprocess.Popen(["Xorg", f":{number}", "-config", str(folder / "xorg.conf"), "-noreset", "-nolisten", "tcp",
                               "-logfile", str(folder / "xorg.log"), "-novtswitch", "-sharevts"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": f":{number}"}
    for _ in range(50):
        if subprocess.run(["xrandr", "-q"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.2)
    for command in (["--newmode", "640x360", "18.75", "640", "664", "728", "816", "360", "363", "368", "384", "-hsync", "+vsync"],
                    ["--addmode", "DUMMY0", "640x360"], ["--addmode", "DUMMY1", "640x360"],
                    ["--output", "DUMMY0", "--mode", "640x360", "--pos", "0x0",
                     "--output", "DUMMY1", "--mode", "640x360", "--pos", "640x0"],
                    ["-q"]):  # a full query: clients asking for the current outputs see both only after one
        subprocess.run(["xrandr", *command], env=env, check=True, capture_output=True, timeout=30)
    yield from _on_display(server, number)


def _on_display(server: subprocess.Popen, number: int):
    previous = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = f":{number}"
    yield os.environ["DISPLAY"]
    server.terminate()
    server.wait()
    if previous is None:
        del os.environ["DISPLAY"]
    else:
        os.environ["DISPLAY"] = previous


def claimed_png(path, width: int, height: int):
    """A tiny PNG whose header claims width x height: what a hostile file looks like."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path
