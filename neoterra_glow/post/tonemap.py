"""Tonemapping: HDR light to the 8-bit image a projector or a video file shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target, uniforms_for


class Tonemap:
    """Exposure, bloom, a filmic curve, saturation, vignette, sRGB and dither, into an 8-bit target."""

    name: ClassVar[str] = "tonemap"
    inputs: ClassVar[tuple[str, ...]] = ("image", "glow")
    params: ClassVar[tuple[Param, ...]] = (
        Param("post.tonemap.exposure", Kind.FLOAT, 0.0, "exposure in stops", (-8.0, 8.0), smoothing=0.3),
        Param("post.tonemap.operator", Kind.ENUM, "aces", "tone curve", choices=("aces", "reinhard", "hable")),
        Param("post.tonemap.saturation", Kind.FLOAT, 1.05, "colour saturation after the curve", (0.0, 2.0), smoothing=0.3),
        Param("post.tonemap.vignette", Kind.FLOAT, 0.35, "darkening towards the corners", (0.0, 1.0), smoothing=0.3),
        Param("post.tonemap.dither", Kind.BOOL, True, "dither to hide banding in dark gradients"),
        Param("output.transparent", Kind.BOOL, False,
              "no murals behind the swarm, and the light's coverage as alpha (kept by .mov and PNG renders)"),
    )

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._draw = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "post/tonemap.frag"))
        self.output = Target(self.ctx, build.size, dtype="f1")

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.output.size:
            self.output.release()
            self.output = Target(self.ctx, size, dtype="f1")

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        uniforms = uniforms_for(self.params, frame.params)
        uniforms["u_frame"] = frame.index
        self._draw.draw(self.output, uniforms, {"u_hdr": inputs["image"].texture, "u_bloom": inputs["glow"].texture})
        return self.output

    def release(self) -> None:
        self.output.release()
        self._draw.release()
