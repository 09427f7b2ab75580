"""Bloom: the glow of the whole piece, from a mip chain of the HDR image."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target, uniforms_for

MAX_LEVELS = 7
# the shaders' own uniforms, named as their parameters (gpu/targets.py, uniforms_for): post.bloom.knee feeds u_knee
DOWN = (
    Param("post.bloom.threshold", Kind.FLOAT, 0.8, "light above which things glow", (0.0, 16.0), smoothing=0.3),
    Param("post.bloom.knee", Kind.FLOAT, 0.6, "softness of the threshold, as a share of it", (0.0, 1.0), smoothing=0.3),
)
UP = (Param("post.bloom.radius", Kind.FLOAT, 0.72, "how far the glow spreads", (0.0, 1.0), smoothing=0.3),)


def level_sizes(size: tuple[int, int]) -> list[tuple[int, int]]:
    """Halved sizes down to a few pixels: the reach of the glow is about the smallest level."""
    sizes: list[tuple[int, int]] = []
    width, height = size
    while len(sizes) < MAX_LEVELS and min(width, height) >= 8:
        width, height = max(width // 2, 1), max(height // 2, 1)
        sizes.append((width, height))
    return sizes


class Bloom:
    """Soft-threshold downsample chain, then a tent-filtered upsample back to half size."""

    name: ClassVar[str] = "bloom"
    inputs: ClassVar[tuple[str, ...]] = ("image",)
    params: ClassVar[tuple[Param, ...]] = (
        Param("post.bloom.intensity", Kind.FLOAT, 0.9, "strength of the glow", (0.0, 8.0), smoothing=0.3),
        *DOWN,
        *UP,
        Param("post.bloom.governed", Kind.BOOL, False, "a live show's frame-time governor gave the glow's first level up to hold "
              "the frame rate: it starts at a quarter of the frame, not half (never in a render)", measured=True),
    )

    def __init__(self, build: Build) -> None:
        self.ctx = ctx = build.ctx
        library = build.library
        self._down = Fullscreen(ctx, library.program("common/fullscreen.vert", "post/bloom_down.frag"))
        self._up = Fullscreen(ctx, library.program("common/fullscreen.vert", "post/bloom_up.frag"))
        self._black = Target(ctx, (1, 1))
        self._black.fbo.clear()
        self._downs: list[Target] = []
        self._ups: list[Target] = []
        self.resize(build.size)

    def resize(self, size: tuple[int, int]) -> None:
        self._release_levels()
        sizes = level_sizes(size)
        self._downs = [Target(self.ctx, s) for s in sizes]
        self._ups = [Target(self.ctx, s) for s in sizes[:-1]]

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The glow to add to the image, at half its size (a quarter when governed), already scaled by the intensity."""
        p = frame.params
        if not self._downs:
            return self._black
        first = 1 if p["post.bloom.governed"] and len(self._ups) > 1 else 0  # the half-size level: three quarters of the work
        source = inputs["image"].texture
        down, up = uniforms_for(DOWN, p), uniforms_for(UP, p)
        for index, target in enumerate(self._downs[first:], first):
            self._down.draw(
                target,
                {**down, "u_first": index == first, "u_spread": 2.0 ** first if index == first else 1.0},
                {"u_source": source},
            )
            source = target.texture
        coarse = self._downs[-1]
        for level in reversed(range(first, len(self._ups))):
            gain = p["post.bloom.intensity"] if level == first else 1.0
            self._up.draw(
                self._ups[level],
                {**up, "u_gain": gain},
                {"u_coarse": coarse.texture, "u_fine": self._downs[level].texture},
            )
            coarse = self._ups[level]
        return coarse

    def _release_levels(self) -> None:
        for target in self._downs + self._ups:
            target.release()

    def release(self) -> None:
        self._release_levels()
        self._black.release()
        self._down.release()
        self._up.release()
