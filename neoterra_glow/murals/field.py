"""The first scene: a slowly breathing bioluminescent field under everything else."""

from __future__ import annotations

import moderngl

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target, uniforms_for


class Field:
    """Layered, domain-warped noise in a three-colour palette, breathing slowly."""

    params = (
        Param("field.brightness", Kind.FLOAT, 1.0, "overall light of the field", (0.0, 8.0), smoothing=0.4),
        Param("field.speed", Kind.FLOAT, 0.08, "how fast the currents drift", (0.0, 2.0), smoothing=0.6),
        Param("field.scale", Kind.FLOAT, 1.1, "size of the currents: higher is finer", (0.2, 8.0), smoothing=0.6),
        Param("field.warp", Kind.FLOAT, 2.4, "how strongly the currents fold into each other", (0.0, 8.0), smoothing=0.6),
        Param("field.breath_rate", Kind.FLOAT, 0.12, "breaths per second", (0.0, 2.0), smoothing=1.0),
        Param("field.breath_depth", Kind.FLOAT, 0.35, "how much of the light each breath takes away", (0.0, 1.0), smoothing=0.5),
        Param("field.veins", Kind.FLOAT, 2.5, "glow of the plankton veins", (0.0, 12.0), smoothing=0.4),
        Param("field.sparkle", Kind.FLOAT, 0.18, "share of the sea's cells that twinkle", (0.0, 1.0), smoothing=0.4),
        Param("field.deep", Kind.COLOUR, "#020b1a", "colour of the dark water", smoothing=1.0),
        Param("field.mid", Kind.COLOUR, "#06505e", "colour of the currents", smoothing=1.0),
        Param("field.glow", Kind.COLOUR, "#5effd0", "colour of the veins and sparkles", smoothing=1.0),
        Param("field.accent", Kind.COLOUR, "#8a5cff", "colour some currents' glow drifts towards", smoothing=1.0),
    )

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self._draw = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/field.frag"))

    def draw(self, frame: Frame, target: Target) -> None:
        uniforms = uniforms_for(self.params, frame.params)
        uniforms.update(u_resolution=target.size, u_time=frame.time, u_seed=frame.seed)
        self._draw.draw(target, uniforms)

    def release(self) -> None:
        self._draw.release()
