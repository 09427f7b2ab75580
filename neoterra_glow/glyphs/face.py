"""A smile's face drawn as brush strokes, at rest or in a pose (a blink, a laugh, turning tender).

Every pose draws the same strokes with the same number of points, only in other places, so the
bots placed on the face at rest know where to go in each pose (glyph.Glyph.from_strokes).
Coordinates are glyph units, y up, before the hand's tremor and tilt (SmileSpec.hand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from neoterra_glow.glyphs.strokes import bezier

if TYPE_CHECKING:
    from neoterra_glow.glyphs.smile import SmileSpec

MOUTH_Y = -0.3


class Expression(NamedTuple):
    """How much of each pose a face shows, 0..1 (glyph.POSES)."""

    blink: float = 0.0
    laugh: float = 0.0
    tender: float = 0.0


class Line(NamedTuple):
    """One brush line before the hand: its part of the face, points, weight (times the hand's) and
    where the brush presses hardest (0..1 along it), or its own radius at each point (times weight)."""

    part: str
    points: np.ndarray
    weight: float
    swell: float | np.ndarray = 0.45


def _disc(spec: SmileSpec, centre, weight: float, wide: float = 1.0, flat: float = 1.0) -> Line:
    """A filled disc drawn as a small thick loop, a little more than once round (its thin ends hidden under
    the overlap), so that a pose can flatten it into a lid's line (wide and flat: its stretch and squash)
    with its bots spread along the line rather than crowding at one point."""
    angle = -np.pi / 2 + np.linspace(0.0, 2.3 * np.pi, 26)
    loop = np.asarray(centre, np.float32) + 0.5 * spec.weight * weight * np.stack([wide * np.cos(angle), flat * np.sin(angle)], 1)
    t = np.linspace(0.0, 1.0, len(angle))
    thickness = 0.55 * (0.2 + 0.8 * flat) * np.clip(np.minimum(t, 1.0 - t) / 0.12, 0.35, 1.0)
    return Line("eye", loop, weight, thickness)


def mouth_curve(spec: SmileSpec, e: Expression) -> np.ndarray:
    """The smile's main curve, corner to corner, sagging in the middle; a laugh lifts the corners and
    opens it, tenderness makes it smaller and softer, corners a little lower."""
    width = spec.width * (1.0 + 0.1 * e.laugh - 0.14 * e.tender)
    sag = spec.sag * (1.0 + 0.3 * e.laugh - 0.3 * e.tender)
    lift = np.array(spec.lift) * (1.0 - 0.35 * e.tender) + 0.08 * e.laugh
    left = np.array([-width, MOUTH_Y + lift[0]], np.float32)
    right = np.array([width, MOUTH_Y + lift[1]], np.float32)
    pull = (0.75 - 0.55 * spec.fullness) * width
    drop = sag / 0.75  # a cubic's middle reaches 3/4 of the way to its control points
    lean = spec.skew * 0.35
    c1 = (left[0] + pull * (1 - lean), left[1] - drop * (1 + lean * 0.5))
    c2 = (right[0] - pull * (1 + lean), right[1] - drop * (1 - lean * 0.5))
    return bezier(left, c1, c2, right, 64)


def draw(spec: SmileSpec, e: Expression) -> list[Line]:
    """Every line of the face in expression `e`."""
    return _mouth(spec, e) + _eyes(spec, e) + _brows(spec, e) + _nose(spec) + _cheeks(spec, e) + _extras(spec, e)


def _mouth(spec: SmileSpec, e: Expression) -> list[Line]:
    mouth = mouth_curve(spec, e)
    left, right = mouth[0], mouth[-1]
    lines = [Line("mouth", mouth, 1.0, 0.5 + spec.skew * 0.15)]
    if spec.mouth != "closed":
        dip = -0.12 * spec.sag * (1.0 - 0.5 * e.laugh)  # a laugh opens the mouth: the upper lip stays up
        lip = bezier(left, left + (0.3, dip), right + (-0.3, dip), right, 48)
        lines.append(Line("lip", lip, 0.7))
        span = abs(right[0] - left[0]) / 2
        if spec.mouth == "bite":  # where the upper and lower teeth meet
            xs = np.linspace(-0.72, 0.72, 32) * span
            top, bottom = np.interp(xs, lip[:, 0], lip[:, 1]), np.interp(xs, mouth[:, 0], mouth[:, 1])
            lines.append(Line("bite", np.column_stack([xs, top + (bottom - top) * 0.45]), 0.4))
        for x in np.linspace(-0.42, 0.42, spec.teeth) * span:  # full-height teeth: gaps from lip to lip, gently bowed
            t, b = np.interp(x, lip[:, 0], lip[:, 1]), np.interp(x, mouth[:, 0], mouth[:, 1])
            bow = 0.12 * (t - b) * np.sin(np.linspace(0, np.pi, 10)) * np.sign(x + 1e-6)
            lines.append(Line("teeth", np.column_stack([x + bow, np.linspace(t, b, 10)]), 0.4, 0.5))
    if spec.lower_lip is not None:
        low = mouth[:, 1].min()
        x = spec.lower_lip * spec.width
        lip = bezier((x - 0.14, low - 0.07), (x - 0.05, low - 0.11), (x + 0.06, low - 0.11), (x + 0.15, low - 0.06), 20)
        lines.append(Line("lower lip", lip, 0.45, 0.55))
    return lines


def eye_centres(spec: SmileSpec) -> list[np.ndarray]:
    return [np.array([side * spec.eye_gap, spec.eye_y + side * spec.eye_skew], np.float32) for side in (-1, 1)]


def _eyes(spec: SmileSpec, e: Expression) -> list[Line]:
    lines = []
    size = spec.eye_size
    for side, kind, centre in zip((-1, 1), spec.eyes, eye_centres(spec)):
        x, y = centre
        y += 0.02 * e.laugh  # the cheeks push them up
        if kind == "dot":  # a blink flattens it into a lid
            grow = 1.0 + 0.12 * e.tender
            lines.append(_disc(spec, (x, y), 1.65 * grow, 1.0 + 1.6 * e.blink, 1.0 - 0.92 * e.blink - 0.2 * e.laugh))
        elif kind == "crescent":  # a smiling closed eye
            h = size * 0.7 * (1.0 + 0.2 * e.laugh - 0.25 * e.tender - 0.85 * e.blink)
            y -= 0.02 * e.blink
            lines.append(Line("eye", bezier((x - size, y - 0.3 * h), (x - 0.6 * size, y + h), (x + 0.6 * size, y + h),
                                            (x + size, y - 0.3 * h), 24), 0.8 * (1.0 - 0.4 * e.blink), 0.5))
        else:  # an open almond eye: an upper lid, a lighter lower lid and a pupil
            up = size * 0.72 * spec.eye_open * (1.0 - 0.25 * e.laugh + 0.12 * e.tender)
            low = size * 0.4 * spec.eye_open * (1.0 - 1.3 * e.laugh + 0.1 * e.tender)
            shut = -0.25 * size * 0.4 * spec.eye_open  # where both lids meet when it closes
            up, low = up + (shut - up) * e.blink, low + (-shut - low) * e.blink
            inner = np.array([x - side * size, y])
            outer = np.array([x + side * size, y + spec.eye_tilt])
            upper = bezier(inner, inner + (side * size * 0.35, up * 1.33), outer + (-side * size * 0.45, up * 1.33), outer, 24)
            lower = bezier(outer, outer + (-side * size * 0.4, -low * 1.33), inner + (side * size * 0.5, -low * 1.33),
                           inner + (side * size * 0.25, 0.0), 18)
            lines += [Line("eye", upper, 0.75 * (1.0 - 0.3 * e.blink), 0.4), Line("eye", lower, 0.45, 0.5)]
            look = x + spec.gaze * size * 0.3
            pupil_y = y + up * 0.25
            grow = 1.0 + 0.15 * e.tender  # tender eyes glisten wider
            lines.append(_disc(spec, (look, pupil_y), 0.9 * grow, 1.0 + 1.4 * e.blink, 1.0 - 0.92 * e.blink))
    return lines


def _brows(spec: SmileSpec, e: Expression) -> list[Line]:
    if spec.brows is None:
        return []
    height, arch, slope, length = spec.brows
    lines = []
    for side, centre, raised in zip((-1, 1), eye_centres(spec), spec.brow_raise):
        x, y = centre
        y += height + raised + 0.03 * e.laugh - 0.012 * e.blink
        inner = np.array([x - side * spec.eye_size * 0.9, y + slope + 0.075 * e.tender])
        outer = np.array([x + side * (length - spec.eye_size * 0.9), y - 0.01 * e.tender])
        bend = arch * (1.0 - 0.3 * e.tender)
        brow = bezier(inner, inner + (outer - inner) * 0.3 + (0, bend * 1.3), inner + (outer - inner) * 0.7 + (0, bend * 1.3),
                      outer, 24)
        lines.append(Line("brow", brow, 0.85, 0.28))
    return lines


def _nose(spec: SmileSpec) -> list[Line]:
    if spec.nose == "none":
        return []
    side = spec.nose_side
    top = spec.eye_y - 0.04
    bottom = spec.nose_bottom
    x = side * 0.04
    if spec.nose == "hook":  # the bridge's shadow down one side, curling under the tip
        points = bezier((x, top), (x + side * 0.02, (top + bottom) / 2), (x + side * 0.07, bottom - 0.01), (x - side * 0.05, bottom), 28)
    elif spec.nose == "wing":  # only the tip: the curl of a nostril's wing
        points = bezier((x + side * 0.01, bottom + 0.1), (x + side * 0.09, bottom + 0.05), (x + side * 0.06, bottom - 0.02),
                        (x - side * 0.04, bottom), 20)
    else:  # a single line of the bridge
        points = bezier((x, top - 0.06), (x + side * 0.015, top - 0.15), (x + side * 0.03, bottom + 0.08), (x + side * 0.02, bottom), 20)
    return [Line("nose", points, 0.55, 0.6)]


def _cheeks(spec: SmileSpec, e: Expression) -> list[Line]:
    lines = []
    rise = np.array([0.0, 0.05 * e.laugh - 0.01 * e.tender])
    for side, centre in zip((-1, 1), eye_centres(spec)):
        corner_x = side * spec.width * (1.0 + 0.1 * e.laugh - 0.14 * e.tender)
        corner_y = MOUTH_Y + spec.lift[(side + 1) // 2] + 0.08 * e.laugh
        if spec.cheeks == "laugh lines":  # from the nose's wing round the corner of the mouth: ( )
            start = np.array([side * 0.24, spec.nose_bottom + 0.05]) + rise * 0.5
            end = np.array([corner_x + side * 0.1, corner_y - 0.14]) + rise * 0.3
            fold = bezier(start, start + (side * 0.14, -0.04), end + (side * 0.06, 0.1), end, 24)
            lines.append(Line("cheek", fold, 0.45, 0.35))
        elif spec.cheeks == "dimples":
            centre_d = np.array([corner_x + side * 0.12, corner_y]) + rise * 0.3
            angle = np.linspace(-0.9, 0.9, 16) + (0.0 if side > 0 else np.pi)
            lines.append(Line("cheek", centre_d + 0.08 * np.stack([np.cos(angle), np.sin(angle)], 1), 0.45, 0.5))
        elif spec.cheeks == "cheekbones":  # the round of the cheek under the outer corner of the eye
            x, y = centre + (side * 0.06, -0.17) + rise
            arc = bezier((x - side * 0.09, y + 0.01), (x - side * 0.03, y - 0.035), (x + side * 0.05, y - 0.03),
                         (x + side * 0.1, y + 0.02), 16)
            lines.append(Line("cheek", arc, 0.45, 0.5))
    return lines


def _extras(spec: SmileSpec, e: Expression) -> list[Line]:
    lines = []
    if spec.crows_feet:
        for side, centre, kind in zip((-1, 1), eye_centres(spec), spec.eyes):
            start = centre + (side * (spec.eye_size + 0.05), 0.01 + 0.02 * e.laugh)
            for turn in (-0.45, 0.0, 0.45)[: spec.crows_feet]:
                length = 0.07 * (1.0 + 0.35 * e.laugh - 0.3 * e.tender)
                direction = np.array([side * np.cos(turn), np.sin(turn)])
                lines.append(Line("crow's feet", np.linspace(start, start + direction * length, 6), 0.4, 0.25))
    for x, y in spec.freckles:
        lift = 0.04 * e.laugh if abs(x) > 0.15 else 0.0
        lines.append(Line("freckle", np.array([[x, y + lift]]), 0.42, np.ones(1)))
    if spec.jaw:  # one side of the face, cheek to chin, as a portrait's single line
        side = spec.jaw_side
        points = bezier((side * 0.88, -0.02), (side * 0.88, -0.5), (side * 0.56, -0.86), (side * 0.18, -0.93), 40)
        lines.append(Line("jaw", points + (0.0, -0.02 * e.laugh), 0.4, 0.35))
    if spec.sparkle is not None:
        x, y, size, turn = spec.sparkle
        for angle in (turn, turn + np.pi / 2):
            d = np.array([np.cos(angle), np.sin(angle)]) * size
            lines.append(Line("sparkle", np.linspace((x, y) - d, (x, y) + d, 12), 0.6, 0.5))
    return lines
