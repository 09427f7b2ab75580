"""A live show under the frame-time governor holds a frame rate it would otherwise drop."""

import json
import time
import urllib.request

from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import preset_with_bots

SIZE = (320, 180)  # festival on llvmpipe: a few frames a second, far from what the test asks


def festival(folder):
    """Festival with a tenth of its bots: the murals, which the governor trades, are then most of a frame, as on a GPU
    (with 300,000 bots llvmpipe spent a frame's most on the swarm, which the governor leaves alone)."""
    return load_piece(preset_with_bots(folder, "festival", 30000))


def paced(live: LiveShow, fps: float, frames: int, until=lambda: True) -> float:
    """Frames a second of a headless show paced to `fps` as `show` paces it (no frame is waited for twice),
    over `frames` frames once `until()` holds."""
    period = 1.0 / fps
    counted, next_frame = -1, time.perf_counter()
    while counted < frames:
        if counted < 0 and until():
            counted, started = 0, time.perf_counter()
        live.step()
        counted += counted >= 0
        next_frame += period
        time.sleep(max(0.0, next_frame - time.perf_counter()))
        next_frame = max(next_frame, time.perf_counter() - period)
    return frames / (time.perf_counter() - started)


def steady(live: LiveShow, frames: int = 6, most: int = 60):
    """A test that holds once the governor has kept its step for `frames` frames (or after `most` frames)."""
    seen = []

    def held() -> bool:
        seen.append(live.governor.step)
        return len(seen) >= most or (len(seen) > frames and len(set(seen[-frames:])) == 1 and seen[-1] > 0)
    return held


def test_a_governed_show_holds_a_frame_rate_it_would_otherwise_drop(ctx, tmp_path):
    free = LiveShow(ctx, festival(tmp_path), SIZE, 2, Listening(port=0, query_port=None))
    try:
        for _ in range(3):  # the first frames build what later frames reuse: the rate is measured after them
            free.step()
        target = 1.5 * paced(free, 1000.0, 8)  # well beyond what the whole picture allows
        free_fps = paced(free, target, 8)
    finally:
        free.close()
    governed = LiveShow(ctx, festival(tmp_path), SIZE, 2, Listening(port=0, query_port=0), fps=target, governed=True)
    try:
        governed_fps = paced(governed, target, 12, steady(governed))
        step = governed.piece.registry.value("governor.step")
        with urllib.request.urlopen(f"http://127.0.0.1:{governed.query.port}/governor/step?VALUE", timeout=5) as response:
            shown = json.loads(response.read())["VALUE"][0]
        lines = "\n".join(governed.hud_lines(governed.fps, governed.frame_ms))
    finally:
        governed.close()
    print(f"target {target:.1f} fps: {free_fps:.1f} fps free, {governed_fps:.1f} fps governed at step {step}")
    assert free_fps < 0.85 * target  # a free show's rate varies by a tenth on a shared machine
    assert governed_fps >= 0.9 * target and governed_fps > 1.2 * free_fps, (free_fps, governed_fps, target, step)
    assert step > 0 and shown == step  # OSCQuery shows what it gave up
    assert "governor: murals at" in lines
