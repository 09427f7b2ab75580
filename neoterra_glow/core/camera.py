"""The virtual camera: a slow drift and a breath of zoom that every stage drawing in the
frame's space shares, each at its own depth, so the swarm and the murals move with parallax.

A pure function of the frame's time and parameters: a render is the same every time, and
there is no state to checkpoint.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from neoterra_glow.core.params import Kind, Param


class Camera:
    """Declares the camera.* parameters; `view` turns them into the frame's drift and zoom."""

    params = (
        Param("camera.drift", Kind.FLOAT, 0.04, "how far the view wanders, in frame heights", (0.0, 0.3), smoothing=1.0),
        Param("camera.zoom", Kind.FLOAT, 0.03, "how much the view breathes in and out (0.03: 3 percent)", (0.0, 0.3),
              smoothing=1.0),
        Param("camera.period", Kind.FLOAT, 40.0, "seconds of one slow wander", (4.0, 600.0)),
    )


def view(time: float, params: Mapping[str, float], depth: float = 1.0) -> tuple[float, float, float]:
    """(x, y, zoom) at `time`: a point in frame units is seen at (point - (x, y)) * zoom.

    `depth` 1.0 is the swarm's plane; the murals behind it move less (0.3 to 0.6), dust in
    front more (1.5). Two incommensurate sines a side, so the wander never visibly repeats.
    """
    phase = 2.0 * math.pi * time / params["camera.period"]
    drift = params["camera.drift"] * depth
    x = drift * (0.7 * math.sin(phase) + 0.3 * math.sin(2.618 * phase + 1.3))
    y = drift * 0.5 * (0.6 * math.sin(1.414 * phase + 0.4) + 0.4 * math.sin(3.1 * phase + 2.1))
    zoom = 1.0 + params["camera.zoom"] * depth * 0.5 * (1.0 + math.sin(0.77 * phase - 1.0))
    return x, y, zoom
