"""Stills of the frame as it leaves the pipeline: the operator's screenshot and the remote's preview."""

import io

import numpy as np
from PIL import Image

from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.stills import preview, screenshot


def _frame(ctx, size):
    """A frame red at the top and blue below (GL's rows run bottom up)."""
    target = Target(ctx, size, dtype="f1")
    target.fbo.clear(0.0, 0.0, 1.0, 1.0)
    target.fbo.clear(1.0, 0.0, 0.0, 1.0, viewport=(0, size[1] // 2, size[0], size[1] - size[1] // 2))
    return target


def test_a_screenshot_is_the_frame_as_a_png_top_row_first(ctx, tmp_path):
    target = _frame(ctx, (64, 36))
    try:
        path = screenshot(target, 42, tmp_path / "shots")
        assert path.parent == tmp_path / "shots" and path.name.endswith("-000042.png")
        pixels = np.asarray(Image.open(path))
        assert pixels.shape == (36, 64, 3)
        assert pixels[0, 0].tolist() == [255, 0, 0] and pixels[-1, -1].tolist() == [0, 0, 255]
    finally:
        target.release()


def test_the_remotes_preview_is_a_jpeg_at_most_480_pixels_wide(ctx):
    target = _frame(ctx, (960, 540))
    try:
        image = Image.open(io.BytesIO(preview(target)))
        assert image.format == "JPEG" and image.size == (480, 270)
        pixels = np.asarray(image.convert("RGB")).astype(int)
        assert np.abs(pixels[10, 10] - [255, 0, 0]).max() < 8 and np.abs(pixels[-10, -10] - [0, 0, 255]).max() < 8
    finally:
        target.release()
