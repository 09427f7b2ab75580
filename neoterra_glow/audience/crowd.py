"""The crowd's feelings: each visitor's latest, weighed by how recent it is, averaged so that no
one visitor moves the room much; and the parameters the operator sets the audience with."""

from __future__ import annotations

import math

from neoterra_glow.control.emotions import EMOTIONS
from neoterra_glow.core.params import Kind, Param

FORGET_SECONDS = 90.0  # a visitor's feelings fade to nothing over about this long
QUORUM = 5.0  # visitors' weight the crowd needs before it moves the room fully: one visitor is a fifth
QUIET_SECONDS = 20.0  # no visitor has moved for this long: the crowd falls silent, and its hold in the room's mix lapses
AGAIN_SECONDS = 1.0  # while visitors move, the crowd says its feelings again this often at least (it holds 3 s in the mix)
CHANGE = 0.004  # a change the crowd says at once


class Crowd:
    """The room's feeling from its visitors, so many phones move it a little and none moves it alone."""

    params = (
        Param("audience.gain", Kind.FLOAT, 1.0, "how much the audience's feelings move the room's emotions", (0.0, 1.0)),
        Param("audience.wall", Kind.INT, 24, "visitors' smiles on the wall at most; the oldest retire", (1, 200)),
        Param("audience.approve_names", Kind.BOOL, False, "names wait for the operator's approval before the wall"),
        Param("audience.approve_stories", Kind.BOOL, True, "stories wait for the operator's approval before the wall"),
    )

    def __init__(self) -> None:
        self._felt: dict[str, tuple[float, dict[str, float]]] = {}  # visitor -> (when, feelings)
        self._said: tuple[float, dict[str, float]] | None = None  # (when, feelings) the show was last told

    def feel(self, visitor: str, feelings: dict[str, float], now: float) -> None:
        self._felt[visitor] = (now, {name: min(max(float(feelings.get(name, 0.0)), 0.0), 1.0) for name in EMOTIONS})

    def room(self, now: float) -> dict[str, float] | None:
        """The crowd's feelings now (0..1 each), or None when no visitor has felt anything lately."""
        self._felt = {v: (t, f) for v, (t, f) in self._felt.items() if now - t < 4 * FORGET_SECONDS}
        weights = {v: math.exp(-(now - t) / FORGET_SECONDS) for v, (t, _) in self._felt.items()}
        total = sum(weights.values())
        if total < 1e-3:
            return None
        return {name: sum(weights[v] * f[name] for v, (_, f) in self._felt.items()) / max(total, QUORUM) for name in EMOTIONS}

    def say(self, now: float) -> dict[str, float] | None:
        """What the crowd tells the show now, if anything: its feelings when they have changed, or
        every AGAIN_SECONDS while a visitor moved in the last QUIET_SECONDS; nothing once all are quiet."""
        if not self._felt or now - max(when for when, _ in self._felt.values()) > QUIET_SECONDS:
            return None
        room = self.room(now)
        if room is None or (self._said is not None and now - self._said[0] < AGAIN_SECONDS
                            and all(abs(room[name] - self._said[1][name]) < CHANGE for name in EMOTIONS)):
            return None
        self._said = (now, room)
        return room

    @property
    def visitors(self) -> int:
        return len(self._felt)
