"""Smiles measured in a frame, offline on the CPU, with OpenCV's Haar cascades (shipped in its wheel).

Faces are found by OpenCV's frontal-face cascade; the mouth is the largest dark shape in the
lower part of the face box (lips' line, or the ring around the teeth), filled. Its extreme
columns are the corners; how far they sit above the mouth's middle is the lift; its height in the
middle is the openness. Lengths are in eye distances (estimated from the face box: the cascade's
box spans about 2.4 of them), so a near face and a far one measure alike. The strength is OpenCV's
smile cascade's votes on the lower face brought to one size (so near and far faces vote alike):
on the test portraits a smile gets 100..400, a resting mouth 8..30. Only numbers come out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

EYE_SPAN = 0.42  # an eye distance, in face-box widths
WIDTH = 480  # frames are measured at this width: faces across a room stay 60+ px
VOTES = (30.0, 300.0)  # the smile cascade's raw votes for strength 0 and 1 (log scale between)
LOWER_FACE = (96, 54)  # the lower face is brought to this size before the smile cascade votes


@dataclass(frozen=True)
class Smile:
    """One face's mouth, in eye distances (y down in the frame, lift up)."""

    corners: tuple[tuple[float, float], tuple[float, float]]  # left and right corner, in frame fractions
    width: float  # corner to corner
    lift: float  # how far the corners sit above the mouth's middle
    asymmetry: float  # the right corner's height above the left's
    openness: float  # the open mouth's height in its middle
    strength: float  # 0..1: how much of a smile this is


@dataclass(frozen=True)
class Room:
    """Every face in a frame, and the room's smile."""

    smiles: tuple[Smile, ...]
    threshold: float = 0.5

    @property
    def faces(self) -> int:
        return len(self.smiles)

    @property
    def smiling(self) -> int:
        return sum(s.strength >= self.threshold for s in self.smiles)

    @property
    def level(self) -> float:
        """The mean smile strength, 0 in an empty room."""
        return float(np.mean([s.strength for s in self.smiles])) if self.smiles else 0.0


@cache
def _cascades():
    """Loaded once per process: the models travel in opencv-python-headless's wheel (cv2.data)."""
    import cv2

    def load(name: str):
        cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)  # type: ignore[attr-defined]  # its stubs omit cv2.data
        if cascade.empty():
            raise RuntimeError(f"OpenCV's {name} is missing from cv2.data: install neoterra-glow[camera] (opencv-python-headless<5)")
        return cascade

    return load("haarcascade_frontalface_default.xml"), load("haarcascade_smile.xml")


def measure(frame: np.ndarray) -> Room:
    """Every face's smile in an RGB or grey uint8 frame of any size."""
    import cv2

    grey = frame if frame.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(frame[..., :3]), cv2.COLOR_RGB2GRAY)
    scale = WIDTH / grey.shape[1]
    grey = cv2.resize(grey, (WIDTH, max(1, round(grey.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    faces, smile_cascade = _cascades()
    boxes = faces.detectMultiScale(grey, 1.1, 5, minSize=(60, 60))
    height, width = grey.shape
    smiles = tuple(s for s in (_mouth(grey, box, smile_cascade) for box in boxes) if s is not None)
    return Room(tuple(_in_frame(s, width, height) for s in smiles))


def _in_frame(smile: Smile, width: int, height: int) -> Smile:
    (left_x, left_y), (right_x, right_y) = smile.corners
    corners = ((left_x / width, left_y / height), (right_x / width, right_y / height))
    return Smile(corners, smile.width, smile.lift, smile.asymmetry, smile.openness, smile.strength)


def _mouth(grey: np.ndarray, box, smile_cascade) -> Smile | None:
    """The mouth in one face box, or None where no mouth-like shape is there."""
    import cv2

    x, y, w, h = (int(v) for v in box)
    face = cv2.equalizeHist(np.ascontiguousarray(grey[y:y + h, x:x + w]))  # each face's own light, not the room's
    left, top = int(0.18 * w), int(0.62 * h)
    region = face[top:int(0.95 * h), left:int(0.82 * w)]
    if region.size == 0:
        return None
    blurred = cv2.GaussianBlur(region, (3, 3), 0)
    # the lips' line and an open mouth's rim are the darkest pixels; closing joins a rim broken by teeth
    mouth = (blurred <= np.percentile(blurred, 16)).astype(np.uint8)
    close = max(3, region.shape[1] // 10)
    mouth = cv2.morphologyEx(mouth, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (close, close // 2 * 2 + 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mouth, connectivity=8)
    if count < 2:
        return None
    # the widest dark shape near the middle is the mouth; a nostril's shadow or the chin's edge is narrower
    centred = np.abs(stats[1:, 0] + stats[1:, 2] / 2 - region.shape[1] / 2) < region.shape[1] * 0.25
    widths = np.where(centred, stats[1:, 2], 0)
    if widths.max() < region.shape[1] * 0.25:
        return None
    label = 1 + int(np.argmax(widths))
    shape = (labels == label).astype(np.uint8)
    contours, _ = cv2.findContours(shape, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = cv2.drawContours(np.zeros_like(shape), contours, -1, 1, cv2.FILLED)
    rows, cols = np.nonzero(filled)
    x0, x1 = cols.min(), cols.max()
    edge = max(1, (x1 - x0) // 10)
    left_y = rows[cols <= x0 + edge].mean()
    right_y = rows[cols >= x1 - edge].mean()
    middle = np.abs(cols - (x0 + x1) / 2) <= edge
    middle_y = rows[middle].mean()
    eye = EYE_SPAN * w
    width_e = (x1 - x0 + 1) / eye
    lift = (middle_y - (left_y + right_y) / 2) / eye
    openness = (rows[middle].max() - rows[middle].min() + 1) / eye
    lower = cv2.resize(face[int(0.55 * h):, int(0.1 * w):int(0.9 * w)], LOWER_FACE, interpolation=cv2.INTER_AREA)
    votes = len(smile_cascade.detectMultiScale(lower, 1.05, 0, minSize=(24, 12)))
    strength = float(np.clip(np.log((1.0 + votes) / VOTES[0]) / np.log(VOTES[1] / VOTES[0]), 0.0, 1.0))
    corners = ((x + left + x0, y + top + left_y), (x + left + x1, y + top + right_y))
    return Smile(corners, float(width_e), float(lift), float((left_y - right_y) / eye), float(openness), strength)
