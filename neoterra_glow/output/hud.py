"""The operator's HUD: fps, frame time, bots, OSC traffic and rejects, active faults, layers,
GPU time per stage, and the last shader error, laid over the window while it is on. The
text is set a few times a second with Pillow, never per pixel in Python."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from PIL import Image, ImageDraw

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Param
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target
from neoterra_glow.resources import text_font

SIZE = (560, 200)
UPDATE_SECONDS = 0.25


class Hud:
    name: ClassVar[str] = "hud"
    inputs: ClassVar[tuple[str, ...]] = ("image",)
    params: ClassVar[tuple[Param, ...]] = ()  # the operator's key (h) turns it on, for this window only

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self.on = False
        self.lines: list[str] = []
        self._texture = self.ctx.texture(SIZE, 4)
        self._draw = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "output/hud.frag"))
        self._font = text_font(15)
        self._next_update = 0.0
        self.output = Target(self.ctx, build.size, dtype="f1")

    def update(self, now: float, lines: list[str]) -> None:
        """New text, drawn into the texture at most four times a second."""
        self.lines = lines
        if not self.on or now < self._next_update:
            return
        self._next_update = now + UPDATE_SECONDS
        image = Image.new("RGBA", SIZE, (0, 0, 0, 150))
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines[:10]):
            fill = (255, 120, 120, 255) if line.startswith("error") else (160, 255, 220, 255)
            draw.text((10, 6 + number * 19), line[:72], font=self._font, fill=fill)
        self._texture.write(np.asarray(image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)).tobytes())

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.output.size:
            self.output.release()
            self.output = Target(self.ctx, size, dtype="f1")

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The image with the text over its top left corner, when the HUD is on."""
        image = inputs["image"]
        if not self.on:
            return image
        self._draw.draw(self.output, {"u_size": SIZE}, {"u_image": image.texture, "u_text": self._texture})
        return self.output

    def release(self) -> None:
        self.output.release()
        self._texture.release()
        self._draw.release()
