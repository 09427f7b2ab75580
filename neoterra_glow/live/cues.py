"""Cue lists: scenes and glitches fired at set times into the show, or by name over OSC (/cue)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from neoterra_glow.control.message import Control
from neoterra_glow.errors import UserError

_CUE_KEYS = ("at", "name", "scene", "fade", "glitch", "intensity", "seconds")
_CUE_TYPES = (("at", (int, float), "seconds into the show, a number"), ("fade", (int, float), "seconds, a number"),
              ("intensity", (int, float), "a number from 0 to 1"), ("seconds", (int, float), "seconds, a number"),
              ("name", str, "text"), ("scene", str, "a preset"), ("glitch", str, "a fault kind"))


@dataclass(frozen=True)
class Cue:
    """At `at` seconds into the show (or when cued by name over OSC): go to `scene` over
    `fade` seconds, and/or fire the `glitch` kind."""

    at: float | None
    name: str
    scene: str | None = None
    fade: float = 4.0
    glitch: str | None = None
    intensity: float = 0.8
    seconds: float = 0.6

    def controls(self) -> list[Control]:
        """The desk messages that carry the cue out (so a recorded session replays it)."""
        out = []
        if self.scene:
            out.append(Control("/scene/go", (self.scene, self.fade)))
        if self.glitch:
            out.append(Control("/glitch/trigger", (self.glitch, self.intensity, self.seconds)))
        return out


def read_cues(path: Path) -> list[Cue]:
    """A cue list file: [[cue]] tables with at (seconds) or name, and scene/fade and/or glitch."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UserError(f"{path}: not a readable cue list: {error}") from None
    cues = []
    for number, table in enumerate(data.get("cue", [])):
        unknown = sorted(set(table) - set(_CUE_KEYS))
        where = f"{path}: cue[{number}]"
        if unknown:
            raise UserError(f"{where}: unknown key {unknown[0]!r}; a cue has {', '.join(_CUE_KEYS)}")
        if "at" not in table and "name" not in table:
            raise UserError(f"{where}: needs 'at' (seconds into the show) or a 'name' to cue it by")
        if not table.get("scene") and not table.get("glitch"):
            raise UserError(f"{where}: needs a 'scene' or a 'glitch' to fire")
        for key, kind, described in _CUE_TYPES:
            value = table.get(key)
            wrong = not isinstance(value, kind) or isinstance(value, bool) or (kind is not str and not 0 <= value < float("inf"))
            if key in table and wrong:
                raise UserError(f"{where}: {key!r} must be {described}, got {value!r}")
        cues.append(Cue(at=table.get("at"), name=str(table.get("name", f"cue {number}")), scene=table.get("scene"),
                        fade=float(table.get("fade", 4.0)), glitch=table.get("glitch"),
                        intensity=float(table.get("intensity", 0.8)), seconds=float(table.get("seconds", 0.6))))
    return sorted(cues, key=lambda c: (c.at is None, c.at or 0.0))


class CueList:
    """Fires timed cues as the show's clock passes them; named ones when asked."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._fired: set[int] = set()

    def due(self, time: float) -> list[Control]:
        out = []
        for number, cue in enumerate(self.cues):
            if cue.at is not None and number not in self._fired and time >= cue.at:
                self._fired.add(number)
                out += cue.controls()
        return out

    def named(self, name: str) -> list[Control]:
        for cue in self.cues:
            if cue.name == name:
                return cue.controls()
        raise UserError(f"no cue named {name!r}; the cues are {', '.join(c.name for c in self.cues) or 'none'}")
