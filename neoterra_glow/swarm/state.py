"""The nanobots' state on the GPU: one storage buffer of compact bots, 24 bytes each.

The count changes at runtime: the buffer is reallocated, every bot that stays is
copied over on the GPU, and new ones are spawned as dust across the frame.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.shaders import ShaderLibrary

BOT_BYTES = 24  # struct Bot in shaders/swarm/bot.glsl
BOTS_BINDING = 0


class SwarmState:
    keeps = ("count", "bots")

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self._spawn = library.program("swarm/spawn.comp")
        self.count = 0
        self.bots: moderngl.Buffer | None = None

    def resize(self, count: int, seed: int, aspect: float) -> None:
        """Hold `count` bots: the first min(old, new) keep their state, the rest are new."""
        if count == self.count:
            return
        bots = self.ctx.buffer(reserve=count * BOT_BYTES)
        keep = min(count, self.count)
        if keep:
            self.ctx.copy_buffer(bots, self.bots, keep * BOT_BYTES)
        self.release()
        self.bots, self.count = bots, count
        self.bind()
        dispatch(self.ctx, self._spawn, count - keep, dict(u_first=keep, u_end=count, u_seed=seed, u_aspect=aspect))

    def bind(self) -> None:
        self.bots.bind_to_storage_buffer(BOTS_BINDING)

    def release(self) -> None:
        if self.bots is not None:
            self.bots.release()
        self.bots = None
