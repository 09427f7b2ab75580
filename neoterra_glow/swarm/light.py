"""The swarm's light: every bot adds its own into a fixed-point buffer at render size
(shaders/swarm/splat.comp); the buffer decays into trails and is resolved to HDR light.

All of the swarm's light comes from its bots: a glyph shows only where bots are.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target

LIGHT_BINDING = 4  # shaders/swarm/bot.glsl
LIGHT_UNITS = 4096  # fixed-point units to one unit of linear light, as in bot.glsl
ADD = (moderngl.ONE, moderngl.ONE)


class SwarmLight:
    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary, size: tuple[int, int]) -> None:
        self.ctx = ctx
        self._splat = library.program("swarm/splat.comp")
        self._resolve = Fullscreen(ctx, library.program("common/fullscreen.vert", "swarm/resolve.frag"))
        self._add = Fullscreen(ctx, library.program("common/fullscreen.vert", "swarm/light_add.frag"))
        self.target: Target | None = None
        self.buffer: moderngl.Buffer | None = None
        self.resize(size)

    @property
    def texture(self) -> moderngl.Texture:
        """The swarm's light as the last frame left it (murals masked by the glyphs read it)."""
        return self.target.texture

    def resize(self, size: tuple[int, int]) -> None:
        if self.target is not None and size == self.target.size:
            return
        self._release_buffers()
        self.target = Target(self.ctx, size)
        self.buffer = self.ctx.buffer(reserve=size[0] * size[1] * 3 * 4)
        self.buffer.clear()

    def splat(self, count: int, uniforms: dict) -> None:
        """Add every bot's light (bots bound as storage) into the buffer."""
        self.buffer.bind_to_storage_buffer(LIGHT_BINDING)
        dispatch(self.ctx, self._splat, count, dict(uniforms, u_end=count, u_pixels=self.target.size))

    def resolve(self, keep: float) -> None:
        """The buffer to HDR light in `texture`; then the buffer keeps `keep` of itself."""
        self.buffer.bind_to_storage_buffer(LIGHT_BINDING)
        self._resolve.draw(self.target, dict(u_pixels=self.target.size, u_keep=keep))
        self.ctx.memory_barrier()

    def add_into(self, target: Target) -> None:
        self._add.draw(target, textures={"u_light": self.target.texture}, blend=ADD)

    def _release_buffers(self) -> None:
        for thing in (self.target, self.buffer):
            if thing is not None:
                thing.release()

    def release(self) -> None:
        self._release_buffers()
        self._resolve.release()
        self._add.release()
