"""A live show with the smile mirror's camera: the room's smile reaches the registry at the frame
boundary, a preset's drive follows it, and the HUD says the camera is live."""

import time

import numpy as np

from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL
from tests.mirror.test_watch import _video

PRESET = """
title = "smile test"
seed = 3
"swarm.count" = 20000
"swarm.brightness" = 0.3
"murals.field.brightness" = 0.0

[[drive]]
source = "smile.level"
param = "swarm.brightness"
to = 6.0
"""


def _frames(live, seconds):
    times, levels, brightness = [], [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        live.step().texture.read()
        times.append(time.perf_counter() - started)
        levels.append(live.piece.registry.value("smile.level"))
        brightness.append(live.frame.params["swarm.brightness"])
    return times, levels, brightness


def test_a_smile_before_the_camera_brightens_the_swarm_through_a_drive(ctx, tmp_path):
    (tmp_path / "smile.toml").write_text(PRESET)
    clip = _video(tmp_path / "room.avi", ("smiling",), frames=30)
    plain = LiveShow(ctx, load_piece(tmp_path / "smile.toml"), SMALL, 3, Listening(port=0, query_port=None))
    try:
        without, _, _ = _frames(plain, 3.0)
    finally:
        plain.close()
    live = LiveShow(ctx, load_piece(tmp_path / "smile.toml"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(camera=str(clip)))
    try:
        _, warm_levels, _ = _frames(live, 6.0)  # the camera's process starts and loads its cascades
        with_camera, levels, brightness = _frames(live, 3.0)
        lines = "\n".join(live.hud_lines(60.0, 16.0))
        latencies = []
        for _ in range(20):
            live.step()
            latencies.append(live.camera.latency)
    finally:
        live.close()
    assert max(warm_levels + levels) > 0.8 and max(brightness) > 4.0
    assert "camera live  smile" in lines and "1 of 1 faces smiling" in lines
    print(f"frame ms without the camera {1e3 * np.median(without):.1f}, with it {1e3 * np.median(with_camera):.1f}; "
          f"camera to parameter {1e3 * np.median(latencies):.0f} ms median")
    assert np.median(latencies) < 0.1
