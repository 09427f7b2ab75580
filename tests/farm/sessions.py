"""A recorded live set that changes everything a checkpoint must keep: a scene change, faults,
emotions, a visitor's smile joining the wall, the swarm's size."""

from pathlib import Path

from neoterra_glow.control.message import Control
from neoterra_glow.direction.session import SessionRecorder
from neoterra_glow.resources import data_dir

FPS = 30
EVENTS = {
    0: [Control("/murals/ceiling", (4.0,)), Control("/post/tonemap/exposure", (3.0,)),  # bright, so each frame is its own
        Control("/swarm/count", (20_000,))],  # a tenth of the preset's bots: the farm renders this set five times
    2: [Control("/emotion/joy", (1.0,)), Control("/glitch/trigger", ("scatter", 0.9, 0.8))],
    4: [Control("/scene/start", ("ember-tide", 0.3))],  # a 9-frame crossfade
    16: [Control("/wall/add", ("Ada, who laughs with her whole face",)), Control("/swarm/count", (30_000,))],
    24: [Control("/glitch/trigger", ("tear", 1.0, 0.6)), Control("/emotion/grief", (0.7,))],
    30: [Control("/glitch/trigger", ("cascade", 0.8, 0.9))],
}


def record_set(path: Path, frames: int, size=(256, 144)) -> Path:
    recorder = SessionRecorder(path, data_dir("presets") / "default.toml", 11, size)
    for index in range(frames):
        recorder.record(index, index / FPS, 1 / FPS, EVENTS.get(index, []))
    recorder.close()
    return path
