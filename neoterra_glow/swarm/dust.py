"""Dust at depths of its own around the swarm's plane: a few large, soft, faint out-of-focus
motes in front (bokeh, at the camera's depth 1.5, so they sweep past with the most parallax)
and fine specks behind (depth 0.7). Drawn as points over the swarm's light, each a pure
function of time and seed: nothing to simulate or checkpoint.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.core.camera import view
from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target

FRONT = 16  # bokeh motes: few, so each reads as a shape
BEHIND = 1200  # fine specks
FRONT_DEPTH, BEHIND_DEPTH = 1.5, 0.7


class Dust:
    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self._shader = library.program("swarm/dust.vert", "swarm/dust.frag")
        self._vao = ctx.vertex_array(self._shader.program, [])

    def draw(self, frame: Frame, target: Target, palette: tuple[tuple[float, ...], tuple[float, ...]]) -> None:
        """Add the dust's light into the target (swarm.dust sets how much; 0: none)."""
        p = frame.params
        if p["swarm.dust"] <= 0.0:
            return
        width, height = target.size
        self._shader.set(dict(
            u_time=frame.time, u_seed=frame.seed, u_aspect=width / height, u_height=float(height), u_front=FRONT,
            u_near=view(frame.time, p, FRONT_DEPTH), u_far=view(frame.time, p, BEHIND_DEPTH),
            u_light=p["swarm.dust"] * p["swarm.brightness"], u_core=palette[0], u_edge=palette[1],
        ))
        target.fbo.use()
        self.ctx.enable(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)
        self.ctx.blend_func = moderngl.ONE, moderngl.ONE
        self._vao.render(moderngl.POINTS, vertices=FRONT + BEHIND)
        self.ctx.disable(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)

    def release(self) -> None:
        self._vao.release()
