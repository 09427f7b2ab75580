"""Smile glyphs from text: a name or a story always draws the same smile, and no one else's.

The text's hash seeds every choice: the mouth's width, sag and crookedness, how
each corner lifts, an open grin with teeth marks or a closed one with a lip line,
dimples, eyes, sparkle strokes, and the hand: stroke weight, taper, wobble and
rhythm. Every choice stays inside what reads as a smile: corners above the middle.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import numpy as np

from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.strokes import Stroke, bezier

MOUTH_Y = -0.3
EYE_Y = 0.3


def text_seed(text: str) -> int:
    """A stable 64-bit seed for a text; the same on every machine and Python version."""
    normal = unicodedata.normalize("NFC", text.strip())
    if not normal:
        raise ValueError("a smile glyph needs a name or a story, got empty text")
    return int.from_bytes(hashlib.sha256(normal.encode("utf-8")).digest()[:8], "little")


@dataclass(frozen=True)
class SmileSpec:
    """Every choice that makes one smile, as plain numbers (glyph units, y up)."""

    width: float  # half the mouth's width
    sag: float  # how far the middle of the mouth sits below the corners
    lift: tuple[float, float]  # height of the left and right corners above the mouth line
    skew: float  # -1..1: the lowest point leans left or right
    fullness: float  # 0..1: a round U (0) to a wide flat grin (1)
    open: bool  # an open grin: a lip line closes the mouth from above
    teeth: int  # marks along an open grin's lip line
    lip_line: bool  # a closed smile's thin upper lip
    flicks: tuple[bool, bool]  # small upturned hooks at the corners
    dimples: tuple[bool, bool]
    eyes: str  # dots, arcs, wink or none
    eye_gap: float
    sparkles: tuple[tuple[float, float, float, float], ...]  # x, y, size and turn of each four-point star
    weight: float  # stroke radius
    taper: float  # 0..1: how much strokes thin towards their ends
    wobble: float  # amplitude of the hand's tremor
    rhythm: tuple[float, float]  # pulses along a stroke, and how much the width pulses
    dash: tuple[float, float] | None  # dash and gap lengths, or a continuous line
    tilt: float  # radians
    phase: tuple[float, ...]  # phases for wobble and rhythm

    @classmethod
    def from_text(cls, text: str) -> SmileSpec:
        rng = np.random.default_rng(text_seed(text))
        r = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731 - reads as a range
        chance = lambda p: bool(rng.random() < p)  # noqa: E731
        is_open = chance(0.4)
        lift = r(0.08, 0.3)
        crooked = min(0.12, lift - 0.04)  # one corner may rise more, but neither drops
        asymmetry = r(-crooked, crooked) if chance(0.7) else 0.0
        anchors = [(-0.78, 0.8), (0.8, 0.74), (-0.9, 0.05), (0.9, 0.12), (0.05, 0.92)]
        rng.shuffle(anchors)
        sparkles = tuple(
            (x + r(-0.06, 0.06), y + r(-0.14, -0.02), r(0.09, 0.17), r(-0.4, 0.4))
            for x, y in anchors[: int(rng.integers(0, 4))]
        )
        return cls(
            width=r(0.5, 0.78),
            sag=r(0.25, 0.5),
            lift=(lift + asymmetry, lift - asymmetry),
            skew=r(-0.7, 0.7),
            fullness=r(0.0, 1.0),
            open=is_open,
            teeth=int(rng.integers(2, 7)) if is_open and chance(0.75) else 0,
            lip_line=not is_open and chance(0.45),
            flicks=(chance(0.3), chance(0.3)),
            dimples=(chance(0.45), chance(0.45)),
            eyes=str(rng.choice(["dots", "arcs", "wink", "none"], p=[0.38, 0.34, 0.18, 0.1])),
            eye_gap=r(0.26, 0.42),
            sparkles=sparkles,
            weight=r(0.045, 0.085),
            taper=r(0.0, 0.8),
            wobble=r(0.004, 0.03),
            rhythm=(r(1.0, 5.0), r(0.0, 0.35) if chance(0.6) else 0.0),
            dash=(r(0.1, 0.24), r(0.05, 0.09)) if chance(0.2) else None,
            tilt=r(-0.14, 0.14),
            phase=tuple(float(p) for p in rng.uniform(0, 2 * np.pi, 6)),
        )

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        left = np.array([-self.width, MOUTH_Y + self.lift[0]], np.float32)
        right = np.array([self.width, MOUTH_Y + self.lift[1]], np.float32)
        return left, right

    def mouth(self) -> np.ndarray:
        """The smile's main curve, corner to corner, sagging in the middle."""
        left, right = self.corners()
        pull = (0.75 - 0.55 * self.fullness) * self.width
        drop = self.sag / 0.75  # a cubic's middle reaches 3/4 of the way to its control points
        lean = self.skew * 0.35
        c1 = (left[0] + pull * (1 - lean), left[1] - drop * (1 + lean * 0.5))
        c2 = (right[0] - pull * (1 + lean), right[1] - drop * (1 - lean * 0.5))
        return bezier(left, c1, c2, right, 64)

    def strokes(self) -> list[Stroke]:
        """All the ink, wobbled, tilted and weighted, ready to sample."""
        lines: list[tuple[np.ndarray, float, bool]] = []  # points, relative weight (< 0: sharp ends), may dash
        left, right = self.corners()
        mouth = self.mouth()
        lines.append((mouth, 1.0, True))
        if self.open:
            lip = bezier(left, left + (0.3, -0.12 * self.sag), right + (-0.3, -0.12 * self.sag), right, 48)
            lines.append((lip, 0.75, True))
            lines += [(tooth, 0.55, False) for tooth in self._teeth(lip, mouth)]
        elif self.lip_line:
            lines.append((mouth[12:52] + (0.0, 0.16), 0.45, False))
        for side, corner in ((0, left), (1, right)):
            out = -1.0 if side == 0 else 1.0
            if self.flicks[side]:
                curl = bezier(corner, corner + (out * 0.06, 0.03), corner + (out * 0.1, 0.08), corner + (out * 0.1, 0.13), 12)
                lines.append((curl, 0.6, False))
            if self.dimples[side]:
                centre = corner + (out * 0.17, 0.0)
                angle = np.linspace(-0.9, 0.9, 16) + (0.0 if side else np.pi)
                lines.append((centre + 0.09 * np.stack([np.cos(angle), np.sin(angle)], 1), 0.5, False))
        lines += [(eye, 1.0, False) for eye in self._eyes()]
        for x, y, size, turn in self.sparkles:
            for angle in (turn, turn + np.pi / 2):
                d = np.array([np.cos(angle), np.sin(angle)]) * size
                lines.append((np.linspace((x, y) - d, (x, y) + d, 12), -0.6, False))
        strokes = []
        for points, weight, may_dash in lines:
            stroke = Stroke(self._hand(points), self._radii(len(points), abs(weight), sharp=weight < 0))
            strokes += stroke.dashed(*self.dash) if self.dash and may_dash else [stroke]
        return strokes

    def _teeth(self, lip: np.ndarray, mouth: np.ndarray) -> list[np.ndarray]:
        xs = np.linspace(-self.width * 0.55, self.width * 0.55, self.teeth)
        top = np.interp(xs, lip[:, 0], lip[:, 1])
        bottom = np.interp(xs, mouth[:, 0], mouth[:, 1])
        return [np.linspace((x, t), (x, t - 0.45 * (t - b)), 6) for x, t, b in zip(xs, top, bottom)]

    def _eyes(self) -> list[np.ndarray]:
        def dot(x):
            return np.array([[x, EYE_Y]], np.float32)

        def arc(x):
            return bezier((x - 0.12, EYE_Y - 0.04), (x - 0.07, EYE_Y + 0.1), (x + 0.07, EYE_Y + 0.1), (x + 0.12, EYE_Y - 0.04), 20)

        left, right = -self.eye_gap, self.eye_gap
        return {"dots": [dot(left), dot(right)], "arcs": [arc(left), arc(right)], "wink": [dot(left), arc(right)], "none": []}[
            self.eyes
        ]

    def _hand(self, points: np.ndarray) -> np.ndarray:
        """A tremor of the hand, the same for every stroke of this smile, then the tilt."""
        p = self.phase
        wobble = self.wobble * np.stack(
            [np.sin(points[:, 1] * 7.0 + p[0]) + np.sin(points[:, 0] * 13.0 + p[1]) * 0.5,
             np.sin(points[:, 0] * 9.0 + p[2]) + np.sin(points[:, 1] * 11.0 + p[3]) * 0.5],
            axis=1,
        )
        c, s = np.cos(self.tilt), np.sin(self.tilt)
        moved = points + wobble
        return moved @ np.array([[c, s], [-s, c]], np.float32)

    def _radii(self, count: int, weight: float, sharp: bool = False) -> np.ndarray:
        if count == 1:
            return np.array([self.weight * 1.7])  # dots for eyes read bolder than lines
        t = np.linspace(0.0, 1.0, count)
        amount = 1.0 if sharp else self.taper  # sparkles always come to points
        taper = 1.0 - amount + amount * np.sqrt(np.sin(np.pi * t))
        pulses, depth = self.rhythm
        rhythm = 1.0 + depth * np.sin(2 * np.pi * pulses * t + self.phase[4])
        return self.weight * weight * np.maximum(taper, 0.25) * rhythm


def smile_glyph(text: str) -> Glyph:
    """The glyph of a name or a story."""
    return Glyph.from_strokes(text.strip(), SmileSpec.from_text(text).strokes(), seed=text_seed(text))
