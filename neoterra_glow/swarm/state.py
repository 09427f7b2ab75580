"""The nanobots' state on the GPU: one storage buffer of compact bots, 24 bytes each.

The count changes at runtime: the buffer is reallocated, every bot that stays is
copied over on the GPU, and new ones are spawned as dust across the frame. It never
exceeds what the driver can bind as one storage block, nor the bots' memory budget.
"""

from __future__ import annotations

import logging

import moderngl

from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.shaders import ShaderLibrary

BOT_BYTES = 24  # struct Bot in shaders/swarm/bot.glsl
BOTS_BINDING = 0
BOT_MEMORY = 1536 * 2**20  # bytes the bots may take (64 million); while the count changes, twice this for a moment

log = logging.getLogger(__name__)


class SwarmState:
    """Owns the bots' storage buffer: allocates and spawns it at a count this machine can hold."""

    keeps = ("count", "bots")

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self._spawn = library.program("swarm/spawn.comp")
        self.count = 0
        self.bots: moderngl.Buffer | None = None
        block = ctx.info["GL_MAX_SHADER_STORAGE_BLOCK_SIZE"]
        self.capacity = min(block, BOT_MEMORY) // BOT_BYTES  # the most bots this machine holds
        self.capacity_reason = (f"this driver binds {block:,} bytes of bots ({BOT_BYTES} bytes each)" if block < BOT_MEMORY
                                else f"the bots' memory budget is {BOT_MEMORY:,} bytes ({BOT_BYTES} bytes each)")
        self._told: int | None = None  # the count last refused, said once

    def resize(self, count: int, seed: int, aspect: float) -> None:
        """Hold `count` bots: the first min(old, new) keep their state, the rest are new. A count
        beyond the capacity (set by a preset or a scene; the desk refuses it from a sender) is held
        to it, before anything is allocated."""
        if count > self.capacity:
            if self._told != count:
                log.warning("swarm.count %s: %s; %s bots instead", f"{count:,}", self.capacity_reason, f"{self.capacity:,}")
                self._told = count
            count = self.capacity
        if count == self.count:
            return
        bots = self.ctx.buffer(reserve=count * BOT_BYTES)
        keep = min(count, self.count)
        if keep:
            assert self.bots is not None  # bots to keep are held
            self.ctx.copy_buffer(bots, self.bots, keep * BOT_BYTES)
        self.release()
        self.bots, self.count = bots, count
        self.bind()
        dispatch(self.ctx, self._spawn, count - keep, dict(u_first=keep, u_end=count, u_seed=seed, u_aspect=aspect))

    def bind(self) -> None:
        assert self.bots is not None  # bound once resized to a count
        self.bots.bind_to_storage_buffer(BOTS_BINDING)

    def release(self) -> None:
        if self.bots is not None:
            self.bots.release()
        self.bots = None
