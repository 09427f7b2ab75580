"""What the glyph tests measure with: how far points are from a stroke's ink, and how much of it you see."""

import numpy as np


def distance_to_ink(points: np.ndarray, stroke) -> np.ndarray:
    """Distance from each point to the stroke's ink (negative inside): the nearest of its tapered capsules. A point
    outside the stroke's box gets inf: every caller asks only whether a point is on the ink, and measuring each of a
    face's 8,192 targets against each capsule of each stroke was most of the glyph tests' time."""
    centre, radii = stroke.points, stroke.radii
    if len(centre) == 1:
        centre, radii = np.repeat(centre, 2, axis=0), np.repeat(radii, 2)
    reach = radii.max() + 1e-3
    near = np.all((points >= centre.min(axis=0) - reach) & (points <= centre.max(axis=0) + reach), axis=1)
    a, b = centre[:-1], centre[1:]
    edge = b - a
    rel = points[near][:, None, :] - a[None]
    t = np.clip((rel * edge).sum(-1) / np.maximum((edge**2).sum(-1), 1e-12), 0.0, 1.0)
    gap = np.full(len(points), np.inf)
    gap[near] = (np.linalg.norm(rel - t[..., None] * edge, axis=-1) - (radii[:-1] + t * np.diff(radii))).min(axis=1, initial=np.inf)
    return gap


def visible_area(stroke) -> float:
    """A stroke's area as you see it: its body, length times width, and a round cap at each end (a dot: a disc)."""
    lengths = np.linalg.norm(np.diff(stroke.points, axis=0), axis=1)
    body = float((lengths * (stroke.radii[:-1] + stroke.radii[1:])).sum())
    return body + np.pi / 2 * float(stroke.radii[0] ** 2 + stroke.radii[-1] ** 2)
