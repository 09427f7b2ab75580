"""Colour on the CPU, as shaders/common/colour.glsl has it on the GPU: artists pick sRGB,
light is added up (and its luminance measured) in linear space."""

from __future__ import annotations

import numpy as np

LUMINANCE = np.array([0.2126, 0.7152, 0.0722])  # Rec. 709's weights: linear rgb to luminance


def srgb_to_linear(colour) -> np.ndarray:
    """sRGB values (0..1, any shape) as linear light."""
    c = np.asarray(colour, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
