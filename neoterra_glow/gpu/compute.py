"""Compute dispatch: one call per pass, with the barrier that makes its writes visible to the next."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import moderngl

from neoterra_glow.gpu.shaders import ShaderProgram

GROUP_SIZE = 256  # local_size_x of every compute shader in shaders/
SURE_GROUPS = 65_535  # workgroups in x that every OpenGL 4.3 driver runs in one dispatch (the least it may allow)


def dispatch(ctx: moderngl.Context, shader: ShaderProgram, items: int, uniforms: Mapping[str, Any] = {}) -> None:
    """Run a compute shader over `items` invocations (it bounds-checks the last group itself). Past the
    driver's most workgroups in x, they are laid in rows of y: the shader's index is
    common/invocation.glsl's invocation()."""
    if items <= 0:
        return
    shader.set(uniforms)
    groups = math.ceil(items / GROUP_SIZE)
    most = SURE_GROUPS if groups <= SURE_GROUPS else ctx.info["GL_MAX_COMPUTE_WORK_GROUP_COUNT"][0]  # asked only when it matters
    rows = math.ceil(groups / most)
    shader.program.run(group_x=math.ceil(groups / rows), group_y=rows)
    ctx.memory_barrier()
