"""A smile held for a second becomes a glyph on the wall: once per smile (the face must rest before
its next one counts), so a visitor who keeps smiling is drawn once, not every second."""

from __future__ import annotations

from neoterra_glow.control.message import Control
from neoterra_glow.mirror.watch import Seen

HOLD_SECONDS = 1.0
SMILING = 0.5  # the strength a smile needs to count, as Room.smiling counts it


class HeldSmile:
    """Makes a smile held long enough into one /wall/mirror control, once per smile."""

    def __init__(self) -> None:
        self._since: float | None = None  # when the smile now held began
        self._drawn = False  # this smile is on the wall already

    def hold(self, seen: Seen, now: float) -> list[Control]:
        """The /wall/mirror control when the strongest smile has been held long enough; none otherwise."""
        if seen.strength < SMILING:
            self._since, self._drawn = None, False
            return []
        if self._since is None:
            self._since = now
        if self._drawn or now - self._since < HOLD_SECONDS:
            return []
        self._drawn = True
        return [Control("/wall/mirror", (seen.width, seen.lift, seen.asymmetry, seen.openness))]
