"""Smile glyphs from text: a name or a story always draws the same face, and no one else's.

The text's hash seeds every choice, spent on what makes faces human and distinct: how the
head turns, the face's shape (round, long, heart, a square jaw) and age, the hair's style and line,
a beard, a moustache or stubble, glasses, earrings, the neck and the line of the shoulders (a bust:
a person, not a floating mask); eyes open or resting closed (or a
wink), their height, spacing, tilt and gaze, the iris; brows; the nose; the smile's width,
sag and crookedness, lips with a cupid's bow, closed, parted or showing the teeth's edge; laugh
lines, dimples or cheekbones, crow's feet, freckles, an ear; and the hand: a brush's weight,
swell and taper, tremor and tilt. Every choice stays inside what reads as a smile: corners
above the middle.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from neoterra_glow.glyphs.face import BODY, MOUTH_Y, Expression, Line, draw, forehead, mouth_curve
from neoterra_glow.glyphs.glyph import POSES, Glyph
from neoterra_glow.glyphs.shade import shade
from neoterra_glow.glyphs.strokes import Stroke

FILL = 1.0  # face.py's bust spans about -1.23..1.0 in y
LIFT = 0.12  # and sits this much higher in the glyph, so the shoulders fit under it
PIVOT = (0.0, -0.9)  # the head tilts on the neck; the shoulders stay level
SHAPES = {  # the face's shape: the cheeks' half-width, the chin's height, a square jaw, the chin's width
    "round": ((0.63, 0.67), (-0.86, -0.82), (0.0, 0.25), 0.32),
    "long": ((0.5, 0.54), (-0.99, -0.96), (0.2, 0.5), 0.24),
    "heart": ((0.6, 0.65), (-0.95, -0.9), (0.0, 0.1), 0.14),
    "square": ((0.6, 0.64), (-0.92, -0.88), (0.85, 1.0), 0.4),
}

MOUTHS = {  # each smile's half-width, sag (in widths), corners' lift, the teeth's edge, an open jaw, and how often it is drawn
    "closed": ((0.17, 0.25), (0.7, 0.95), (0.06, 0.1), None, None, 0.14),
    "half": ((0.2, 0.25), (0.9, 1.1), (0.06, 0.1), None, None, 0.13),
    "lopsided": ((0.23, 0.32), (0.9, 1.1), (0.06, 0.1), None, None, 0.15),
    "soft": ((0.17, 0.36), (0.8, 1.0), (0.07, 0.11), None, (0.045, 0.07), 0.36),  # lips parted, no teeth: a small D
    "grin": ((0.31, 0.37), (0.9, 1.1), (0.09, 0.13), (0.06, 0.08), None, 0.11),
    "laugh": ((0.27, 0.32), (0.8, 1.0), (0.1, 0.13), (0.06, 0.08), (0.11, 0.15), 0.11),
}  # two fifths closed lips, a third parted, a fifth with teeth: 38% showed teeth and none were parted when grins came as often
# as the rest; with a third, 41% of 85 common first names still did, and the presets' faces grinned

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
    opening: float  # 0 (closed lips) or how far the teeth's edge shows above where the lips meet
    lower_lip: float  # the lower lip's fullness
    lower_lip_shift: float  # where it is fullest, in mouth widths from the middle
    eyes: tuple[str, str]  # open or closed, left and right (one closed beside an open one: a wink)
    eye_y: float
    eye_gap: float
    eye_skew: float  # one eye a little higher
    eye_size: float  # half an eye's width
    eye_open: float  # 0..1: how wide an open eye opens
    eye_tilt: float  # the outer corners up or down
    gaze: float  # -1..1: where the irises look
    iris: float  # the iris's size, in stroke weights
    brows: tuple[float, float, float, float]  # height above the eyes, arch, inner end's slope, length
    brow_raise: tuple[float, float]  # one brow higher than the other
    brow_weight: float
    nose: str  # bridge, short or tip: how much of the bridge shows above the tip's curl
    nose_side: float  # -1 or 1: the side its shade falls on
    nose_bottom: float
    cheeks: str  # none, laugh lines, dimples or cheekbones
    crows_feet: int  # lines at the outer corners of the eyes
    freckles: tuple[tuple[float, float], ...]
    turn: float  # radians the head turns (the features shift towards the far side)
    near_side: float  # -1 or 1: the side whose contour is drawn whole
    cheek: float  # the head's half-width at the cheekbones
    chin: float  # the chin's height
    jaw_square: float  # 0..1: a round jaw to a square one
    far_cheek: bool  # the far side's cheek drawn too
    ear: bool  # the near ear shows
    hair: str  # swept, parted, curls, long, cropped, bun, afro, fringe, shaved or headscarf
    hairline: float  # the hair's edge over the forehead
    weight: float  # stroke radius
    taper: float  # 0..1: how much strokes thin towards their ends
    wobble: float  # amplitude of the hand's tremor
    rhythm: tuple[float, float]  # pulses along a stroke, and how much the width pulses
    tilt: float  # radians
    phase: tuple[float, ...]  # phases for wobble, rhythm and each stroke's swell
    shape: str = "round"  # round, long, heart or square (SHAPES)
    chin_width: float = 0.28  # how far the jaw's curve reaches round the chin: narrow in a heart
    age: str = "adult"  # young, adult or older: lines on the forehead and under the eyes, a softer jaw
    facial_hair: str = "none"  # none, stubble, moustache or beard
    stubble: tuple[tuple[float, float], ...] = ()  # where the stipple of a beard or stubble falls
    glasses: str = "none"  # none, round or square
    earrings: str = "none"  # none, hoops or studs
    shoulders: tuple[float, float] = (0.95, 0.16)  # how far they reach and how much they slope
    neckline: str = "crew"  # crew, v, scoop or open
    mouth: str = "grin"  # closed, half, lopsided, soft, grin or laugh (MOUTHS): the kind of smile
    drop: float = 0.0  # an open mouth (soft, laugh): how far the lower lip hangs below where the lips meet
    brow_kind: str = "arched"  # straight, arched or angled
    nose_width: float = 1.0  # the nose's wings, against a middling nose

    @classmethod
    def from_text(cls, text: str) -> SmileSpec:
        rng = np.random.default_rng(text_seed(text))
        r = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731 - reads as a range
        chance = lambda p: bool(rng.random() < p)  # noqa: E731
        pick = lambda options, p: str(rng.choice(options, p=p))  # noqa: E731
        lift = r(0.07, 0.13)
        crooked = min(0.03, lift - 0.05)  # one corner may rise more, but neither drops
        asymmetry = r(-crooked, crooked) if chance(0.7) else 0.0
        eyes = pick(["open", "closed", "wink"], [0.72, 0.18, 0.1])
        eyes_pair = (eyes, eyes) if eyes != "wink" else (("open", "closed") if chance(0.5) else ("closed", "open"))
        eye_y = r(-0.03, 0.05)
        side = 1.0 if chance(0.5) else -1.0
        turn = r(0.05, 0.22) * (-side if chance(0.8) else side)
        freckles: tuple[tuple[float, float], ...] = ()
        if chance(0.3):
            count = int(rng.integers(6, 12))
            xs = rng.uniform(-0.36, 0.36, count)
            freckles = tuple((float(x), float(eye_y - 0.16 - 0.08 * abs(x) + rng.uniform(-0.04, 0.04))) for x in xs)
        width = r(0.24, 0.32)
        base: dict[str, Any] = dict(
            width=width,
            sag=r(0.75, 1.1) * width * 0.4,
            lift=(lift + asymmetry, lift - asymmetry),
            skew=r(-0.6, 0.6),
            fullness=r(0.2, 1.0),
            opening=r(0.05, 0.075) if chance(0.45) else 0.0,
            lower_lip=r(0.08, 0.11),
            lower_lip_shift=r(-0.12, 0.12),
            eyes=eyes_pair,
            eye_y=eye_y,
            eye_gap=r(0.22, 0.27),
            eye_skew=r(-0.015, 0.015),
            eye_size=r(0.1, 0.125),
            eye_open=r(0.65, 1.0),
            eye_tilt=r(-0.015, 0.035),
            gaze=r(-1.0, 1.0),
            iris=r(1.4, 1.9),
            brows=(r(0.16, 0.21), r(0.015, 0.05), r(-0.03, 0.03), r(0.2, 0.27)),
            brow_raise=(r(0.0, 0.03), 0.0) if chance(0.5) else (0.0, r(0.0, 0.03)),
            brow_weight=r(0.75, 1.05),
            nose=pick(["bridge", "short", "tip"], [0.5, 0.3, 0.2]),
            nose_side=-1.0 if turn > 0 else 1.0,
            nose_bottom=r(-0.33, -0.27),
            cheeks=pick(["none", "laugh lines", "dimples", "cheekbones"], [0.42, 0.22, 0.18, 0.18]),  # lines on 71% of 310 names, was 80%
            crows_feet=int(rng.choice([0, 2, 3], p=[0.65, 0.2, 0.15])),
            freckles=freckles,
            turn=turn,
            near_side=-1.0 if turn > 0 else 1.0,
            cheek=r(0.56, 0.64),
            chin=r(-0.95, -0.88),
            jaw_square=r(0.0, 1.0),
            far_cheek=chance(0.6),
            ear=chance(0.5),
            hair=pick(["swept", "parted", "curls", "long", "cropped", "bun", "afro", "fringe", "shaved", "headscarf"],
                      [0.12, 0.1, 0.1, 0.12, 0.08, 0.1, 0.09, 0.1, 0.07, 0.12]),
            hairline=r(0.5, 0.62),
            weight=r(0.042, 0.055),
            taper=r(0.35, 0.85),
            wobble=r(0.002, 0.01),
            rhythm=(r(1.0, 3.0), r(0.0, 0.15) if chance(0.6) else 0.0),
            tilt=r(-0.08, 0.08),
            phase=tuple(float(p) for p in rng.uniform(0, 2 * np.pi, 6)),
        )
        base.update(_person(rng, base))
        base.update(_character(np.random.default_rng([text_seed(text), 7]), base))
        return cls(**base)

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        mouth = self.mouth_line()
        return mouth[0], mouth[-1]

    def mouth_line(self, expression: Expression = Expression()) -> np.ndarray:
        """The smile's main curve, corner to corner, before the hand."""
        return mouth_curve(self, expression)

    def forehead(self) -> np.ndarray:
        """The forehead's top corners under the hairline, as drawn (face.forehead)."""
        return self._hand(forehead(self))

    def parts(self, pose: str | None = None) -> list[tuple[str, Stroke]]:
        """Every stroke with the part of the face it draws, at rest or in one of POSES."""
        expression = Expression(**{pose: 1.0}) if pose else Expression()
        return [(line.part, Stroke(self._hand(line.points, line.part in BODY), self._radii(line, n), line.density))
                for n, line in enumerate(draw(self, expression) + shade(self, expression))]

    def glyph(self, name: str, seed: int, sdf: np.ndarray | None = None) -> Glyph:
        """This face as the swarm draws it, with its poses; `sdf`, its distance field where it is known."""
        poses = {pose: self.strokes(pose) for pose in POSES}
        return Glyph.from_strokes(name, self.strokes(), seed=seed, poses=poses, sdf=sdf)

    def strokes(self, pose: str | None = None) -> list[Stroke]:
        """All the ink, wobbled, tilted and weighted, ready to sample."""
        return [stroke for _, stroke in self.parts(pose)]

    def _hand(self, points: np.ndarray, level: bool = False) -> np.ndarray:
        """A tremor of the hand, the same for every stroke of this face, then the head's tilt on the
        neck (not for the shoulders: `level`); the bust is fitted into the glyph's square."""
        p = self.phase
        points = np.asarray(points, np.float32)
        wobble = self.wobble * np.stack(
            [np.sin(points[:, 1] * 7.0 + p[0]) + np.sin(points[:, 0] * 13.0 + p[1]) * 0.5,
             np.sin(points[:, 0] * 9.0 + p[2]) + np.sin(points[:, 1] * 11.0 + p[3]) * 0.5],
            axis=1,
        )
        tilt = 0.0 if level else self.tilt
        c, s = np.cos(tilt), np.sin(tilt)
        return ((points + wobble - PIVOT) @ np.array([[c, s], [-s, c]], np.float32) + PIVOT) * FILL + (0.0, LIFT)

    def _radii(self, line: Line, n: int) -> np.ndarray:
        """A brush's pressure: it swells where it presses (each stroke a little elsewhere) and tapers
        to its ends."""
        if not isinstance(line.swell, float):
            return self.weight * line.weight * line.swell
        t = np.linspace(0.0, 1.0, len(line.points))
        swell = float(np.clip(line.swell + 0.12 * np.sin(self.phase[5] + 2.4 * n), 0.2, 0.8))
        amount = self.taper
        press = np.sin(np.pi * t ** (np.log(0.5) / np.log(swell))) ** 0.6
        pulses, depth = self.rhythm
        rhythm = 1.0 + depth * np.sin(2 * np.pi * pulses * t + self.phase[4])
        return self.weight * line.weight * np.maximum(1.0 - amount + amount * press, 0.2) * rhythm


def _person(rng: np.random.Generator, base: dict) -> dict:
    """Who the face belongs to, drawn after every other choice (so a name keeps its eyes and smile):
    the face's shape, remapped from the cheek, chin and jaw already drawn, age, facial hair, glasses,
    earrings and the shoulders. Returns what it sets or changes."""
    shape = str(rng.choice(list(SHAPES), p=[0.3, 0.25, 0.2, 0.25]))
    cheek, chin, square, chin_width = SHAPES[shape]
    remap = lambda value, lo, hi, span: span[0] + (value - lo) / (hi - lo) * (span[1] - span[0])  # noqa: E731
    age = str(rng.choice(["young", "adult", "older"], p=[0.35, 0.4, 0.25]))
    facial_hair = str(rng.choice(["none", "stubble", "moustache", "beard"], p=[0.64, 0.1, 0.1, 0.16]))
    if base["hair"] == "headscarf":
        facial_hair = "none"
    glasses = str(rng.choice(["none", "round", "square"], p=[0.72, 0.14, 0.14]))
    earrings = str(rng.choice(["none", "hoops", "studs"], p=[0.7, 0.15, 0.15]))
    shoulders = (float(rng.uniform(0.8, 0.9)), float(rng.uniform(0.05, 0.1)))
    neckline = str(rng.choice(["crew", "v", "scoop", "open"], p=[0.3, 0.25, 0.25, 0.2]))
    jaw = remap(base["jaw_square"], 0.0, 1.0, square) * (0.5 if age == "older" else 1.0)
    out = dict(shape=shape, chin_width=chin_width, age=age, facial_hair=facial_hair, glasses=glasses, earrings=earrings,
               shoulders=shoulders, neckline=neckline, cheek=remap(base["cheek"], 0.56, 0.64, cheek),
               chin=remap(base["chin"], -0.95, -0.88, chin), jaw_square=jaw)
    if age == "young":
        out["crows_feet"] = 0
    elif age == "older":
        out["crows_feet"] = max(base["crows_feet"], 2)
        out["cheeks"] = "laugh lines" if base["cheeks"] == "none" else base["cheeks"]
    if earrings != "none":
        out["ear"] = base["hair"] != "headscarf"
        out["earrings"] = earrings if out["ear"] else "none"
    if facial_hair in ("stubble", "beard"):  # a stipple over the jaw, clear of the mouth
        count = 70 if facial_hair == "beard" else 48
        xs, ys = rng.uniform(-1.0, 1.0, 3 * count), rng.uniform(0.0, 1.0, 3 * count)
        width, low = out["cheek"] * 0.8, out["chin"] + 0.05
        y = low + ys * (base["nose_bottom"] - 0.08 - low)
        x = xs * width * np.sqrt(np.clip(1.0 - ((base["nose_bottom"] - 0.08 - y) / (base["nose_bottom"] - 0.08 - low)) ** 2 * 0.7, 0, 1))
        clear = (np.abs(x) > base["width"] + 0.1) | (y < MOUTH_Y - 0.2)
        out["stubble"] = tuple((float(a), float(b)) for a, b in zip(x[clear][:count], y[clear][:count], strict=True))
    return out


def _character(rng: np.random.Generator, base: dict) -> dict:
    """What tells one person from the next at a glance, from a stream of its own (so a name keeps its
    hair, shape and age): the kind of smile and its width, the brows' kind and height, the eyes'
    spacing and size, the nose's width. A mouth stays about as wide as the eyes are apart, and the
    mouth and eyes inside a narrow face's cheeks, as in a real face."""
    r = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731
    mouth = str(rng.choice(list(MOUTHS), p=[kind[-1] for kind in MOUTHS.values()]))
    (w_lo, w_hi), sag, (lift_lo, lift_hi), opening, drop, _ = MOUTHS[mouth]
    size = r(0.1, 0.135)
    gap = r(max(0.205, 1.9 * size), 0.29)  # an eye's width or more between the eyes
    fit = min(1.0, 0.72 * base["cheek"] / (gap + size))
    gap, size = gap * fit, size * fit
    width = min(max(r(w_lo, w_hi), 0.8 * (gap + 0.3 * size)), 0.54 * base["cheek"] - 0.25 * abs(base["turn"]))  # turned: far cheek nears
    lift = r(lift_lo, lift_hi)
    low, high = lift - r(0.0, 0.01), lift + r(0.0, 0.01)
    if mouth in ("half", "lopsided"):  # one corner drawn up into the cheek, the other barely lifted
        low, high = r(0.085, 0.095), r(0.15, 0.18) if mouth == "lopsided" else r(0.13, 0.15)
    left_up = bool(rng.random() < 0.5)
    out = dict(mouth=mouth, width=width, sag=r(*sag) * width * 0.4, lift=(high, low) if left_up else (low, high),
               opening=r(*opening) if opening else 0.0, drop=r(*drop) if drop else 0.0, eye_gap=gap, eye_size=size,
               brow_kind=str(rng.choice(["straight", "arched", "angled"])), nose_width=r(0.8, 1.45))
    out["skew"] = (-0.35 if left_up else 0.35) if mouth in ("half", "lopsided") else base["skew"]
    out["fullness"] = r(0.75, 1.0) if mouth in ("grin", "laugh") else r(0.35, 0.7) if mouth == "soft" else r(0.1, 0.55)
    out["brows"] = (r(0.13, 0.24), {"straight": r(0.0, 0.012), "arched": r(0.05, 0.075), "angled": r(0.035, 0.055)}[out["brow_kind"]],
                    base["brows"][2], base["brows"][3])
    if base.get("stubble"):  # a beard's stipple clear of this mouth
        out["stubble"] = tuple((x, y) for x, y in base["stubble"] if abs(x) > width + 0.1 or y < MOUTH_Y - 0.2)
    return out


def smile_glyph(text: str, sdf: np.ndarray | None = None) -> Glyph:
    """The glyph of a name or a story, with its poses; `sdf`, its distance field where it is known."""
    if sdf is None:
        return _drawn(text)
    return SmileSpec.from_text(text).glyph(text.strip(), text_seed(text), sdf)


@functools.lru_cache(maxsize=64)  # about 0.3 MB each
def _drawn(text: str) -> Glyph:
    """A name's glyph, drawn once (about a second of Python under load): a show loads its preset's faces again with
    each piece and scene. A glyph is never changed once made."""
    return SmileSpec.from_text(text).glyph(text.strip(), text_seed(text), None)
