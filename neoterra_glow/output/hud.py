"""The operator's HUD: fps, frame time, bots, OSC traffic and rejects, active faults, layers,
and the last shader error. Drawn over the window only while it is on; the text is set
a few times a second with Pillow, never per pixel in Python."""

from __future__ import annotations

import moderngl
import numpy as np
from PIL import Image, ImageDraw

from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen
from neoterra_glow.resources import text_font

SIZE = (560, 200)
UPDATE_SECONDS = 0.25


class Hud:
    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self.on = False
        self.lines: list[str] = []
        self._texture = ctx.texture(SIZE, 4)
        self._draw = Fullscreen(ctx, library.program("common/fullscreen.vert", "output/hud.frag"))
        self._font = text_font(15)
        self._next_update = 0.0

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

    def draw(self, screen: moderngl.Framebuffer, window: tuple[int, int]) -> None:
        """Over the window's top left; `window` is its framebuffer's size now."""
        if self.on:
            blend = (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA)
            self._draw.draw(screen, {"u_window": window, "u_size": SIZE}, {"u_text": self._texture}, blend=blend)

    def release(self) -> None:
        self._texture.release()
        self._draw.release()
