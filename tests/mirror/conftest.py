"""The test portraits, read as RGB frames; OpenCV is the camera extra, so these tests need it."""

from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

DATA = Path(__file__).parent / "data"


def portrait(name: str) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(DATA / f"{name}.png")), cv2.COLOR_BGR2RGB)


def room_frame(*names: str) -> np.ndarray:
    """A 640x480 frame with the portraits side by side on grey, as a camera across a room sees faces."""
    frame = np.full((480, 640, 3), 120, np.uint8)
    for i, name in enumerate(names):
        frame[140:340, 60 + 320 * i:260 + 320 * i] = portrait(name)
    return frame
