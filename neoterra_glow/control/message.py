"""Control: one message to the running piece, whatever sent it (OSC, the operator's keys,
the cue list, a scene that has loaded, a replayed session). All of them queue up and are
applied, in order, at the next frame boundary, and a session records them as they were."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Control:
    """One message to the running piece, whatever sent it: the desk applies it and a session records it."""

    address: str
    args: tuple = ()
