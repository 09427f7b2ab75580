"""Getting finished frames off the GPU without waiting for them.

Two pixel buffers take turns: frame N is copied into one while the CPU maps
frame N-1 from the other, so the GPU never stalls on a synchronous read.
"""

from __future__ import annotations

import moderngl
import numpy as np

from neoterra_glow.gpu.targets import Target


class Readback:
    """Double-buffered asynchronous readback of 8-bit RGBA frames, top row first."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int]) -> None:
        self.size = size
        self._buffers = [ctx.buffer(reserve=size[0] * size[1] * 4) for _ in range(2)]
        self._turn = 0
        self._pending: tuple[int, moderngl.Buffer] | None = None

    def push(self, index: int, target: Target) -> tuple[int, np.ndarray] | None:
        """Start copying this frame; returns the previous frame's pixels, if there was one."""
        buffer = self._buffers[self._turn]
        self._turn ^= 1
        target.fbo.read_into(buffer, components=4, alignment=1)
        finished, self._pending = self._pending, (index, buffer)
        return self._map(finished) if finished else None

    def flush(self) -> tuple[int, np.ndarray] | None:
        """The last frame pushed, once no more are coming."""
        finished, self._pending = self._pending, None
        return self._map(finished) if finished else None

    def _map(self, pending: tuple[int, moderngl.Buffer]) -> tuple[int, np.ndarray]:
        index, buffer = pending
        width, height = self.size
        pixels = np.frombuffer(buffer.read(), np.uint8).reshape(height, width, 4)
        return index, np.ascontiguousarray(pixels[::-1])  # OpenGL rows run bottom-up

    def release(self) -> None:
        for buffer in self._buffers:
            buffer.release()
