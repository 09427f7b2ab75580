"""A visitor's real smile as a glyph: the measured mouth (width, lift, asymmetry, openness, in eye
distances) sets SmileSpec's mouth; the rest of the face comes from the numbers' own hash, so the
same four numbers (a session records them, rounded) always redraw the same face, camera or not."""

from __future__ import annotations

import dataclasses

import numpy as np

from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.smile import SmileSpec, text_seed


def mirrored_name(width: float, lift: float, asymmetry: float, openness: float) -> str:
    """The glyph's name and seed: the measurement at two decimals, as a session keeps it."""
    return f"mirror {width:.2f} {lift:+.2f} {asymmetry:+.2f} {openness:.2f}"


def mirrored_spec(width: float, lift: float, asymmetry: float, openness: float) -> SmileSpec:
    """SmileSpec's mouth from a measured smile, kept inside what reads as a smile (corners above the middle)."""
    base = SmileSpec.from_text(mirrored_name(width, lift, asymmetry, openness))
    half = float(np.clip(0.12 + 0.16 * width, 0.2, 0.36))  # a resting mouth (1 eye distance) ~0.28, a wide grin 0.36
    corner = float(np.clip(0.1 + 0.4 * lift, 0.07, 0.13))
    crooked = float(np.clip(0.15 * asymmetry, -min(0.03, corner - 0.05), min(0.03, corner - 0.05)))
    return dataclasses.replace(
        base,
        width=half,
        sag=half * 0.4 * float(np.clip(0.8 + 0.5 * openness, 0.75, 1.1)),
        lift=(corner - crooked, corner + crooked),  # the frame's right corner is the face's left, as in a mirror
        opening=float(np.clip(0.04 + 0.05 * openness, 0.05, 0.075)) if openness > 0.5 else 0.0,
    )


def mirrored_glyph(width: float, lift: float, asymmetry: float, openness: float) -> Glyph:
    """The glyph of a measured smile, with its poses."""
    name = mirrored_name(width, lift, asymmetry, openness)
    return mirrored_spec(width, lift, asymmetry, openness).glyph(name, text_seed(name))
