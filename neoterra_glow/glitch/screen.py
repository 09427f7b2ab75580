"""Screen faults: the frame's HDR light malfunctions before it blooms.

Pixel sorting (compute), then blocks, tear, bit-crush, RGB split and static in one
pass, then the feedback smear. A fault at zero is skipped; with none at all the
frame's own texture goes on untouched.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from neoterra_glow.core.frame import Frame
from neoterra_glow.glitch.faults import kinds
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target

SORT_SPAN = 1024  # pixels one workgroup of shaders/glitch/sort.comp sorts
ONE_PASS = kinds(stage="screen")  # drawn by shaders/glitch/screen.frag, each at its u_<kind>


class ScreenFaults:
    name = "glitch"
    inputs = ("image",)
    params = ()  # their levels are the malfunction's: glitch.split, glitch.blocks ...
    keeps = ("size", "_targets", "_history_fresh")

    def __init__(self, build: Build) -> None:
        self.ctx = ctx = build.ctx
        library = build.library
        self.size = build.size
        self._sort = library.program("glitch/sort.comp")
        self._screen = Fullscreen(ctx, library.program("common/fullscreen.vert", "glitch/screen.frag"))
        self._smear = Fullscreen(ctx, library.program("common/fullscreen.vert", "glitch/smear.frag"))
        self._targets: dict[str, Target] = {}
        self._history_fresh = False

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.size:
            self.release_targets()
            self.size = size

    def _target(self, name: str) -> Target:
        if name not in self._targets:
            self._targets[name] = Target(self.ctx, self.size)
        return self._targets[name]

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The light after this frame's screen faults (the image itself when there are none)."""
        faults = frame.faults
        light = inputs["image"]
        seed = faults.seed ^ (frame.seed * 7919)
        if faults["sort"] > 0:
            out = self._target("sorted")
            light.texture.use(0)
            out.texture.bind_to_image(0, read=False, write=True)
            self._sort.set(dict(u_image=0, u_sort=faults["sort"], u_seed=seed))
            self._sort.program.run(group_x=math.ceil(self.size[0] / SORT_SPAN), group_y=self.size[1])
            self.ctx.memory_barrier()
            light = out
        if any(faults[kind] > 0 for kind in ONE_PASS):
            out = self._target("screen")
            uniforms = {f"u_{kind}": faults[kind] for kind in ONE_PASS}
            self._screen.draw(out, dict(uniforms, u_seed=seed, u_frame=frame.index), {"u_image": light.texture})
            light = out
        if faults["smear"] > 0:
            history = self._target("history")
            if not self._history_fresh:  # the smear starts from this frame, not a stale one
                self.ctx.copy_framebuffer(history.fbo, light.fbo)
            out = self._target("smeared")
            self._smear.draw(out, dict(u_smear=faults["smear"], u_seed=seed), {"u_image": light.texture, "u_history": history.texture})
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
