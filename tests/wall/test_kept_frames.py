"""A follower's kept frames are whole or absent: SIGTERM (here a timer's signal, which the CLI
turns into the same KeyboardInterrupt) landing while a PNG is written leaves no truncated file."""

import signal
import time

import numpy as np
from PIL import Image

from neoterra_glow.wall.follower import Projector, _present

SIZE = (1024, 1024)  # noise this big takes tens of milliseconds to write: time for the signal to land


def interrupt(signum, frame):
    raise KeyboardInterrupt


def test_a_signal_mid_save_leaves_no_truncated_frame(gpu, tmp_path):
    shown = Projector(gpu.ctx, SIZE, None)
    noise = np.random.default_rng(1).integers(0, 256, (SIZE[1], SIZE[0], 4), np.uint8).tobytes()
    started = time.monotonic()
    _present(gpu, shown, noise, (0, 0, *SIZE), tmp_path, 99)  # how long one takes, uninterrupted
    took = time.monotonic() - started
    previous = signal.signal(signal.SIGALRM, interrupt)
    interrupted = 0
    try:
        for index, delay in enumerate(np.linspace(0.1, 1.0, 16) * took):
            signal.setitimer(signal.ITIMER_REAL, delay)
            try:
                _present(gpu, shown, noise, (0, 0, *SIZE), tmp_path, index)
                signal.setitimer(signal.ITIMER_REAL, 0)
            except KeyboardInterrupt:
                interrupted += 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        shown.release()
    assert interrupted, "no save was interrupted: nothing was tried"
    for path in tmp_path.iterdir():
        assert path.suffix == ".png", f"{path.name} left behind"
        with Image.open(path) as picture:
            picture.load()  # a truncated PNG raises here
