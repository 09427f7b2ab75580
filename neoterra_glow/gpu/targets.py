"""Render targets and the fullscreen draw that most passes are made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import moderngl
import numpy as np

from neoterra_glow.core.params import Kind, Param
from neoterra_glow.gpu.shaders import ShaderProgram


class Target:
    """A texture and its framebuffer: HDR ('f2', half float) or 8-bit ('f1')."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int], dtype: str = "f2") -> None:
        self.size = size
        self.texture = ctx.texture(size, 4, dtype=dtype)
        self.texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.texture.repeat_x = self.texture.repeat_y = False
        self.fbo = ctx.framebuffer(color_attachments=[self.texture])

    def release(self) -> None:
        self.fbo.release()
        self.texture.release()


def resized(ctx: moderngl.Context, target: Target | None, size: tuple[int, int], dtype: str = "f2") -> Target:
    """A target kept from frame to frame, at `size`: `target` itself while it is that size, else a
    new one (the old released)."""
    if target is not None and target.size == size:
        return target
    if target is not None:
        target.release()
    return Target(ctx, size, dtype)


class Fullscreen:
    """Draws a fragment program over a whole target with one triangle and no vertex buffer.

    The vertex array is made at once (a pass drawn only now and then, such as the flash
    guard's mix, holds no more GPU objects the day it first draws than before), and made
    again when a shader reload replaces the program.
    """

    def __init__(self, ctx: moderngl.Context, shader: ShaderProgram) -> None:
        self.ctx = ctx
        self.shader = shader
        self._vao: moderngl.VertexArray | None = ctx.vertex_array(shader.program, [])
        self._generation = shader.generation

    def draw(
        self,
        target: Target | moderngl.Framebuffer,
        uniforms: Mapping[str, Any] = {},
        textures: Mapping[str, moderngl.Texture] = {},
        blend: tuple[int, int] | None = None,
        viewport: tuple[int, int, int, int] | None = None,
    ) -> None:
        """Draw over the target (or a framebuffer, such as the window's), replacing its pixels,
        or blending with `blend` = (source, destination) factors; over `viewport` (x, y, width,
        height in pixels) of it only, when given."""
        if self._generation != self.shader.generation:
            self.release()
            self._vao = self.ctx.vertex_array(self.shader.program, [])
            self._generation = self.shader.generation
        for unit, texture in enumerate(textures.values()):
            texture.use(unit)
        self.shader.set({name: unit for unit, name in enumerate(textures)})
        self.shader.set(uniforms)
        (target if isinstance(target, moderngl.Framebuffer) else target.fbo).use()
        if viewport is not None:
            self.ctx.viewport = viewport
        if blend:
            self.ctx.enable(moderngl.BLEND)
            self.ctx.blend_func = blend
        else:
            self.ctx.disable(moderngl.BLEND)
        assert self._vao is not None  # made again above when released
        self._vao.render(moderngl.TRIANGLES, vertices=3)

    def release(self) -> None:
        if self._vao is not None:
            self._vao.release()
            self._vao = None


def uniforms_for(params: tuple[Param, ...], snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """Uniform values for a pass's declared parameters: `post.bloom.radius` feeds `u_radius`.

    Enums arrive as the index of their choice, so shaders can switch on an int.
    """
    uniforms = {}
    for param in params:
        value = snapshot[param.path]
        if param.kind is Kind.ENUM:
            value = param.choices.index(value)
        uniforms["u_" + param.path.rsplit(".", 1)[-1]] = value
    return uniforms


def mip_level(texture: moderngl.Texture, level: int) -> np.ndarray:
    """The texture's mipmap `level`, built now and read back: (height, width, 4) bytes, bottom row
    first. A few hundred cells say what a whole frame looks like for a few kilobytes read (the
    flash guard's grid). The texture is left sampling linearly, as it was drawn."""
    texture.build_mipmaps(0, level)
    width, height = max(texture.width >> level, 1), max(texture.height >> level, 1)
    cells = np.frombuffer(texture.read(level=level), np.uint8).reshape(height, width, 4)
    texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
    return cells
