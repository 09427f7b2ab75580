"""A smile's face drawn as a line portrait, at rest or in a pose (a blink, a laugh, turning tender).

A portrait, not an emoji: a head turned a little, one cheek's contour down to the chin, hair,
brows over almond eyes with irises, a nose's bridge and wing, lips with a cupid's bow. Features
keep human proportions (eyes halfway down the head, a mouth about as wide as the eyes are
apart), so that at projection distance the line reads as someone.

Every pose draws the same lines with the same number of points, only in other places, so the
bots placed on the face at rest know where to go in each pose (glyph.Glyph.from_strokes).
Coordinates are glyph units, y up, before the hand's tremor and tilt (SmileSpec.hand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from neoterra_glow.glyphs.strokes import bezier

if TYPE_CHECKING:
    from neoterra_glow.glyphs.smile import SmileSpec

MOUTH_Y = -0.5
BODY = ("neck", "shoulders")  # parts that stay level when the head tilts
HEAD = 0.62  # the head's half-width at the eyes: features on its round turn with it


class Expression(NamedTuple):
    """How much of each pose a face shows, 0..1 (glyph.POSES)."""

    blink: float = 0.0
    laugh: float = 0.0
    tender: float = 0.0


class Line(NamedTuple):
    """One brush line before the hand: its part of the face, points, weight (times the hand's),
    where the brush presses hardest (0..1 along it) or its own radius at each point (times weight),
    and its bots per area against the rest's (strokes.Stroke.density: below 1 a shade's stipple)."""

    part: str
    points: np.ndarray
    weight: float
    swell: float | np.ndarray = 0.45
    density: float = 1.0


def turned(spec: SmileSpec, points) -> np.ndarray:
    """Points on the face's front as seen with the head turned by spec.turn (radians): each lies on a
    cylinder of the head's width, so the far side narrows and the features shift towards it."""
    points = np.array(points, np.float32).reshape(-1, 2)
    angle = np.arcsin(np.clip(points[:, 0] / HEAD, -1.0, 1.0))
    points[:, 0] = HEAD * np.sin(np.clip(angle + spec.turn, -np.pi / 2, np.pi / 2))
    return points


def _iris(spec: SmileSpec, centre, size: float, blink: float) -> list[Line]:
    """An iris's ring hanging under the upper lid (the lid hides its top) round a dark pupil with a
    catchlight's glint: an eye that looks, not a glowing disc. The ring is lit no denser than a face's
    lines and dimmer than the lid over it (a darker iris), the glint a small point a little denser;
    a blink squashes them onto the lid."""
    wide, flat = 1.0 + 0.4 * blink, 1.0 - 0.92 * blink
    angle = np.radians(np.linspace(55.0, -235.0, 30))
    ring = np.asarray(centre, np.float32) + size * np.stack([wide * np.cos(angle), flat * np.sin(angle)], 1)
    glint = np.asarray(centre, np.float32) + size * np.array([0.3 * wide, 0.25 * flat], np.float32)
    thin = (1.0 - 0.6 * blink) * min(1.0, size / 0.05)  # under the closing lid; a small iris's ring thinner, its pupil still dark
    return [Line("eye", ring, 0.5 * thin, 0.55, 0.8), Line("eye", glint[None], 0.3 * thin, np.ones(1), 2.0)]


def mouth_curve(spec: SmileSpec, e: Expression) -> np.ndarray:
    """Where the lips meet, corner to corner, sagging in the middle; a laugh lifts the corners and
    opens it, tenderness makes it smaller and softer, corners a little lower."""
    width = spec.width * (1.0 + 0.1 * e.laugh - 0.14 * e.tender)
    sag = spec.sag * (1.0 + 1.0 * e.laugh - 0.3 * e.tender)
    lift = np.array(spec.lift) * (1.0 - 0.4 * e.tender) + 0.09 * e.laugh
    left = np.array([-width, MOUTH_Y + lift[0]], np.float32)
    right = np.array([width, MOUTH_Y + lift[1]], np.float32)
    pull = (0.75 - 0.55 * spec.fullness) * width
    drop = sag / 0.75  # a cubic's middle reaches 3/4 of the way to its control points
    lean = spec.skew * 0.35
    c1 = (left[0] + pull * (1 - lean), left[1] - drop * (1 + lean * 0.5))
    c2 = (right[0] - pull * (1 + lean), right[1] - drop * (1 - lean * 0.5))
    return bezier(left, c1, c2, right, 64)


def draw(spec: SmileSpec, e: Expression) -> list[Line]:
    """Every line of the face in expression `e`: the features turned with the head, then the head."""
    features = (_mouth(spec, e) + _eyes(spec, e) + _brows(spec, e) + _nose(spec) + _cheeks(spec, e) + _marks(spec, e)
                + _facial_hair(spec, e) + _glasses(spec))
    head = _head(spec, e)
    return [line._replace(points=turned(spec, line.points)) for line in features] + head + _bust(spec, head[0].points)


def _along(curve: np.ndarray, xs: np.ndarray) -> np.ndarray:
    return np.interp(xs, curve[:, 0], curve[:, 1])


def _dome(s: np.ndarray, power: float) -> np.ndarray:
    """1 in the middle (s = 0) falling to 0 at the ends (s = -1, 1)."""
    return np.clip(1.0 - s**2, 0.0, 1.0) ** power


def _mouth(spec: SmileSpec, e: Expression) -> list[Line]:
    """Where the lips meet and the lower lip as a short curve below, as a portraitist draws a smile:
    an upper lip's outline would read as a moustache at a distance. A grin or a laugh shows the
    teeth's edge as a second, gentler line above where the lips meet; parted lips (a soft smile, a
    laugh) let the lower lip hang from corner to corner."""
    mouth = mouth_curve(spec, e)
    width = abs(mouth[-1, 0] - mouth[0, 0]) / 2
    lines = [Line("mouth", mouth, 1.0, 0.5 + spec.skew * 0.15)]
    xs = np.linspace(-1.0, 1.0, 40) * width * 0.9
    top = _along(mouth, xs)
    if spec.opening > 0.0:  # the mouth's upper edge: the teeth under the upper lip, short of the corners
        opening = spec.opening * (1.0 + 0.8 * e.laugh - 0.3 * e.tender)
        top = top + opening * _dome(xs / width, 0.6)
        lines.append(Line("bite", np.column_stack([xs, top]), 0.5, 0.5))
    if spec.drop > 0.0:  # an open jaw: the lower lip hangs from corner to corner, the mouth a D (a soft smile's a shallow one)
        low_xs = np.linspace(-0.82, 0.82, 24) * width
        drop = spec.drop * (1.0 + 0.5 * e.laugh - 0.5 * e.tender)
        under = _along(mouth, low_xs) - 0.4 * spec.lower_lip - drop * _dome(low_xs / (0.82 * width), 0.8)
    else:
        low_xs = np.linspace(-0.5, 0.5, 24) * width + spec.lower_lip_shift * width
        under = _along(mouth, low_xs) - spec.lower_lip - 0.035 * _dome((low_xs - spec.lower_lip_shift * width) / (0.5 * width), 0.7)
    lines.append(Line("lower lip", np.column_stack([low_xs, under + 0.03 * e.tender]), 0.55, 0.5))
    return lines


def eye_centres(spec: SmileSpec) -> list[np.ndarray]:
    return [np.array([side * spec.eye_gap, spec.eye_y + side * spec.eye_skew], np.float32) for side in (-1, 1)]


def _eyes(spec: SmileSpec, e: Expression) -> list[Line]:
    lines = []
    size = spec.eye_size
    for side, kind, centre in zip((-1, 1), spec.eyes, eye_centres(spec), strict=True):
        x, y = centre
        y += 0.015 * e.laugh  # the cheeks push them up
        inner = np.array([x - side * size, y])
        outer = np.array([x + side * size, y + spec.eye_tilt])
        if kind == "closed":  # resting lids, lashes down, the lid's fold above
            sag = size * 0.28 * (1.0 + 0.3 * e.tender - 0.5 * e.laugh)
            lid = bezier(inner, inner + (side * size * 0.5, -sag), outer + (-side * size * 0.5, -sag), outer, 24)
            fold = bezier(inner + (side * size * 0.2, size * 0.3), inner + (side * size * 0.7, size * 0.55),
                          outer + (-side * size * 0.5, size * 0.5), outer + (side * size * 0.05, size * 0.2), 18)
            lines += [Line("eye", lid, 0.8, 0.55, 1.8), Line("eye", fold, 0.4, 0.5)]  # the lid dense for its size, as an open one's
            for t in (0.45, 0.65, 0.85):
                root = lid[int(t * (len(lid) - 1))]
                lines.append(Line("eye", np.linspace(root, root + (side * size * 0.12, -size * 0.22), 5), 0.35, 0.3, 2.0))
            continue
        # an open almond eye: an upper lid with its lashes' flick, a lighter lower lid, an iris under the lid
        up = size * 0.7 * spec.eye_open * (1.0 - 0.3 * e.laugh + 0.12 * e.tender)
        low = size * 0.42 * spec.eye_open * (1.0 - 0.8 * e.laugh + 0.1 * e.tender)
        shut = -0.2 * size * spec.eye_open  # where both lids meet when it closes
        up, low = up + (shut - up) * e.blink, low + (-shut - low) * e.blink
        upper = bezier(inner, inner + (side * size * 0.35, up * 1.33), outer + (-side * size * 0.45, up * 1.33), outer, 24)
        lash = size * (1.0 - 0.9 * e.blink)  # the lashes' flick folds down with the lid
        flick = bezier(outer, outer + (side * lash * 0.12, lash * 0.02), outer + (side * lash * 0.24, lash * 0.08),
                       outer + (side * lash * 0.3, lash * 0.16), 8)
        lower = bezier(outer + (-side * size * 0.08, -0.01), outer + (-side * size * 0.45, -low * 1.33),
                       inner + (side * size * 0.45, -low * 1.33), inner + (side * size * 0.2, 0.0), 18)
        lines += [Line("eye", np.concatenate([upper, flick[1:]]), 0.9 * (1.0 - 0.4 * e.blink), 0.4, 1.5), Line("eye", lower, 0.4, 0.5)]
        for t in (0.5, 0.68, 0.86):  # lashes off the lid's outer half, up and out; a blink folds them down with it
            root = upper[int(t * (len(upper) - 1))]
            tip = root + (side * size * (0.1 + 0.1 * e.blink), size * 0.24 * (1.0 - e.blink))
            lines.append(Line("eye", np.linspace(root, tip, 5), 0.4, 0.3, 2.0))
        look = x + spec.gaze * size * 0.25
        iris_y = y + up * 0.3 + 0.2 * shut * e.blink  # in a blink, along the closed lids
        grow = 1.0 + 0.12 * e.tender  # tender eyes glisten wider
        lines += _iris(spec, (look, iris_y), spec.eye_size * 0.42 * spec.iris / 1.65 * grow, e.blink)
    return lines


def _brows(spec: SmileSpec, e: Expression) -> list[Line]:
    height, arch, slope, length = spec.brows
    lines = []
    for side, centre, raised in zip((-1, 1), eye_centres(spec), spec.brow_raise, strict=True):
        x, y = centre
        y += height + raised + 0.025 * e.laugh - 0.012 * e.blink
        inner = np.array([x - side * spec.eye_size * 1.05, y + slope + 0.09 * e.tender])
        outer = np.array([x + side * (length - spec.eye_size * 1.05), y - 0.03 - 0.02 * e.tender])
        bend = arch * (1.0 - 0.3 * e.tender)
        if spec.brow_kind == "angled":  # rising to a peak two thirds out, then falling straight: a corner, not a curve
            t = np.linspace(0.0, 1.0, 24)[:, None]
            brow = inner + t * (outer - inner) + np.array([0.0, 1.4 * bend]) * np.minimum(t / 0.65, (1.0 - t) / 0.35)
        else:
            brow = bezier(inner, inner + (outer - inner) * 0.3 + (0, bend * 1.3), inner + (outer - inner) * 0.7 + (0, bend * 1.3),
                          outer, 24)
        radii = np.linspace(1.0, 0.45, len(brow)) ** 0.7  # thick at the inner end, thinning outwards, as brows grow
        lines.append(Line("brow", brow, spec.brow_weight, radii))
    return lines


def _nose(spec: SmileSpec) -> list[Line]:
    """The bridge's shade down one side (or only its start), and always the tip's curl round a nostril."""
    side, bottom, w = spec.nose_side, spec.nose_bottom, spec.nose_width
    top = spec.eye_y + 0.02
    tip = np.array([side * 0.015, bottom + 0.02])
    wing = bezier((side * 0.085 * w, bottom + 0.09), (side * 0.15 * w, bottom + 0.03), (side * 0.09 * w, bottom - 0.035),
                  (-side * 0.02, bottom), 22)
    nostril = bezier((-side * 0.05 * w, bottom + 0.005), (-side * 0.075 * w, bottom - 0.005), (-side * 0.095 * w, bottom + 0.02),
                     (-side * 0.09 * w, bottom + 0.045), 8)
    lines = [Line("nose", wing, 0.6, 0.45), Line("nose", nostril, 0.4)]
    if spec.nose == "bridge":  # from under the brow down to the tip
        bridge = bezier((side * 0.1, top), (side * 0.06, (2 * top + bottom) / 3), (side * 0.07, (top + 2 * bottom) / 3),
                        tip + (side * 0.06, 0.07), 24)
        lines.append(Line("nose", bridge, 0.5, 0.3))
    elif spec.nose == "short":  # only the bridge's start, under the brow
        lines.append(Line("nose", bezier((side * 0.1, top), (side * 0.075, top - 0.06), (side * 0.07, top - 0.11),
                                         (side * 0.075, top - 0.16), 10), 0.45, 0.3))
    return lines


def _fading(count: int, power: float) -> np.ndarray:
    """A light line's swell along its `count` points, fullest in the middle and fading to 0.15 of that at both ends
    (`power` under 1 keeps it full longer)."""
    return np.clip(np.sin(np.pi * np.linspace(0.0, 1.0, count)), 0.15, 1.0) ** power


def _cheeks(spec: SmileSpec, e: Expression) -> list[Line]:
    """A smile's soft mark on each cheek, lighter than the features and fading at both ends: a short
    crease round the corner of the mouth, a dimple, or the round under a cheekbone. Curators read
    laugh lines from the nose's wing down past the mouth (up to 0.35 long, as heavy as a lower lid) as
    slashes across the cheek."""
    lines = []
    rise = np.array([0.0, 0.04 * e.laugh - 0.01 * e.tender])
    soft = _fading(16, 0.8)
    for side, centre in zip((-1, 1), eye_centres(spec), strict=True):
        corner_x = side * spec.width * (1.0 + 0.1 * e.laugh - 0.14 * e.tender)
        corner_y = MOUTH_Y + spec.lift[(side + 1) // 2] + 0.08 * e.laugh
        if spec.cheeks == "laugh lines":  # round the corner of the mouth, a little out from it: ( )
            start = np.array([corner_x + side * 0.06, corner_y + 0.1]) + rise * 0.5
            end = np.array([corner_x + side * 0.07, corner_y - 0.03]) + rise * 0.3
            crease = bezier(start, start + (side * 0.04, -0.03), end + (side * 0.04, 0.03), end, 16)
            lines.append(Line("cheek", crease, 0.32, soft))
        elif spec.cheeks == "dimples":
            centre_d = np.array([corner_x + side * 0.07, corner_y]) + rise * 0.3
            angle = np.linspace(-0.9, 0.9, 16) + (0.0 if side > 0 else np.pi)
            lines.append(Line("cheek", centre_d + 0.05 * np.stack([np.cos(angle), np.sin(angle)], 1), 0.35, soft))
        elif spec.cheeks == "cheekbones":  # the round of the cheek under the outer corner of the eye
            x, y = centre + (side * 0.08, -0.16) + rise
            arc = bezier((x - side * 0.05, y + 0.005), (x - side * 0.01, y - 0.02), (x + side * 0.04, y - 0.015),
                         (x + side * 0.07, y + 0.015), 16)
            lines.append(Line("cheek", arc, 0.3, soft))
    return lines


def _marks(spec: SmileSpec, e: Expression) -> list[Line]:
    """What a life leaves: crow's feet, freckles, a mole."""
    lines = []
    if spec.crows_feet:
        for side, centre in zip((-1, 1), eye_centres(spec), strict=True):
            start = centre + (side * (spec.eye_size + 0.06), 0.0 + 0.015 * e.laugh)
            for turn in (-0.5, -0.05, 0.4)[: spec.crows_feet]:
                length = 0.055 * (1.0 + 0.35 * e.laugh - 0.3 * e.tender)
                direction = np.array([side * np.cos(turn), np.sin(turn)])
                lines.append(Line("crow's feet", np.linspace(start, start + direction * length, 6), 0.35, 0.25))
    if spec.age == "older":  # a crease or two across the forehead, and the fold under each open eye
        rest = spec.eye_y + spec.brows[0] + 0.13
        top = rest + 0.02 * e.laugh + 0.03 * e.tender
        for rise, half in ((0.0, 0.24), (0.06, 0.17))[: 2 if spec.hairline > rest + 0.14 else 1]:  # as many lines in every pose
            lines.append(Line("forehead", bezier((-half, top + rise), (-half / 3, top + rise + 0.025), (half / 3, top + rise + 0.025),
                                                 (half, top + rise - 0.005), 18), 0.3, 0.3))
        for kind, centre in zip(spec.eyes, eye_centres(spec), strict=True):
            if kind == "open":
                x, y = centre - (0.0, spec.eye_size * 0.62 - 0.02 * e.laugh)
                size = spec.eye_size * 0.65
                lines.append(Line("eye bag", bezier((x - size, y + 0.02), (x - size / 3, y - 0.03), (x + size / 3, y - 0.03),
                                                    (x + size, y + 0.02), 12), 0.28, 0.35))
    for x, y in spec.freckles:
        lift = 0.03 * e.laugh if abs(x) > 0.12 else 0.0
        lines.append(Line("freckle", np.array([[x, y + lift]]), 0.38, np.ones(1)))
    return lines


def _facial_hair(spec: SmileSpec, e: Expression) -> list[Line]:
    """A moustache over the upper lip that follows the smile, and the stipple of a beard or stubble
    over the jaw (a beard: a moustache, the stipple and its edge round the mouth)."""
    lines = []
    mouth = mouth_curve(spec, e)
    width = abs(mouth[-1, 0] - mouth[0, 0]) / 2
    if spec.facial_hair in ("moustache", "beard"):
        opening = spec.opening * (1.0 + 0.8 * e.laugh - 0.3 * e.tender)
        for side in (-1, 1):  # each half thickest by the philtrum, thinning to the corner
            xs = side * np.linspace(0.025, 1.05, 20) * width
            ys = _along(mouth, np.clip(xs, -width, width)) + opening * _dome(xs / width, 0.6) + 0.095 - 0.04 * (xs / width) ** 2
            lines.append(Line("moustache", np.column_stack([xs, ys]), 1.5, np.linspace(0.8, 0.3, 20)))
    if spec.facial_hair == "beard":  # the beard's edge under the lower lip, from one corner round the chin to the other
        low = MOUTH_Y - 0.2 - spec.sag * 0.3 * e.laugh
        edge = bezier((-width - 0.1, mouth[0, 1] + 0.02), (-width - 0.05, low - 0.04), (width + 0.05, low - 0.04),
                      (width + 0.1, mouth[-1, 1] + 0.02), 30)
        lines.append(Line("beard", edge, 0.45, 0.4))
    for x, y in spec.stubble:
        lines.append(Line("stubble", np.array([[x, y + 0.02 * e.laugh * (y > MOUTH_Y - 0.15)]]), 0.3, np.ones(1)))
    return lines


def _glasses(spec: SmileSpec) -> list[Line]:
    """Two rims round the eyes, the bridge between them over the nose, and the near arm to the temple."""
    if spec.glasses == "none":
        return []
    power = 2.0 if spec.glasses == "round" else 5.0  # a circle, or a softened square (a superellipse)
    angle = np.linspace(0.0, 2.0 * np.pi, 40)
    ring = np.stack([np.sign(np.cos(angle)) * np.abs(np.cos(angle)) ** (2 / power),
                     np.sign(np.sin(angle)) * np.abs(np.sin(angle)) ** (2 / power)], 1)
    wide, tall = spec.eye_size * 1.75, spec.eye_size * (1.2 if spec.glasses == "round" else 1.0)  # dark glass round the eye, not goggles
    lines, inner = [], []
    for side, centre in zip((-1, 1), eye_centres(spec), strict=True):
        middle = centre + (side * spec.eye_size * 0.1, 0.01)
        lines.append(Line("glasses", middle + ring * (wide, tall), 0.4, 0.5))
        inner.append(middle + (-side * wide, tall * 0.3))
        if side == spec.near_side:
            temple = (side * (spec.cheek + 0.02), centre[1] + 0.02)
            lines.append(Line("glasses", np.linspace(middle + (side * wide, tall * 0.35), temple, 10),
                              0.35, 0.45))
    bridge = bezier(inner[0], inner[0] + (0.03, 0.03), inner[1] + (-0.03, 0.03), inner[1], 12)
    return lines + [Line("glasses", bridge, 0.4, 0.5)]


def _bust(spec: SmileSpec, jaw: np.ndarray) -> list[Line]:
    """The neck and shoulders sketched lightly under the face, so that a face is a person's: the
    neck's lines start on the `jaw`'s contour and fade towards its base, the shoulders start clear of them and fade
    out to the sides, and the neckline of what they wear sits low and wide on the chest, open at its ends. Curators
    read the neck's lines closed by a neckline across their base as a choker, and crossing the chin's line as a "#"."""
    reach, slope = spec.shoulders
    base = -1.06
    lines = []
    fade = np.linspace(1.0, 0.2, 16) ** 0.8  # full under the jaw, a fifth of that at the base
    hint = np.clip(np.sin(np.pi * np.linspace(0.0, 1.0, 24) ** 0.7), 0.2, 1.0)  # thin where it starts, fullest over the collarbone
    for side in (-1, 1):
        neck = 0.2 + 0.03 * spec.jaw_square
        if spec.hair != "headscarf":  # a scarf covers the neck and falls onto the shoulders
            under = jaw[jaw[:, 1] < -0.5]  # the jaw's lower curve, from its angle round the chin
            on_jaw = float(np.interp(side * neck, *under[np.argsort(under[:, 0])].T)) - 0.01
            lines.append(Line("neck", bezier((side * neck, on_jaw), (side * (neck - 0.01), min(on_jaw, spec.chin) - 0.06),
                                             (side * (neck - 0.02), base + 0.12), (side * (neck - 0.005), base + 0.05), 16), 0.4, fade))
        start = side * (neck + 0.12) if spec.hair != "headscarf" else side * (spec.cheek + 0.2)
        top = base - 0.01 + (0.0 if spec.hair != "headscarf" else 0.06)
        shoulder = bezier((start, top), (side * (neck + 0.32), base - 0.02), (side * (reach - 0.12), base - slope * 0.6),
                          (side * reach, base - slope - 0.03), 24)
        lines.append(Line("shoulders", shoulder, 0.4, hint))
    if spec.hair == "headscarf":
        return lines
    neck = 0.22
    low = base - 0.06
    ends = _fading(20, 0.7)  # a fold of cloth
    if spec.neckline == "crew":  # a round neck's edge across the chest, under the neck's faded base
        lines.append(Line("shoulders", bezier((-neck - 0.1, low), (-neck + 0.04, low - 0.09), (neck - 0.04, low - 0.09), (neck + 0.1, low),
                                              20), 0.3, ends))
    elif spec.neckline == "v":
        for side in (-1, 1):
            lines.append(Line("shoulders", np.linspace((side * (neck + 0.08), low + 0.02), (side * 0.02, low - 0.1), 20), 0.3, ends))
    elif spec.neckline == "scoop":
        scoop = bezier((-neck - 0.16, low + 0.02), (-neck, low - 0.14), (neck, low - 0.14), (neck + 0.16, low + 0.02), 20)
        lines.append(Line("shoulders", scoop, 0.3, ends))
    return lines


def _head(spec: SmileSpec, e: Expression) -> list[Line]:
    """The cheek's contour on the near side, from the temple round the jaw to the chin, the far
    cheek as a shorter, lighter line, and the hair; a laugh lifts the cheeks a little."""
    near = spec.near_side
    wide, chin, square = spec.cheek, spec.chin, spec.jaw_square
    narrow = 0.06 if spec.shape == "heart" else 0.0  # a heart narrows from the cheekbones to a small chin
    lift = np.array([0.0, 0.015 * e.laugh])
    far_x = -near * wide * np.cos(spec.turn) ** 2 * 0.92  # the far cheek narrows as the head turns away
    contour = np.concatenate([
        bezier((near * (wide - 0.04), 0.4), (near * (wide + 0.03), 0.15), (near * (wide + 0.02), -0.2),
               (near * (wide - 0.1 - 0.1 * (1 - square) - narrow), -0.55), 30),
        bezier((near * (wide - 0.1 - 0.1 * (1 - square) - narrow), -0.55), (near * (wide - 0.2 - 0.1 * (1 - square) - 2 * narrow), -0.78),
               (near * spec.chin_width, chin - 0.01), (-near * 0.02, chin), 24)[1:],
        bezier((-near * 0.02, chin), (-near * 0.1, chin + 0.005), (-near * 0.16, chin + 0.02), (-near * 0.2, chin + 0.05), 8)[1:],
    ]) + lift
    lines = [Line("jaw", contour, 0.6, 0.4)]
    if spec.far_cheek:
        cheek = bezier((far_x, 0.12), (far_x - near * 0.03, -0.1), (far_x + near * 0.02, -0.34), (far_x + near * 0.12, -0.58), 24)
        lines.append(Line("jaw", cheek + lift, 0.4, 0.35))
    if spec.ear:
        x = near * (wide + 0.01)
        lines.append(Line("ear", bezier((x, 0.08), (x + near * 0.13, 0.14), (x + near * 0.12, -0.12), (x - near * 0.01, -0.2), 20), 0.45))
        lobe = np.array([x + near * 0.03, -0.2])
        if spec.earrings == "hoops":
            angle = np.pi / 2 + np.linspace(0.15, 2 * np.pi - 0.15, 24)
            lines.append(Line("earring", lobe + (0.0, -0.055) + 0.055 * np.stack([np.cos(angle), np.sin(angle)], 1), 0.4, 0.5))
        elif spec.earrings == "studs":
            lines.append(Line("earring", lobe[None] + (0.0, -0.02), 0.6, np.ones(1)))
    return lines + hair(spec)


def forehead(spec: SmileSpec) -> np.ndarray:
    """The forehead's top corners, under the hairline from the near temple to the far one: the face goes up to
    there, though no line is drawn across it (a scar may run up into the brow, glyphs/crack.py)."""
    far = spec.cheek * np.cos(spec.turn) ** 2 * 0.85  # the far side narrows as the head turns away, as its cheek does
    top = spec.hairline - 0.04
    return np.array([[spec.near_side * (spec.cheek - 0.06), top], [-spec.near_side * far, top]], np.float32)


def hair(spec: SmileSpec) -> list[Line]:
    """The hair as a portraitist sketches it: its outline round the crown and a few strands, by style."""
    return [line if isinstance(line, Line) else Line("hair", line[0], line[1], 0.4) for line in _hair(spec)]


def _hair(spec: SmileSpec) -> list:
    """Each style's lines, as (points, weight) or as a Line of its own (a scarf's folds, a shaved head's stipple)."""
    near, line = spec.near_side, spec.hairline
    wide = spec.cheek + 0.06
    crown = bezier((-wide, 0.35), (-wide - 0.04, 0.86), (wide + 0.04, 0.86), (wide, 0.35), 48)
    if spec.hair in ("curls", "afro"):  # loops along the crown, a scribbled cloud of curls; an afro's is wide and round
        big = spec.hair == "afro"
        t = np.linspace(0.0, 1.0, 320 if not big else 420)
        reach, top, low = (0.34, 1.16, -0.3) if big else (0.1, 0.92, 0.15)
        arc = bezier((-wide - 0.02, low), (-wide - reach, top), (wide + reach, top), (wide + 0.02, low), len(t))
        turns = t * 2 * np.pi * (27 if not big else 44) + spec.phase[2] + 1.5 * np.sin(t * 23.0 + spec.phase[3])  # an uneven hand
        size = (0.07 if not big else 0.05) * (1.0 + 0.35 * np.sin(t * 41.0 + spec.phase[1]) * np.sin(t * 17.0))
        loops = size[:, None] * np.stack([np.cos(turns), np.sin(turns)], 1)
        return [(arc + loops, 0.42), (bezier((-wide + 0.05, line - 0.02), (-0.3, line + 0.12), (0.3, line + 0.12),
                                             (wide - 0.05, line - 0.02), 30), 0.35)]
    if spec.hair == "parted":  # two sweeps from the parting down to the temples
        part = np.array([near * 0.18, 0.72])
        left = bezier(part, part + (-0.25 - near * 0.1, -0.02), (-wide + 0.05, line + 0.12), (-wide + 0.02, 0.3), 28)
        right = bezier(part, part + (0.25 - near * 0.1, -0.02), (wide - 0.05, line + 0.12), (wide - 0.02, 0.3), 28)
        strands = [bezier(part + (side * 0.06, -0.05), part + (side * 0.22, -0.08), (side * (wide - 0.14), line + 0.14),
                          (side * (wide - 0.1), line + 0.02), 20) for side in (-1, 1)]  # a lock inside each sweep
        return [(crown, 0.45), (left, 0.55), (right, 0.55), (strands[0], 0.3), (strands[1], 0.3)]
    if spec.hair == "long":  # the crown and two falls past the jaw onto the shoulders, framing the face
        falls = [bezier((side * wide * 0.9, 0.7), (side * (wide + 0.1), 0.2), (side * (wide + 0.12), -0.5),
                        (side * (wide + 0.06 + 0.06 * side * near), -1.08), 40) for side in (-1, 1)]
        fringe = bezier((near * 0.3, 0.72), (near * 0.05, line + 0.1), (-near * 0.3, line + 0.05), (-near * (wide - 0.02), 0.3), 28)
        strands = [bezier((side * wide * 0.78, 0.62), (side * (wide + 0.02), 0.15), (side * (wide + 0.06), -0.35),
                          (side * (wide + 0.03), -0.82), 30) for side in (-1, 1)]  # a lock down the inside of each fall
        return [(crown, 0.45), (falls[0], 0.45), (falls[1], 0.45), (fringe, 0.5), (strands[0], 0.3), (strands[1], 0.3)]
    if spec.hair == "cropped":  # close to the head: the hairline, the crown and the comb's lines
        edge = bezier((-wide + 0.02, 0.32), (-wide + 0.06, line + 0.1), (wide - 0.06, line + 0.1), (wide - 0.02, 0.32), 30)
        combed = [bezier((x, line + 0.05), (x + near * 0.03, line + 0.1), (x + near * 0.07, line + 0.14), (x + near * 0.12, line + 0.17),
                         10) for x in (-0.3, -0.02, 0.26)]  # the comb's lines, short, over the top
        return [(crown, 0.5), (edge, 0.45)] + [(strand, 0.3) for strand in combed]
    if spec.hair == "bun":  # drawn back from the forehead to a knot on the crown
        knot = np.array([-near * 0.3, 0.8])
        angle = np.linspace(0.0, 2.3 * np.pi, 40) + spec.phase[2]
        bun = knot + 0.16 * np.stack([np.cos(angle), 0.7 * np.sin(angle)], 1)
        back = bezier((near * (wide - 0.02), 0.3), (near * (wide - 0.1), line + 0.12), (near * 0.1, line + 0.12),
                      knot + (near * 0.1, -0.06), 30)
        return [(crown, 0.45), (bun, 0.5), (back, 0.4)]
    if spec.hair == "fringe":  # a bob to the jaw and a straight fringe across the forehead
        cut = line - 0.05
        falls = [bezier((side * wide * 0.85, 0.72), (side * (wide + 0.1), 0.3), (side * (wide + 0.08), -0.2),
                        (side * (wide - 0.02), -0.42), 30) for side in (-1, 1)]
        xs = np.linspace(-wide + 0.04, wide - 0.04, 40)
        edge = np.column_stack([xs, cut + 0.05 * (xs / wide) ** 2 + 0.01 * np.sin(xs * 40.0 + spec.phase[1])])
        return [(crown, 0.5), (falls[0], 0.5), (falls[1], 0.5), (edge, 0.55)]
    if spec.hair == "shaved":  # a close stipple over the scalp under a faint crown
        rng = np.random.default_rng(int(spec.phase[0] * 1e6))
        a, r = rng.uniform(0.15, np.pi - 0.15, 60), np.sqrt(rng.uniform(0.55, 1.0, 60))
        dots = np.column_stack([np.cos(a) * wide * r, 0.35 + np.sin(a) * 0.45 * r])
        keep = dots[:, 1] > line - 0.05
        return [(crown, 0.3)] + [Line("hair", dot[None], 0.3, np.ones(1)) for dot in dots[keep]]
    if spec.hair == "headscarf":  # a scarf round the head and under the chin, falling onto the shoulders
        outer = [bezier((0.0, 0.92), (side * (wide + 0.14), 0.92), (side * (wide + 0.2), 0.0), (side * (wide + 0.12), -1.06), 40)
                 for side in (-1, 1)]
        inner = [bezier((0.0, line + 0.06), (side * (wide + 0.02), line + 0.04), (side * (wide + 0.04), -0.7), (0.0, spec.chin - 0.08), 40)
                 for side in (-1, 1)]
        fold = bezier((near * 0.2, spec.chin - 0.08), (near * 0.45, -1.0), (near * 0.6, -0.95), (near * (wide + 0.14), -0.7), 20)
        return [(outer[0], 0.5), (outer[1], 0.5), (inner[0], 0.5), (inner[1], 0.5), Line("hair", fold, 0.35, 0.4)]
    # swept: one long wave across the forehead from the crown's far side to the near temple
    sweep = bezier((-near * 0.2, 0.72), (-near * 0.05, line + 0.05), (near * 0.35, line + 0.02), (near * (wide - 0.02), 0.3), 32)
    strand = bezier((-near * 0.42, 0.66), (-near * 0.15, line + 0.18), (near * 0.25, line + 0.14), (near * (wide - 0.12), 0.48), 24)
    return [(crown, 0.45), (sweep, 0.6), (strand, 0.35)]
