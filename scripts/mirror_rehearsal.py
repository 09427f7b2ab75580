"""A rehearsal's stand-in camera: several people before the smile mirror, from the test portraits
(tests/mirror/data/README.md says where each comes from), written as a short MJPG video.

Three places in a 640x480 frame. Two people rest throughout at the sides; a smiling visitor steps
up in the middle, leaves, another smiles at the right, leaves, then two smile at once. The rests
between let each held smile count as a new one (mirror/hold.py draws a smile once per hold).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

DATA = Path(__file__).resolve().parent.parent / "tests" / "mirror" / "data"
FPS = 15
SIZE = (640, 480)
PLACES = (30, 230, 430)  # left edges of the three places; each face is 180 px
# (seconds, who stands at the left, middle, right): "rest" and "smile" portraits, "~" mirrored, None nobody
SCENES = (
    (2.0, ("rest", None, "~rest")),
    (3.0, ("rest", "smile", "~rest")),
    (1.5, ("rest", None, "~rest")),
    (3.0, ("rest", None, "~smile")),
    (1.5, ("rest", None, "~rest")),
    (4.0, ("rest", "smile", "~smile")),
)


def portrait(who: str) -> np.ndarray:
    """A 180 px portrait in BGR, as OpenCV writes it; "~" mirrors it (another face, its lopsidedness turned)."""
    name = {"rest": "neutral", "smile": "smiling"}[who.lstrip("~")]
    image = cv2.resize(cv2.imread(str(DATA / f"{name}.png")), (180, 180), interpolation=cv2.INTER_AREA)
    return image[:, ::-1] if who.startswith("~") else image


def rehearsal_frames() -> list[tuple[float, np.ndarray]]:
    """Each scene's length and its frame (BGR)."""
    scenes = []
    for seconds, people in SCENES:
        frame = np.full((SIZE[1], SIZE[0], 3), 110, np.uint8)
        for left, who in zip(PLACES, people, strict=False):
            if who:
                frame[150:330, left:left + 180] = portrait(who)
        scenes.append((seconds, frame))
    return scenes


def write_rehearsal(path: Path, fps: int = FPS) -> Path:
    """The rehearsal video at `path` (.avi, MJPG): 15 s, looped by the show as a camera's stand-in. A lower
    `fps` leaves more of a small machine to the show (the camera's process measures every frame)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), float(fps), SIZE)
    for seconds, frame in rehearsal_frames():
        for _ in range(round(seconds * fps)):
            writer.write(frame)
    writer.release()
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the video to write, an .avi")
    parser.add_argument("--fps", type=int, default=FPS, help=f"its frame rate (default {FPS})")
    args = parser.parse_args()
    print(write_rehearsal(args.output, args.fps))
