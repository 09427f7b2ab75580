"""The currents the bots ride: a small curl-noise texture, computed once per frame.

The bots read it with one texture fetch each, so the per-bot step stays a memory
walk instead of evaluating noise a million times.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target

RESOLUTION = (128, 128)


class Currents:
    """The curl-noise currents the bots ride, one small texture a frame that the step samples."""

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.target = Target(ctx, RESOLUTION)
        self.target.texture.repeat_x = self.target.texture.repeat_y = True
        self._draw = Fullscreen(ctx, library.program("common/fullscreen.vert", "swarm/currents.frag"))

    @property
    def texture(self) -> moderngl.Texture:
        return self.target.texture

    def update(self, time: float, seed: int, aspect: float) -> None:
        self._draw.draw(self.target, dict(u_time=time, u_seed=seed, u_aspect=aspect))

    def release(self) -> None:
        self._draw.release()
        self.target.release()
