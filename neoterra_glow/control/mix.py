"""The room's emotions as a declared mix of sources, so that no source overwrites another.

Each source says what it feels (joy 0..1 ...) when it has something to say. It holds for its
`hold` seconds after its last word; among the sources holding, those of the highest rank mix by
their weights, and the ones below wait. So the desk (the VJ over OSC, MIDI, keys or the remote)
wins while it moves a value and a few seconds after; then the room follows the cues and the
crowd; when no source holds, the room stays where it was left. What the mix gives is what the
registry holds as emotion.*, so the murals, the drives and OSCQuery all read the mix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from neoterra_glow.control.emotions import EMOTIONS


@dataclass(frozen=True)
class Source:
    """A source of the room's emotions: its rank (a holding source silences the lower ranks),
    its weight among the holding sources of its rank, and the seconds it holds after its last word."""

    name: str
    rank: int
    weight: float
    hold: float


SOURCES = {source.name: source for source in (
    Source("desk", rank=2, weight=1.0, hold=4.0),   # the VJ: OSC, MIDI, keys, the remote
    Source("cue", rank=1, weight=1.0, hold=2.0),    # a scene's values as a cue or /scene/go fades them in
    Source("crowd", rank=0, weight=1.0, hold=3.0),  # visitors' phones (/crowd/feel); a camera would join at this rank
)}


class EmotionMix:
    """What each source last said of each emotion, and when (the show's clock); `mix(now)` gives
    the room's emotions. `start`: the values the room has before any source speaks."""

    keeps = ("told", "mixed")

    def __init__(self, start: Mapping[str, float]) -> None:
        self.told: dict[str, dict[str, tuple]] = {name: {} for name in EMOTIONS}  # emotion -> source -> (value, when)
        self.mixed = {name: float(start[name]) for name in EMOTIONS}

    def tell(self, source: str, emotion: str, value: float, now: float) -> None:
        self.told[emotion][source] = (float(value), float(now))

    def holding(self, emotion: str, now: float) -> list[str]:
        """The sources the emotion follows now: the highest rank of those still holding."""
        held = [SOURCES[name] for name, (_, when) in self.told[emotion].items() if now - when <= SOURCES[name].hold]
        top = max((source.rank for source in held), default=None)
        return [source.name for source in held if source.rank == top]

    def mix(self, now: float) -> dict[str, float]:
        for emotion in EMOTIONS:
            names = self.holding(emotion, now)
            if names:
                weights = {name: SOURCES[name].weight for name in names}
                self.mixed[emotion] = sum(w * self.told[emotion][n][0] for n, w in weights.items()) / sum(weights.values())
        return dict(self.mixed)

    def lines(self, now: float) -> list[str]:
        """For the HUD, three emotions a line: each one's value and whom it follows ('-': none, it stays)."""
        said = [f"{name[:5]} {self.mixed[name]:.2f} {'+'.join(self.holding(name, now)) or '-'}" for name in EMOTIONS]
        return [("emotions " if n == 0 else " " * 9) + "  ".join(said[n:n + 3]) for n in range(0, len(said), 3)]
