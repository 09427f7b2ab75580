"""The nanobots' state on the GPU: one storage buffer of bots, one of their colours.

The count changes at runtime: the buffers are reallocated, every bot that stays is
copied over on the GPU, and new ones are spawned as dust across the frame.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.shaders import ShaderLibrary

BOT_BYTES = 32  # struct Bot in shaders/swarm/bot.glsl
COLOUR_BYTES = 16
BOTS_BINDING, COLOURS_BINDING = 0, 1


class SwarmState:
    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self._spawn = library.program("swarm/spawn.comp")
        self.count = 0
        self.bots: moderngl.Buffer | None = None
        self.colours: moderngl.Buffer | None = None

    def resize(self, count: int, seed: int, aspect: float) -> None:
        """Hold `count` bots: the first min(old, new) keep their state, the rest are new."""
        if count == self.count:
            return
        bots = self.ctx.buffer(reserve=count * BOT_BYTES)
        colours = self.ctx.buffer(reserve=count * COLOUR_BYTES)
        keep = min(count, self.count)
        if keep:
            self.ctx.copy_buffer(bots, self.bots, keep * BOT_BYTES)
            self.ctx.copy_buffer(colours, self.colours, keep * COLOUR_BYTES)
        self.release()
        self.bots, self.colours, self.count = bots, colours, count
        self.bind()
        dispatch(self.ctx, self._spawn, count - keep, dict(u_first=keep, u_end=count, u_seed=seed, u_aspect=aspect))

    def bind(self) -> None:
        self.bots.bind_to_storage_buffer(BOTS_BINDING)
        self.colours.bind_to_storage_buffer(COLOURS_BINDING)

    def release(self) -> None:
        for buffer in (self.bots, self.colours):
            if buffer is not None:
                buffer.release()
        self.bots = self.colours = None
