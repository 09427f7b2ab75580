"""Cue lists: scenes and glitches fired at set times into the show, or by name over OSC (/cue)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from neoterra_glow.control.message import Control
from neoterra_glow.core.tables import parse_toml, read_table
from neoterra_glow.errors import UserError
from neoterra_glow.timecode.mtc import RATES, parse_timecode


@dataclass(frozen=True)
class Cue:
    """At `at` seconds into the show (or when cued by name over OSC): go to `scene` over
    `fade` seconds, and/or fire the `glitch` kind."""

    at: float | None = field(default=None, metadata={"means": "seconds into the show, a number"})
    name: str = ""
    scene: str | None = field(default=None, metadata={"means": "a preset"})
    fade: float = field(default=4.0, metadata={"means": "seconds, a number"})
    glitch: str | None = field(default=None, metadata={"means": "a fault kind"})
    intensity: float = field(default=0.8, metadata={"means": "a number from 0 to 1"})
    seconds: float = field(default=0.6, metadata={"means": "seconds, a number"})

    def controls(self) -> list[Control]:
        """The desk messages that carry the cue out (so a recorded session replays it)."""
        out = []
        if self.scene:
            out.append(Control("/scene/go", (self.scene, self.fade)))
        if self.glitch:
            out.append(Control("/glitch/trigger", (self.glitch, self.intensity, self.seconds)))
        return out


def read_cues(path: Path) -> list[Cue]:
    """A cue list file: [[cue]] tables with at (seconds, or timecode "hh:mm:ss:ff" at the file's
    timecode_fps, 25 unless said) or name, and scene/fade and/or glitch."""
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UserError(f"{path}: not a readable cue list: {error}") from None
    cues, fps = [], data.get("timecode_fps", 25)
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or fps not in RATES:
        raise UserError(f"{path}: timecode_fps must be 24, 25 or 30, got {fps!r}")
    for number, table in enumerate(data.get("cue", [])):
        where = f"{path}: cue[{number}]"
        try:
            if isinstance(table, dict) and isinstance(table.get("at"), str) and ":" in table["at"]:  # timecode, "hh:mm:ss:ff"
                table = {**table, "at": parse_timecode(table["at"], fps)}
            cue = read_table(table, Cue, "a cue")
        except ValueError as error:
            raise UserError(f"{where}: {error}") from None
        if cue.at is None and not cue.name:
            raise UserError(f"{where}: needs 'at' (seconds into the show) or a 'name' to cue it by")
        if not cue.scene and not cue.glitch:
            raise UserError(f"{where}: needs a 'scene' or a 'glitch' to fire")
        for key in ("at", "fade", "intensity", "seconds"):
            if (getattr(cue, key) or 0.0) < 0.0:
                raise UserError(f"{where}: {key!r} must not be negative, got {getattr(cue, key)!r}")
        cues.append(dataclasses.replace(cue, name=cue.name or f"cue {number}"))
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
