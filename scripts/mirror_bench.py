"""The smile mirror's figures (python -m scripts.mirror_bench): what measuring a 640x480 frame costs on one core, for rooms of
1 to 8 faces (the test portraits, tests/mirror/data), and how many of them are found."""

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="frames measured per room (default 20)")
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


if __name__ == "__main__":
    main()
