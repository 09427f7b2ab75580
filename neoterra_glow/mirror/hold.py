"""A smile held for a second becomes a glyph on the wall: once per smile (the face must rest before
its next one counts), so a visitor who keeps smiling is drawn once, not every second; and a smile
the wall was given in the last few minutes is not given again. The camera does not know who
anyone is, only a smile's shape: the same shape again, within what the measurement wavers by, is
the same visitor back at the mirror (or a looped rehearsal video), and is drawn once."""

from __future__ import annotations

from neoterra_glow.control.message import Control
from neoterra_glow.mirror.watch import Seen

HOLD_SECONDS = 1.0
SMILING = 0.5  # the strength a smile needs to count, as Room.smiling counts it
REMEMBERED_SECONDS = 300.0  # how long a drawn smile's shape is remembered (only its four numbers, in memory)
SAME_SHAPE = 0.05  # eye distances: shapes closer than this in each of width, lift, asymmetry and openness are one smile


class HeldSmile:
    """Makes a smile held long enough into one /wall/mirror control, once per smile."""

    def __init__(self) -> None:
        self._since: float | None = None  # when the smile now held began
        self._drawn = False  # this smile is on the wall already, or was just now
        self._recent: list[tuple[float, tuple[float, ...]]] = []  # when each smile was drawn, and its shape

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
        shape = (seen.width, seen.lift, seen.asymmetry, seen.openness)
        self._recent = [(when, old) for when, old in self._recent if now - when < REMEMBERED_SECONDS]
        if any(max(abs(a - b) for a, b in zip(shape, old, strict=True)) < SAME_SHAPE for _, old in self._recent):
            return []
        self._recent.append((now, shape))
        return [Control("/wall/mirror", shape)]
