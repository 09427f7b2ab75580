"""Stills of the frame as it leaves the pipeline (before keystone and HUD): a PNG screenshot for
the operator, and a small JPEG preview for the remote. Taken on request, never every frame."""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path

import numpy as np
from PIL import Image

from neoterra_glow.gpu.targets import Target

log = logging.getLogger(__name__)


def picture(output: Target) -> Image.Image:
    """The 8-bit frame as an RGB image, top row first."""
    width, height = output.size
    pixels = np.frombuffer(output.texture.read(), np.uint8).reshape(height, width, 4)[::-1]
    return Image.fromarray(pixels[..., :3].copy())


def preview(output: Target, longest: int = 480) -> bytes:
    """A small JPEG of the frame, at most `longest` pixels on its longer side."""
    image = picture(output)
    image.thumbnail((longest, longest))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def screenshot(output: Target, index: int, folder: Path = Path("screenshots")) -> Path:
    """The frame as a PNG in `folder`, named by the time and the frame's number."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"neoterra-{time.strftime('%Y%m%d-%H%M%S')}-{index:06d}.png"
    picture(output).save(path)
    log.info("screenshot: %s", path)
    return path
