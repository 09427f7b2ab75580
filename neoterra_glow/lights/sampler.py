"""Where each fixture looks: the finished frame's mipmap level about 64 cells wide (a few
kilobytes read back a frame), averaged over each fixture's region. The frame sampled is
the one shown, so blackout and freeze reach the lights as they reach the projector."""

from __future__ import annotations

import math

import moderngl
import numpy as np

from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.gpu.targets import mip_level
from neoterra_glow.lights.fixtures import Rig

CELLS = 64  # the level read back is about this many cells wide


def level_params(rig: Rig) -> tuple[Param, ...]:
    """Each fixture's brightness as measured parameters: OSCQuery lists them, the HUD shows them."""
    return tuple(Param(f"lights.{f.name}", Kind.FLOAT, 0.0, f"brightness sent to fixture {f.name} (universe {f.universe})",
                       (0.0, 1.0), measured=True) for f in rig.fixtures)


class Sampler:
    def __init__(self, rig: Rig) -> None:
        self.rig = rig
        self._boxes = np.zeros((0, 4), np.intp)  # each fixture's cells: x0, y0, x1, y1
        self._shape: tuple[int, int] | None = None

    def sample(self, texture: moderngl.Texture) -> np.ndarray:
        """Each fixture's colour (n x 3, 0..1 as stored) in the texture."""
        cells = mip_level(texture, max(int(math.log2(max(texture.width // CELLS, 1))), 0))[::-1, :, :3]  # y down
        height, width = cells.shape[:2]
        if self._shape != (height, width):
            self._shape, self._boxes = (height, width), np.array([_box(f.region, width, height) for f in self.rig.fixtures])
        table = np.zeros((height + 1, width + 1, 3))  # summed areas: any box's sum from its four corners
        table[1:, 1:] = cells.cumsum(axis=0, dtype=float).cumsum(axis=1)
        x0, y0, x1, y1 = self._boxes.T
        sums = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
        return sums / ((x1 - x0) * (y1 - y0))[:, None] / 255.0

    def publish(self, registry: Registry, colours: np.ndarray) -> None:
        """The fixtures' brightness (their brightest channel) into the registry, at a frame boundary."""
        for fixture, value in zip(self.rig.fixtures, colours.max(axis=1)):
            registry.set(f"lights.{fixture.name}", float(value), immediate=True)


def _box(region: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    """A region's cells, at least one."""
    x, y, w, h = region
    x0, y0 = min(int(x * width), width - 1), min(int(y * height), height - 1)
    return x0, y0, max(int(math.ceil((x + w) * width)), x0 + 1), max(int(math.ceil((y + h) * height)), y0 + 1)
