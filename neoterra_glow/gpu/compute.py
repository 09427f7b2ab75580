"""Compute dispatch: one call per pass, with the barrier that makes its writes visible to the next."""

from __future__ import annotations

import math
from typing import Any, Mapping

import moderngl

from neoterra_glow.gpu.shaders import ShaderProgram

GROUP_SIZE = 256  # local_size_x of every compute shader in shaders/


def dispatch(ctx: moderngl.Context, shader: ShaderProgram, items: int, uniforms: Mapping[str, Any] = {}) -> None:
    """Run a compute shader over `items` invocations (it bounds-checks the last group itself)."""
    if items <= 0:
        return
    shader.set(uniforms)
    shader.program.run(group_x=math.ceil(items / GROUP_SIZE))
    ctx.memory_barrier()
