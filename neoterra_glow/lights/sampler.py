"""Where each fixture looks: the finished frame as cells about 64 wide, each its block's mean (one
pass of 16 taps a cell, shaders/lights/cells.frag; a few kilobytes read back a frame), averaged
over each fixture's region from a table of summed cells. The frame sampled is the one shown, so
blackout and freeze reach the lights as they reach the projector.

The cells are read back a frame late, through two pixel buffers that take turns (output/readback.py):
reading them at once would make the render thread wait for the GPU to finish the whole frame.

The pass replaced a mipmap chain (gpu/targets.py mip_level), which filtered every level of the
whole frame: on Mesa's llvmpipe that was 1.0-1.2 ms at 960x540 and 4-11 ms at 1920x1080, the
pass 0.8 and 0.9 ms."""

from __future__ import annotations

import math

import moderngl
import numpy as np

from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target, resized
from neoterra_glow.lights.fixtures import Rig
from neoterra_glow.output.readback import Readback

CELLS = 64  # the cells read back are about this many wide
PUBLISHED = 48  # fixtures' levels set in the registry a frame at most


def level_params(rig: Rig) -> tuple[Param, ...]:
    """Each fixture's brightness as measured parameters: OSCQuery lists them, the HUD shows them."""
    return tuple(Param(f"lights.{f.name}", Kind.FLOAT, 0.0, f"brightness sent to fixture {f.name} (universe {f.universe})",
                       (0.0, 1.0), measured=True) for f in rig.fixtures)


class Sampler:
    """Each fixture's colour from its region of the frame, read back as a few cells, not the whole image."""

    def __init__(self, rig: Rig, library: ShaderLibrary) -> None:
        self.rig = rig
        self._pass = Fullscreen(library.ctx, library.program("common/fullscreen.vert", "lights/cells.frag"))
        self._cells: Target | None = None
        self._readback = Readback(library.ctx, (1, 1))  # the cells' pixel buffers, made again at their size
        self._boxes = np.zeros((0, 4), np.intp)  # each fixture's cells: x0, y0, x1, y1
        self._table = np.zeros((1, 1, 3), np.int32)  # summed areas: any box's sum from its four corners
        self._paths = [f"lights.{f.name}" for f in rig.fixtures]
        self._published = np.full(len(rig.fixtures), np.nan)  # each level as the registry last had it
        self._published_to: tuple[int, int] | None = None  # which registry, at which version
        self._turn = 0  # where the next frame's publishing starts, when more changed than it may publish

    def sample(self, texture: moderngl.Texture) -> np.ndarray | None:
        """Each fixture's colour (n x 3, 0..1 as stored) in the texture sampled the call before, while this
        one's cells are copied off the GPU; None at the first call, and the first after the frame's size changed."""
        block = 1 << max(int(math.log2(max(texture.width // CELLS, 1))), 0)
        size = (max(texture.width // block, 1), max(texture.height // block, 1))
        width, height = size
        kept = resized(self._pass.ctx, self._cells, size, "f1")
        if kept is not self._cells:  # the fixtures' cells and the table follow the size
            self._cells = kept
            self._boxes = np.array([_box(f.region, width, height) for f in self.rig.fixtures])
            self._table = np.zeros((height + 1, width + 1, 3), np.int32)
            self._readback.release()
            self._readback = Readback(self._pass.ctx, size)
        self._pass.draw(self._cells, {"u_block": float(block)}, {"u_image": texture})
        finished = self._readback.push(0, self._cells)
        if finished is None:
            return None
        cells = finished[1][:, :, :3]  # rows top first
        table = self._table
        np.cumsum(cells, axis=0, dtype=np.int32, out=table[1:, 1:])
        np.cumsum(table[1:, 1:], axis=1, out=table[1:, 1:])
        x0, y0, x1, y1 = self._boxes.T
        sums = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
        return sums / ((x1 - x0) * (y1 - y0))[:, None] / 255.0

    def release(self) -> None:
        if self._cells is not None:
            self._cells.release()
        self._readback.release()
        self._pass.release()

    def publish(self, registry: Registry, colours: np.ndarray) -> None:
        """The fixtures' brightness (their brightest channel) into the registry, at a frame boundary:
        those changed by a DMX step or more, at most PUBLISHED a frame, in turn (a pixel-mapped rig of
        thousands would otherwise cost milliseconds a frame; the HUD and OSCQuery see each within a second)."""
        if self._published_to != (id(registry), registry.version):  # a new registry, or parameters came or went
            self._published_to, self._published = (id(registry), registry.version), np.full(len(self._paths), np.nan)
        levels = colours.max(axis=1)
        changed = np.flatnonzero(~(np.abs(levels - self._published) < 0.5 / 255))
        if len(changed) > PUBLISHED:
            changed = np.roll(changed, -int(np.searchsorted(changed, self._turn)))[:PUBLISHED]
            self._turn = changed[-1] + 1
        for index in changed.tolist():
            registry.set(self._paths[index], float(levels[index]), immediate=True)
        self._published[changed] = levels[changed]


def _box(region: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    """A region's cells, at least one."""
    x, y, w, h = region
    x0, y0 = min(int(x * width), width - 1), min(int(y * height), height - 1)
    return x0, y0, max(int(math.ceil((x + w) * width)), x0 + 1), max(int(math.ceil((y + h) * height)), y0 + 1)
