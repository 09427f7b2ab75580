"""LTC lock time and drift: a desk's LTC played into a PulseAudio null sink for MINUTES, chased
by the show's clock (live/chase.py) from the sink's monitor, sampled ten times a second.

    python scripts/ltc_drift.py 10

Needs PulseAudio (it is started when not running) and libltc11, as the tests do. Prints the lock
time, the timeline's rate against the system clock, its jitter about that rate, and each minute's
mean offset of the timeline from the wall clock.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import uuid
import wave
from pathlib import Path

import numpy as np

from neoterra_glow.live.chase import ChasedClock
from neoterra_glow.timecode.ltc import RATE, LtcIn, LtcWriter

START = 3600.0  # 01:00:00:00, as desks start


def desk_wav(path: Path, seconds: float) -> None:
    """LTC from START, frame after frame, as a desk writes it."""
    written = 0
    writer = LtcWriter(lambda: START + written / RATE)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        while written < seconds * RATE:
            block = writer.samples(RATE // 25)
            out.writeframes((block * 32767).astype("<i2").tobytes())
            written += len(block)


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=20).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("minutes", type=float, nargs="?", default=10.0)
    minutes = parser.parse_args().minutes
    if subprocess.run(["pactl", "info"], capture_output=True).returncode:
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit"], capture_output=True, timeout=30)
        time.sleep(1.0)
    with tempfile.TemporaryDirectory() as folder:
        desk = Path(folder) / "desk.wav"
        desk_wav(desk, minutes * 60 + 5)
        sink = f"ltc_drift_{uuid.uuid4().hex[:6]}"
        module = pactl("load-module", "module-null-sink", f"sink_name={sink}")
        os.environ["PULSE_SOURCE"] = f"{sink}.monitor"
        clock = ChasedClock(LtcIn(None))
        started = time.monotonic()
        player = subprocess.Popen(["paplay", f"--device={sink}", str(desk)])
        walls, timeline = [], []
        try:
            while clock.state != "LOCKED":
                time.sleep(0.01)
            lock = time.monotonic() - started
            end = time.monotonic() + minutes * 60
            while time.monotonic() < end:
                heard, now = clock.timecode(), time.monotonic()
                if heard is not None:
                    walls.append(now), timeline.append(heard)
                time.sleep(0.1)
        finally:
            player.kill()
            clock.close()
            pactl("unload-module", module)
    walls, timeline = np.asarray(walls) - walls[0], np.asarray(timeline) - timeline[0]
    rate = np.polyfit(walls, timeline, 1)[0]
    about = timeline - rate * walls
    print(f"locked {lock:.2f} s after the player started; {len(walls)} readings over {walls[-1]:.0f} s")
    print(f"rate against the system clock {rate:.6f} ({(rate - 1) * 1e6:+.0f} ppm); "
          f"jitter about it p95 {np.percentile(np.abs(about - np.median(about)), 95) * 1e3:.1f} ms")
    for minute in range(int(minutes)):
        inside = (walls >= minute * 60) & (walls < (minute + 1) * 60)
        print(f"minute {minute + 1}: timeline minus wall {np.mean(timeline[inside] - walls[inside]) * 1e3:+.1f} ms")


if __name__ == "__main__":
    main()
