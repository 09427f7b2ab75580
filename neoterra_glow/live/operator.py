"""The operator at the show's window: keys for scenes, glitches, blackout and freeze, and
calibrating the keystone by dragging the corners."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from neoterra_glow.glitch.faults import kinds
from neoterra_glow.gpu.context import Window
from neoterra_glow.output.hud import Hud
from neoterra_glow.output.venue import save_venue
from neoterra_glow.output.warp import CORNERS, Warp, save_calibration

if TYPE_CHECKING:  # the show makes its operator
    from neoterra_glow.live.show import LiveShow


class Operator:
    """The keys an operator has at a show, and calibrating the keystone with the mouse."""

    KEYS = {
        "f": "fullscreen", "f11": "fullscreen", "right": "next", "n": "next", "left": "previous", "p": "previous",
        "g": "glitch", "t": "tap", "b": "blackout", "space": "freeze", "s": "screenshot", "h": "hud", "c": "calibrate",
        "l": "learn", "tab": "slice",
    }

    def __init__(self, live: LiveShow, window: Window, hud: Hud, scenes: list[str], calibration: Path | None) -> None:
        self.live, self.window, self.hud = live, window, hud
        self.scenes, self.scene = scenes, 0
        self.calibration = calibration
        self.calibrating = False
        self.slice = 0  # of a wall, the slice the mouse calibrates
        self._random = random.Random()
        window.on_key = self.key
        window.on_drag = self.drag

    def key(self, name: str) -> None:
        action = self.KEYS.get(name)
        if action is None:
            return
        live, registry = self.live, self.live.piece.registry
        if action == "fullscreen":
            self.window.set_fullscreen(not self.window.fullscreen)
        elif action in ("next", "previous") and len(self.scenes) > 1:
            self.scene = (self.scene + (1 if action == "next" else -1)) % len(self.scenes)
            live.inject("/scene/go", self.scenes[self.scene], 4.0)
        elif action == "glitch":
            live.inject("/glitch/trigger", self._random.choice(kinds(random=True)), 0.8, 0.8)
        elif action == "tap":
            live.inject("/glitch/tap")
        elif action in ("blackout", "freeze"):
            live.inject(f"/output/{action}", not registry.value(f"output.{action}"))
        elif action == "screenshot":
            live.screenshot()
        elif action == "learn" and live.desk.last_set:  # the next MIDI control moved takes the parameter last sent
            live.inject("/midi/learn", live.desk.last_set)
        elif action == "hud":
            self.hud.on = not self.hud.on
        elif action == "slice" and live.venue:
            self.slice = (self.slice + 1) % len(live.venue.slices)
        elif action == "calibrate":
            self.calibrating = not self.calibrating
            registry.set("output.test_card", self.calibrating)
            if not self.calibrating and self.calibration is None:  # its file could not be read: fix it and restart
                live.report("error: the calibration was not saved: its file could not be read")
            elif not self.calibrating and live.venue:
                assert self.calibration is not None  # a file that could not be read is the branch above
                save_venue(self.calibration, live.venue, registry)  # the whole wall, at once
            elif not self.calibrating:
                assert self.calibration is not None
                save_calibration(self.calibration, registry)

    def drag(self, x: float, y: float) -> None:
        """While calibrating, the corner nearest the pointer follows it (on a wall, the chosen
        slice's corner, in its own part of the window)."""
        if not self.calibrating:
            return
        registry, prefix = self.live.piece.registry, "output"
        if self.live.venue:
            prefix, warp = self.live.venue.slices[self.slice].prefix, cast(Warp, self.live.pipeline["warp"])
            place = warp.viewport(self.slice)
            if place is None:  # its monitor is missing
                return
            left, bottom, width, height = place
            x, y = (x * warp.output.size[0] - left) / width, (y * warp.output.size[1] - bottom) / height
        nearest = min(CORNERS, key=lambda name: np.hypot(*(np.subtract(registry.value(f"{prefix}.corners.{name}"), (x, y)))))
        registry.set(f"{prefix}.corners.{nearest}", (x, y), immediate=True)
