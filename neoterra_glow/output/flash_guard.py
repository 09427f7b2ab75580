"""Photosensitive safety: no output flashes more than three times a second.

The rule is ITU-R BT.1702's (the Harding test's): a flash is a pair of opposing changes
of at least a tenth of full luminance over at least a quarter of the screen. Each
frame's luminance is measured on a coarse grid (the top levels of the output's mipmap
chain: a few hundred bytes read back). Each cell remembers its last turning point; a
cell turns when it has moved a tenth of full luminance back the other way, and a
frame turns when a quarter of the screen does. A frame that would turn once too often
in the last second is held back: the frame shown last is moved towards it only as far
as keeps fewer than a quarter of the screen from turning. Every source is caught, since
the guard sees only the finished frame: strobing faults, layers, emotions, scene cuts.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Mapping
from typing import Any, ClassVar

import moderngl
import numpy as np

from neoterra_glow.core.colour import LUMINANCE, srgb_to_linear
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target, mip_level

log = logging.getLogger(__name__)

CHANGE = 0.1  # of full luminance: a change this large is half a flash
AREA = 0.25  # of the screen that must change together
MARGIN = 0.9  # a held-back frame stops this far short of turning


class FlashGuard:
    """The stage every output passes (files, streams, lights, the window): holds back frames that
    would flash more than output.flashes a second, whatever caused them (ITU-R BT.1702)."""

    name: ClassVar[str] = "guard"
    inputs: ClassVar[tuple[str, ...]] = ("image",)
    params: ClassVar[tuple[Param, ...]] = (
        Param("output.flash_guard", Kind.BOOL, True,
              "hold large flashes to output.flashes a second (ITU-R BT.1702); switching it off is logged",
              local=True),
        Param("output.flashes", Kind.FLOAT, 3.0, "most flashes a second the guard lets through", (0.0, 3.0)),
    )

    keeps = ("held", "_targets", "_shown", "_anchor", "_trend", "_turns", "_warned")

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._mix = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "output/flash_guard.frag"))
        self.held = 0  # frames held back so far
        self._targets: list[Target] = []
        self._warned = False
        self.resize(build.size)

    def resize(self, size: tuple[int, int]) -> None:
        for target in self._targets:
            target.release()
        self._targets = [Target(self.ctx, size, dtype="f1"), Target(self.ctx, size, dtype="f1")]
        self._shown: np.ndarray | None = None  # the grid's luminance as last shown
        self._anchor: np.ndarray | None = None  # each cell's last turning point
        self._trend: np.ndarray | None = None  # and which way it has gone since: -1, 0, 1
        self._turns: deque[tuple[float, int]] = deque()  # (time, direction) of the frame's turns

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The frame as it may be shown."""
        p, image = frame.params, inputs["image"]
        if not p["output.flash_guard"]:
            if not self._warned:
                log.warning("the flash guard is off: this output may flash more than 3 times a second, "
                            "which can cause seizures in people with photosensitive epilepsy")
                self._warned = True
            self._shown = None
            return image
        self._warned = False
        grid = luminance_grid(image.texture)
        amount = 1.0
        if self._shown is None or self._shown.shape != grid.shape:
            self._shown, self._anchor, self._trend = grid, grid.copy(), np.zeros(grid.shape, np.int8)
        else:
            while self._turns and self._turns[0][0] <= frame.time - 1.0:
                self._turns.popleft()
            shown, switches = grid, self._switches(grid)
            direction = _frame_turn(switches)
            if direction and self._too_many(direction, p["output.flashes"]):
                amount = self._hold_back(grid)
                self.held += 1
                shown = self._shown + amount * (grid - self._shown)
                switches = self._switches(shown)
                direction = _frame_turn(switches)
            self._commit(shown, switches)
            if direction and (not self._turns or self._turns[-1][1] != direction):
                self._turns.append((frame.time, direction))
            self._shown = shown
        previous, output = self._targets
        if amount >= 1.0:
            self.ctx.copy_framebuffer(output.fbo, image.fbo)  # kept as shown, for a frame that must be held back
        else:
            self._mix.draw(output, {"u_amount": amount}, {"u_shown": previous.texture, "u_frame": image.texture})
        self._targets = [output, previous]
        return output

    def _switches(self, grid: np.ndarray) -> np.ndarray:
        """Each cell's turn (-1, 0, 1) if `grid` were shown now."""
        assert self._shown is not None and self._anchor is not None and self._trend is not None  # the first frame sets them
        return switches(grid, self._anchor, self._trend)

    def _too_many(self, direction: int, flashes: float) -> bool:
        turns = [d for _, d in self._turns]
        if turns and turns[-1] == direction:
            return False  # the same way again is no new change
        return len(turns) + 1 > 2 * math.floor(flashes)

    def _hold_back(self, grid: np.ndarray) -> float:
        """How far towards `grid` the frame may move and keep under a quarter of the cells from turning."""
        assert self._shown is not None and self._anchor is not None and self._trend is not None  # the first frame sets them
        change = grid - self._shown
        reach = np.where(self._trend >= 0, self._anchor - CHANGE, self._anchor + CHANGE)  # where each would turn
        reach = np.where(self._trend == 0, np.where(change > 0, self._anchor + CHANGE, self._anchor - CHANGE), reach)
        with np.errstate(divide="ignore", invalid="ignore"):
            needed = np.where(np.abs(change) > 1e-6, (reach - self._shown) / change, np.inf)
        needed = np.sort(np.where(needed > 0, needed, np.inf).ravel())
        allowed = needed[max(int(math.ceil(AREA * needed.size)) - 1, 0)]
        return float(np.clip(allowed * MARGIN, 0.0, 1.0))

    def _commit(self, shown: np.ndarray, turns: np.ndarray) -> None:
        """Move the cells' turning points on for the frame shown, whose cells turn as `turns` says."""
        assert self._shown is not None and self._anchor is not None and self._trend is not None  # the first frame sets them
        self._anchor, self._trend = committed(shown, turns, self._anchor, self._trend)

    def release(self) -> None:
        for target in self._targets:
            target.release()
        self._mix.release()


def switches(levels: np.ndarray, anchor: np.ndarray, trend: np.ndarray) -> np.ndarray:
    """Each value's turn (-1, 0, 1) if `levels` were shown now: it has moved CHANGE back the other
    way from its last turning point `anchor`, against the way it has gone since (`trend`). The
    guard's cells and the lights' fixtures (lights/sender.py) turn by this one rule."""
    diff = levels - anchor
    down = (diff <= -CHANGE) & (trend >= 0)
    up = (diff >= CHANGE) & (trend <= 0)
    return up.astype(np.int8) - down.astype(np.int8)


def committed(shown: np.ndarray, turns: np.ndarray, anchor: np.ndarray, trend: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The turning points and trends moved on for the levels shown, which turn as `turns` says."""
    turned = turns != 0
    trend = np.where(turned, turns, trend).astype(np.int8)
    anchor = np.where(turned, shown, anchor)
    # between turns, the turning point follows the value as it goes on the same way
    onward = ((trend > 0) & (shown > anchor)) | ((trend < 0) & (shown < anchor))
    return np.where(onward, shown, anchor), trend


def _frame_turn(switches: np.ndarray) -> int:
    """The frame's turn (-1, 0, 1): a quarter of the cells turning one way."""
    for direction in (1, -1):
        if (switches == direction).mean() >= AREA:
            return direction
    return 0


def luminance_grid(texture: moderngl.Texture) -> np.ndarray:
    """Relative luminance (0..1, linear) of an 8-bit sRGB texture on a grid 8 to 16 cells wide."""
    cells = mip_level(texture, max(int(math.log2(texture.width)) - 3, 0))[..., :3] / 255.0
    return srgb_to_linear(cells) @ LUMINANCE
