"""Smile glyphs from text: a name or a story always draws the same face, and no one else's.

The text's hash seeds every choice, spent on what makes faces human and distinct: the
smile's width, sag and crookedness, a closed smile or an open one with a bite line or
rounded teeth, an asymmetric lower lip; open almond eyes, smiling crescents or a wink,
their height and spacing; brows, a nose, laugh lines, dimples or cheekbones, crow's feet,
freckles, a jaw line; and the hand: a brush's weight, swell and taper, tremor and
tilt. Every choice stays inside what reads as a smile: corners above the middle.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import numpy as np

from neoterra_glow.glyphs.face import MOUTH_Y, Expression, Line, draw, mouth_curve
from neoterra_glow.glyphs.glyph import POSES, Glyph
from neoterra_glow.glyphs.strokes import Stroke

FILL = 1.12  # face.py's layout spans about -0.93..0.8 in y

__all__ = ["MOUTH_Y", "SmileSpec", "smile_glyph", "text_seed"]


def text_seed(text: str) -> int:
    """A stable 64-bit seed for a text; the same on every machine and Python version."""
    normal = unicodedata.normalize("NFC", text.strip())
    if not normal:
        raise ValueError("a smile glyph needs a name or a story, got empty text")
    return int.from_bytes(hashlib.sha256(normal.encode("utf-8")).digest()[:8], "little")


@dataclass(frozen=True)
class SmileSpec:
    """Every choice that makes one face, as plain numbers (glyph units, y up); face.py draws it."""

    width: float  # half the mouth's width
    sag: float  # how far the middle of the mouth sits below the corners
    lift: tuple[float, float]  # height of the left and right corners above the mouth line
    skew: float  # -1..1: the lowest point leans left or right
    fullness: float  # 0..1: a round U (0) to a wide flat grin (1)
    mouth: str  # closed, bite (open, with the line where the teeth meet) or teeth (and the upper teeth)
    teeth: int  # gaps between the teeth
    lower_lip: float | None  # where a short lower lip sits, in mouth widths from the middle
    eyes: tuple[str, str]  # almond, crescent or dot, left and right (a crescent beside an open eye: a wink)
    eye_y: float
    eye_gap: float
    eye_skew: float  # one eye a little higher
    eye_size: float  # half an eye's width
    eye_open: float  # 0..1: how wide an almond eye opens
    eye_tilt: float  # the outer corners up or down
    gaze: float  # -1..1: where the pupils look
    brows: tuple[float, float, float, float] | None  # height above the eyes, arch, inner end's slope, length
    brow_raise: tuple[float, float]  # one brow higher than the other
    nose: str  # none, hook, wing or line
    nose_side: float  # -1 or 1: the side its shadow falls on
    nose_bottom: float
    cheeks: str  # none, laugh lines, dimples or cheekbones
    crows_feet: int  # lines at the outer corners of the eyes
    freckles: tuple[tuple[float, float], ...]
    jaw: bool  # a line down one side of the face
    jaw_side: float
    sparkle: tuple[float, float, float, float] | None  # x, y, size and turn of one four-point star
    weight: float  # stroke radius
    taper: float  # 0..1: how much strokes thin towards their ends
    wobble: float  # amplitude of the hand's tremor
    rhythm: tuple[float, float]  # pulses along a stroke, and how much the width pulses
    tilt: float  # radians
    phase: tuple[float, ...]  # phases for wobble, rhythm and each stroke's swell

    @classmethod
    def from_text(cls, text: str) -> SmileSpec:
        rng = np.random.default_rng(text_seed(text))
        r = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731 - reads as a range
        chance = lambda p: bool(rng.random() < p)  # noqa: E731
        pick = lambda options, p: str(rng.choice(options, p=p))  # noqa: E731
        lift = r(0.07, 0.22)
        crooked = min(0.08, lift - 0.04)  # one corner may rise more, but neither drops
        asymmetry = r(-crooked, crooked) if chance(0.7) else 0.0
        mouth = pick(["closed", "bite", "teeth"], [0.5, 0.25, 0.25])
        eyes = pick(["almond", "crescent", "dot", "wink"], [0.38, 0.24, 0.2, 0.18])
        if eyes == "wink":
            open_eye = pick(["almond", "dot"], [0.5, 0.5])
            eyes_pair = (open_eye, "crescent") if chance(0.5) else ("crescent", open_eye)
        else:
            eyes_pair = (eyes, eyes)
        corner = MOUTH_Y + lift + abs(asymmetry)  # the higher corner
        eye_y = r(max(0.16, corner + 0.32), 0.36)
        side = 1.0 if chance(0.5) else -1.0
        freckles = ()
        if chance(0.3):
            count = int(rng.integers(5, 10))
            xs = rng.uniform(-0.42, 0.42, count)
            freckles = tuple((float(x), float(eye_y - 0.16 - 0.1 * abs(x) + rng.uniform(-0.04, 0.04))) for x in xs)
        return cls(
            width=r(0.42, 0.62),
            sag=r(0.22, 0.42),
            lift=(lift + asymmetry, lift - asymmetry),
            skew=r(-0.7, 0.7),
            fullness=r(0.0, 1.0),
            mouth=mouth,
            teeth=3 if mouth == "teeth" else 0,
            lower_lip=r(-0.25, 0.25) if chance(0.45) else None,
            eyes=eyes_pair,
            eye_y=eye_y,
            eye_gap=r(0.26, 0.4),
            eye_skew=r(-0.025, 0.025),
            eye_size=r(0.1, 0.145),
            eye_open=r(0.6, 1.0),
            eye_tilt=r(-0.02, 0.04),
            gaze=r(-1.0, 1.0),
            brows=(r(0.15, 0.24), r(0.01, 0.06), r(-0.04, 0.04), r(0.2, 0.3)) if chance(0.8) else None,
            brow_raise=(r(0.0, 0.04), 0.0) if chance(0.5) else (0.0, r(0.0, 0.04)),
            nose=pick(["none", "hook", "wing", "line"], [0.3, 0.3, 0.2, 0.2]),
            nose_side=side,
            nose_bottom=r(corner + 0.12, eye_y - 0.14),
            cheeks=pick(["none", "laugh lines", "dimples", "cheekbones"], [0.3, 0.25, 0.25, 0.2]),
            crows_feet=int(rng.choice([0, 2, 3], p=[0.65, 0.2, 0.15])),
            freckles=freckles,
            jaw=chance(0.2),
            jaw_side=-side,
            sparkle=(side * r(0.76, 0.82), r(0.66, 0.72), r(0.055, 0.08), r(-0.4, 0.4)) if chance(0.25) else None,
            weight=r(0.05, 0.072),
            taper=r(0.35, 0.85),
            wobble=r(0.003, 0.018),
            rhythm=(r(1.0, 3.0), r(0.0, 0.2) if chance(0.6) else 0.0),
            tilt=r(-0.1, 0.1),
            phase=tuple(float(p) for p in rng.uniform(0, 2 * np.pi, 6)),
        )

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        mouth = self.mouth_line()
        return mouth[0], mouth[-1]

    def mouth_line(self, expression: Expression = Expression()) -> np.ndarray:
        """The smile's main curve, corner to corner, before the hand."""
        return mouth_curve(self, expression)

    def parts(self, pose: str | None = None) -> list[tuple[str, Stroke]]:
        """Every stroke with the part of the face it draws, at rest or in one of POSES."""
        expression = Expression(**{pose: 1.0}) if pose else Expression()
        return [(line.part, Stroke(self._hand(line.points), self._radii(line, n))) for n, line in enumerate(draw(self, expression))]

    def strokes(self, pose: str | None = None) -> list[Stroke]:
        """All the ink, wobbled, tilted and weighted, ready to sample."""
        return [stroke for _, stroke in self.parts(pose)]

    def _hand(self, points: np.ndarray) -> np.ndarray:
        """A tremor of the hand, the same for every stroke of this face, then the tilt; the face is
        drawn a little larger and higher than face.py's layout, to fill the glyph's square."""
        p = self.phase
        points = np.asarray(points, np.float32)
        wobble = self.wobble * np.stack(
            [np.sin(points[:, 1] * 7.0 + p[0]) + np.sin(points[:, 0] * 13.0 + p[1]) * 0.5,
             np.sin(points[:, 0] * 9.0 + p[2]) + np.sin(points[:, 1] * 11.0 + p[3]) * 0.5],
            axis=1,
        )
        c, s = np.cos(self.tilt), np.sin(self.tilt)
        return ((points + wobble) * FILL + (0.0, 0.06)) @ np.array([[c, s], [-s, c]], np.float32)

    def _radii(self, line: Line, n: int) -> np.ndarray:
        """A brush's pressure: it swells where it presses (each stroke a little elsewhere) and tapers
        to its ends; sparkles always come to points."""
        if not isinstance(line.swell, float):
            return self.weight * line.weight * line.swell
        t = np.linspace(0.0, 1.0, len(line.points))
        swell = float(np.clip(line.swell + 0.12 * np.sin(self.phase[5] + 2.4 * n), 0.2, 0.8))
        amount = 1.0 if line.part == "sparkle" else self.taper
        press = np.sin(np.pi * t ** (np.log(0.5) / np.log(swell))) ** 0.6
        pulses, depth = self.rhythm
        rhythm = 1.0 + depth * np.sin(2 * np.pi * pulses * t + self.phase[4])
        return self.weight * line.weight * np.maximum(1.0 - amount + amount * press, 0.2) * rhythm


def smile_glyph(text: str, sdf: np.ndarray | None = None) -> Glyph:
    """The glyph of a name or a story, with its poses; `sdf`, its distance field where it is known."""
    spec = SmileSpec.from_text(text)
    poses = {pose: spec.strokes(pose) for pose in POSES}
    return Glyph.from_strokes(text.strip(), spec.strokes(), seed=text_seed(text), poses=poses, sdf=sdf)
