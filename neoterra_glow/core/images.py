"""Images from files that an artist or a sender names, measured before they are decoded:
a 69-byte PNG can claim to be 100000 pixels square, and a small file can unpack to gigabytes."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from neoterra_glow.errors import UserError


class ImageError(UserError):
    """An image that cannot be used; the message names the file and why."""


def open_image(path: Path, max_side: int) -> Image.Image:
    """The image, decoded, if neither side is over `max_side` pixels."""
    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: the size is checked here instead
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)  # reads the header only
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise ImageError(f"{path}: not a readable image: {error}") from None
    width, height = image.size
    if max(width, height) > max_side:
        image.close()
        raise ImageError(f"{path}: {width}x{height} is larger than the {max_side}x{max_side} this takes; scale it down")
    try:
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ImageError(f"{path}: not a readable image: {error}") from None
    return image
