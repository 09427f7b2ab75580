"""A face's volume: a sparse stipple of light between its lines, as an engraver models a head with dots.

Each shade is a broad stroke of low density (strokes.Stroke.density), so its bots gather in a
scatter of points over an area instead of a line: the far cheek turning away, the hollow under the
near cheekbone, the hair's own mass, the neck under the jaw, a beard's or stubble's mass. Bands
next to a line are denser than those further in, so the light thins away from the edge it models,
and every band tapers at its ends. The lines and features stay the strongest: shades take about
a tenth to a quarter of a face's bots (tests/glyphs/test_shade.py). The swarm lights a shade's targets
(a negative spread, strokes.sample_points) in knots of two, a line's in knots of eight: a face's shade
is then some 150 faint points off its lines, not 36 line-bright ones lost beside them. Glyph units, as face.py's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from neoterra_glow.glyphs.face import MOUTH_Y, Expression, Line, eye_centres, mouth_curve, turned
from neoterra_glow.glyphs.strokes import bezier

if TYPE_CHECKING:
    from neoterra_glow.glyphs.smile import SmileSpec

POINTS = 24  # along each band
MASSED = ("swept", "parted", "cropped", "bun", "fringe", "long", "shaved")  # styles whose hair is a mass under a few lines


def shade(spec: SmileSpec, e: Expression) -> list[Line]:
    """Every band of stipple of the face in expression `e`."""
    return _cheeks(spec, e) + _hair(spec) + _neck(spec) + _beard(spec)


def _band(points: np.ndarray, radius: float, density: float, spec: SmileSpec) -> Line:
    """A band of stipple `radius` wide either side of `points`, narrowing towards both ends."""
    t = np.linspace(0.0, 1.0, len(points))
    taper = np.sin(np.pi * (0.08 + 0.84 * t)) ** 0.6
    return Line("shade", np.asarray(points, np.float32), 1.0, radius * taper / spec.weight, density)


def _cheeks(spec: SmileSpec, e: Expression) -> list[Line]:
    """The far cheek turning away: a dense band hugging its line from under the eye to the jaw and a
    sparser one from the cheek's round under the eye down past the mouth's corner; and a faint one
    under the near cheekbone. A laugh lifts them with the cheeks."""
    near, far, wide = spec.near_side, -spec.near_side, spec.cheek
    lift = np.array([0.0, 0.015 + 0.025 * e.laugh])
    far_x = far * wide * np.cos(spec.turn) ** 2 * 0.92
    corners = turned(spec, mouth_curve(spec, Expression())[[0, -1]])  # at rest: every pose draws the same bands
    corner = corners[np.argmax(far * corners[:, 0])]
    past = corner[0] + far * 0.11  # clear of the mouth's far corner
    eye = turned(spec, eye_centres(spec)[0 if far < 0 else 1][None])[0]
    top = eye[1] - spec.eye_size * 0.7 - 0.04
    hug = far_x + near * 0.05
    low = corner[1] + 0.1 if far * past > abs(far_x) - 0.06 else -0.6  # a wide smile's corner near the far cheek: the band stops above it
    apple = (eye[0] + far * 0.03, top - 0.08)
    lines = [_band(bezier((hug, top), (hug + far * 0.02, (2 * top + low) / 3), (hug + near * 0.01, (top + 2 * low) / 3),
                          (hug + near * 0.12 * (top - low) / (top + 0.6), low), POINTS) + lift, 0.05, 0.35, spec),
             _band(bezier(apple, (apple[0], top - 0.2), (past, -0.3), (past + near * 0.02, -0.55), POINTS) + lift, 0.07, 0.25, spec)]
    x, y = near * (wide - 0.16), min(-0.02, spec.eye_y - spec.eye_size * 0.6 - 0.07)  # below a big eye's lower lid
    lines.append(_band(bezier((x, y), (x - near * 0.02, y - 0.1), (x - near * 0.04, y - 0.2), (x - near * 0.06, y - 0.28), POINTS) + lift,
                       0.07, 0.2, spec))
    return lines


def _hair(spec: SmileSpec) -> list[Line]:
    """The hair's mass between the crown and the hairline (and down a long fall or a bob, denser on the far
    side), a curly cloud's inside, a scarf's fall: hair is a mass of light under its few lines, not only an outline."""
    near, wide, line = spec.near_side, spec.cheek + 0.06, spec.hairline
    if spec.hair == "headscarf":  # the cloth's fall down each side, between its outer and inner edges
        return [_band(bezier((side * (wide - 0.05), 0.75), (side * (wide + 0.1), 0.45), (side * (wide + 0.14), -0.2),
                             (side * (wide + 0.08), -0.85), POINTS), 0.07, 0.35 if side == -near else 0.22, spec) for side in (-1, 1)]
    if spec.hair in ("curls", "afro"):  # the cloud's inside, under its loops
        top, reach = (0.95, 0.22) if spec.hair == "afro" else (0.78, 0.05)
        cloud = bezier((-wide - reach, 0.2), (-wide - reach, top), (wide + reach, top), (wide + reach, 0.2), POINTS)
        return [_band(cloud, 0.1, 0.3, spec)]
    if spec.hair not in MASSED:
        return []
    mass = bezier((-wide + 0.08, 0.36), (-wide + 0.02, line + 0.3), (wide - 0.02, line + 0.3), (wide - 0.08, 0.36), POINTS)
    lines = [_band(mass, 0.09, 0.28, spec)]
    if spec.hair in ("long", "fringe"):
        low = -0.95 if spec.hair == "long" else -0.38
        for side, density in ((-near, 0.25), (near, 0.12)):
            x = side * (wide + 0.04)
            lines.append(_band(bezier((x, 0.55), (x + side * 0.03, 0.1), (x + side * 0.04, -0.3), (x + side * 0.02, low), POINTS),
                               0.07, density, spec))
    return lines


def _neck(spec: SmileSpec) -> list[Line]:
    """The shadow the jaw throws on the neck, under the chin from the far side, and down the far side of the
    neck. It stops short of the near side: across the whole neck it read as a band round it, a choker."""
    if spec.hair == "headscarf":
        return []
    near, chin = spec.near_side, spec.chin
    neck = 0.18 + 0.03 * spec.jaw_square
    across = bezier((-near * neck, chin - 0.03), (-near * neck / 2, chin - 0.07), (near * neck / 6, chin - 0.07),
                    (near * neck / 2, chin - 0.04), POINTS)
    down = bezier((-near * (neck - 0.05), chin - 0.04), (-near * (neck - 0.06), chin - 0.08), (-near * (neck - 0.07), -1.0),
                  (-near * (neck - 0.06), -1.05), POINTS)
    return [_band(across, 0.06, 0.35, spec), _band(down, 0.06, 0.2, spec)]


def _beard(spec: SmileSpec) -> list[Line]:
    """A beard's mass round the chin under the mouth, stubble's fainter over the jaw; they turn with the face."""
    if spec.facial_hair not in ("beard", "stubble"):
        return []
    reach = spec.cheek * 0.78
    low = spec.chin - 0.02
    chin = bezier((-reach, MOUTH_Y + 0.02), (-reach + 0.02, low), (reach - 0.02, low), (reach, MOUTH_Y + 0.02), POINTS)
    beard = spec.facial_hair == "beard"
    return [_band(turned(spec, chin), 0.08, 0.4 if beard else 0.18, spec)]
