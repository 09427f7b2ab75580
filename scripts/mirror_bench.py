"""The smile mirror's figures (python -m scripts.mirror_bench): what measuring a 640x480 frame costs on one core, for rooms of
1 to 8 faces (the test portraits, tests/mirror/data), and how many of them are found. With --live, a
headless community-wall's frame times without and with the camera (the rehearsal of
scripts/mirror_rehearsal.py), and the latency from a camera frame to the frame boundary that takes it."""

from __future__ import annotations

import argparse
import os
import time

import cv2
import numpy as np

from neoterra_glow.mirror.measure import measure
from scripts.mirror_rehearsal import portrait


def room(people: int) -> np.ndarray:
    """A 640x480 RGB frame of `people` faces (portraits and their mirror images, alternately smiling), in rows of 4."""
    frame = np.full((480, 640, 3), 110, np.uint8)
    side = 180 if people <= 3 else 140
    per_row = 3 if people <= 3 else 4
    for n in range(people):
        who = ("smile", "rest", "~smile", "~rest")[n % 4]
        face = cv2.resize(portrait(who), (side, side), interpolation=cv2.INTER_AREA)
        x, y = 20 + (n % per_row) * (side + 15), (150 if people <= 3 else 40 + (n // per_row) * (side + 40))
        frame[y:y + side, x:x + side] = face[..., ::-1]
    return frame


def live(seconds: float, size: tuple[int, int]) -> None:
    """Frame times of community-wall, headless, without and with the camera; the camera's latency."""
    import tempfile
    from pathlib import Path

    from neoterra_glow.gpu.context import Headless
    from neoterra_glow.live.show import Connections, Listening, LiveShow
    from neoterra_glow.piece import load_piece
    from scripts.mirror_rehearsal import write_rehearsal

    ctx = Headless().ctx
    with tempfile.TemporaryDirectory() as folder:
        clip = str(write_rehearsal(Path(folder) / "room.avi"))
        for camera in (None, clip):
            show = LiveShow(ctx, load_piece("community-wall"), size, 5, Listening(port=0, query_port=None),
                            connections=Connections(camera=camera))
            try:
                for _ in range(3):
                    show.step().texture.read()  # the first frames build programs
                times, latencies = [], []
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    show.step().texture.read()
                    times.append(time.perf_counter() - started)
                    if camera and show.camera.latency not in latencies[-1:]:  # a boundary that took a new camera frame
                        latencies.append(show.camera.latency)
            finally:
                show.close()
            kind = "with" if camera else "without"
            line = f"community-wall {size[0]}x{size[1]} {kind} the camera: {1e3 * np.median(times):.0f} ms a frame"
            print(line + (f"; camera frame to parameter {1e3 * np.median(latencies[1:]):.0f} ms median, "
                          f"{1e3 * np.percentile(latencies[1:], 90):.0f} ms p90 ({len(latencies) - 1} frames)" if camera else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="frames measured per room (default 20)")
    parser.add_argument("--live", type=float, metavar="SECONDS", help="also run community-wall live this long without and with the camera")
    parser.add_argument("--size", default="256x144", help="the live show's size (default 256x144)")
    args = parser.parse_args()
    cv2.setNumThreads(1)  # as the camera's process does
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    measure(room(1))  # the cascades load once
    for people in (1, 2, 3, 4, 6, 8):
        frame = room(people)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            found = measure(frame)
            times.append(time.perf_counter() - started)
        print(f"{people} faces in the frame: {found.faces} found, {found.smiling} smiling; "
              f"{1e3 * np.median(times):.0f} ms median, {1e3 * np.percentile(times, 90):.0f} ms p90 per 640x480 frame on one core")
    if args.live:
        os.sched_setaffinity(0, os.sched_getaffinity(0) | set(range(os.cpu_count() or 1)))  # the show gets every core again
        live(args.live, tuple(int(v) for v in args.size.split("x")))


if __name__ == "__main__":
    main()
