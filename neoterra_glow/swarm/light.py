"""The swarm's light: glowing sprites with decaying trails, and each glyph's own glow as it forms."""

from __future__ import annotations

import moderngl
import numpy as np

from neoterra_glow.glyphs.atlas import GlyphAtlas
from neoterra_glow.glyphs.glyph import EXTENT
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target, set_uniforms

ADD = (moderngl.ONE, moderngl.ONE)
KEEP = (moderngl.ZERO, moderngl.SRC_COLOR)  # destination times the source: fades the trail


class SwarmLight:
    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary, size: tuple[int, int]) -> None:
        self.ctx = ctx
        self.trail = Target(ctx, size)
        self._fade = Fullscreen(ctx, library.program("common/fullscreen.vert", "swarm/trail_fade.frag"))
        self._add = Fullscreen(ctx, library.program("common/fullscreen.vert", "swarm/trail_add.frag"))
        self._sprites = library.program("swarm/sprites.vert", "swarm/sprites.frag")
        self._glyphs = library.program("swarm/glyph_glow.vert", "swarm/glyph_glow.frag")
        self._instances = ctx.buffer(reserve=32)
        self._vaos: dict[str, tuple[int, moderngl.VertexArray]] = {}

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.trail.size:
            self.trail.release()
            self.trail = Target(self.ctx, size)

    def draw_sprites(self, count: int, keep: float, uniforms: dict) -> None:
        """Fade the trail to `keep` of itself, then add every bot's sprite (bots bound as storage)."""
        self._fade.draw(self.trail, {"u_keep": keep}, blend=KEEP)
        set_uniforms(self._sprites.program, uniforms)
        self.ctx.enable(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)
        self.ctx.blend_func = ADD
        self.trail.fbo.use()
        self._vao("sprites", self._sprites, []).render(moderngl.POINTS, vertices=count)

    def draw_glyphs(self, target: Target, atlas: GlyphAtlas, places: np.ndarray, glow: np.ndarray, uniforms: dict) -> None:
        """Each glyph's SDF glow at its place, scaled by its glow (those at zero are skipped)."""
        lit = glow > 1e-3
        if not lit.any():
            return
        instances = np.column_stack([places[lit], glow[lit], atlas.cells()[lit]]).astype(np.float32)
        if self._instances.size < instances.nbytes:
            self._drop_vao("glyphs")  # it points at the old buffer
            self._instances.release()
            self._instances = self.ctx.buffer(reserve=instances.nbytes)
        self._instances.write(instances.tobytes())
        atlas.sdf.use(0)
        set_uniforms(self._glyphs.program, dict(uniforms, u_atlas=0, u_extent=EXTENT))
        self.ctx.enable(moderngl.BLEND)
        self.ctx.blend_func = ADD
        target.fbo.use()
        vao = self._vao("glyphs", self._glyphs, [(self._instances, "4f 4f/i", "i_place", "i_cell")])
        vao.render(moderngl.TRIANGLE_STRIP, vertices=4, instances=int(lit.sum()))

    def add_into(self, target: Target) -> None:
        self._add.draw(target, textures={"u_trail": self.trail.texture}, blend=ADD)

    def _vao(self, name, shader, content) -> moderngl.VertexArray:
        """A vertex array for the shader's current program, rebuilt after a reload."""
        generation, vao = self._vaos.get(name, (-1, None))
        if generation != shader.generation:
            self._drop_vao(name)
            vao = self.ctx.vertex_array(shader.program, content)
            self._vaos[name] = (shader.generation, vao)
        return vao

    def _drop_vao(self, name: str) -> None:
        if name in self._vaos:
            self._vaos.pop(name)[1].release()

    def release(self) -> None:
        for name in list(self._vaos):
            self._drop_vao(name)
        for thing in (self._fade, self._add, self._instances, self.trail):
            thing.release()
