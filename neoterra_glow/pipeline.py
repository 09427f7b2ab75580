"""The piece, frame by frame: the swarm moves, the field and the swarm add light into an
HDR target, then bloom and tonemap.

This is the one place that says which passes make the piece and in what order;
the parameter registry is gathered from the same list.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Registry
from neoterra_glow.core.presets import Preset, load_preset
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.sources import load_glyphs
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.field import Field
from neoterra_glow.post.bloom import Bloom
from neoterra_glow.post.tonemap import Tonemap
from neoterra_glow.swarm.swarm import Swarm

SCENE = (Field, Swarm)
POST = (Bloom, Tonemap)


def declare_params() -> Registry:
    """A registry holding every parameter of every pass, at its default."""
    return Registry(param for kind in (*SCENE, *POST) for param in kind.params)


def registry_for(preset_name) -> tuple[Registry, Preset]:
    """The piece's registry, set to a preset that was checked whole first."""
    registry = declare_params()
    preset = load_preset(preset_name, registry)
    preset.apply(registry)
    return registry, preset


def glyphs_for(preset: Preset) -> list[Glyph]:
    """The glyphs a preset names, loaded relative to its file."""
    return load_glyphs(preset.glyphs, preset.path.parent)


class Pipeline:
    """Owns the HDR target and the passes; `render` returns the finished 8-bit frame."""

    def __init__(
        self, ctx: moderngl.Context, library: ShaderLibrary, size: tuple[int, int], glyphs: list[Glyph] = ()
    ) -> None:
        self.ctx = ctx
        self.size = size
        self.hdr = Target(ctx, size)
        self.field = Field(ctx, library)
        self.swarm = Swarm(ctx, library, size, glyphs)
        self.bloom = Bloom(ctx, library, size)
        self.tonemap = Tonemap(ctx, library, size)

    def resize(self, size: tuple[int, int]) -> None:
        if size == self.size:
            return
        self.size = size
        self.hdr.release()
        self.hdr = Target(self.ctx, size)
        self.bloom.resize(size)
        self.tonemap.resize(size)

    def render(self, frame: Frame) -> Target:
        self.swarm.simulate(frame)
        self.hdr.fbo.clear(0.0, 0.0, 0.0, 1.0)
        self.field.draw(frame, self.hdr)
        self.swarm.draw(frame, self.hdr)
        glow = self.bloom.run(frame, self.hdr.texture)
        return self.tonemap.run(frame, self.hdr.texture, glow)

    def release(self) -> None:
        self.field.release()
        self.swarm.release()
        self.bloom.release()
        self.tonemap.release()
        self.hdr.release()
