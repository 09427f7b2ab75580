"""Screen faults: the frame's HDR light malfunctions before it blooms, near the faces only.

Pixel sorting (compute), then blocks, tear, bit-crush, RGB split and static in one
pass, then the feedback smear. Where they strike is the swarm's light, widened (near.frag):
a malfunction belongs to the bots, and the picture around them stays whole. Each is capped
at SCREEN_CAP, so a face is never erased. A fault at zero is skipped; with none at all the
frame's own texture goes on untouched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Param
from neoterra_glow.glitch.faults import SCREEN_KINDS, kinds
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target

SORT_SPAN = 1024  # pixels one workgroup of shaders/glitch/sort.comp sorts
ONE_PASS = kinds(stage="screen")  # drawn by shaders/glitch/screen.frag, each at its u_<kind>
SCREEN_CAP = 0.7  # the most of any screen fault: past it a face under a full chaos stops reading
NEAR_BLOCK = 8  # frame pixels to one texel of the faults' neighbourhood (near.frag)


class ScreenFaults:
    """The screen-fault stage: the malfunction's screen faults drawn into the HDR light, near the faces."""

    name: ClassVar[str] = "glitch"
    inputs: ClassVar[tuple[str, ...]] = ("image", "light")
    params: ClassVar[tuple[Param, ...]] = ()  # their levels are the malfunction's: glitch.split, glitch.blocks ...
    keeps = ("size", "_targets", "_history_fresh")

    def __init__(self, build: Build) -> None:
        self.ctx = ctx = build.ctx
        library = build.library
        self.size = build.size
        self._sort = library.program("glitch/sort.comp")
        self._screen = Fullscreen(ctx, library.program("common/fullscreen.vert", "glitch/screen.frag"))
        self._smear = Fullscreen(ctx, library.program("common/fullscreen.vert", "glitch/smear.frag"))
        self._near = Fullscreen(ctx, library.program("common/fullscreen.vert", "glitch/near.frag"))
        self._targets: dict[str, Target] = {}
        self._history_fresh = False

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.size:
            self.release_targets()
            self.size = size

    def _target(self, name: str, size: tuple[int, int] | None = None) -> Target:
        if name not in self._targets:
            self._targets[name] = Target(self.ctx, size or self.size)
        return self._targets[name]

    def _near_faces(self, light: Target) -> Target:
        """Where the faults may strike: the swarm's light as a coarse coverage."""
        size = (max(self.size[0] // NEAR_BLOCK, 1), max(self.size[1] // NEAR_BLOCK, 1))
        near = self._target("near", size)
        self._near.draw(near, dict(u_block=NEAR_BLOCK), {"u_light": light.texture})
        return near

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The light after this frame's screen faults (the image itself when there are none)."""
        levels = {kind: min(frame.faults[kind], SCREEN_CAP) for kind in SCREEN_KINDS}
        clean = light = inputs["image"]
        if not any(levels.values()):
            self._history_fresh = False
            return light
        near = self._near_faces(inputs["light"]).texture
        seed = frame.faults.seed ^ (frame.seed * 7919)
        if levels["sort"] > 0:
            out = self._target("sorted")
            light.texture.use(0)
            out.texture.bind_to_image(0, read=False, write=True)
            self._sort.set(dict(u_image=0, u_sort=levels["sort"], u_seed=seed))
            self._sort.program.run(group_x=math.ceil(self.size[0] / SORT_SPAN), group_y=self.size[1])
            self.ctx.memory_barrier()
            light = out
        if any(levels[kind] > 0 for kind in (*ONE_PASS, "sort")):  # the sorted light, too, is kept near the faces
            out = self._target("screen")
            uniforms = {f"u_{kind}": levels[kind] for kind in ONE_PASS}
            self._screen.draw(out, dict(uniforms, u_seed=seed, u_frame=frame.index),
                              {"u_image": light.texture, "u_clean": clean.texture, "u_near": near})
            light = out
        if levels["smear"] > 0:
            history = self._target("history")
            if not self._history_fresh:  # the smear starts from this frame, not a stale one
                self.ctx.copy_framebuffer(history.fbo, light.fbo)
            out = self._target("smeared")
            self._smear.draw(out, dict(u_smear=levels["smear"], u_seed=seed),
                             {"u_image": light.texture, "u_history": history.texture, "u_near": near})
            self._targets["history"], self._targets["smeared"] = out, history
            self._history_fresh = True
            light = out
        else:
            self._history_fresh = False
        return light

    def release_targets(self) -> None:
        for target in self._targets.values():
            target.release()
        self._targets.clear()
        self._history_fresh = False

    def release(self) -> None:
        self.release_targets()
        self._screen.release()
        self._smear.release()
        self._near.release()
