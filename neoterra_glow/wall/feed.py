"""A session still being played: the leader's frames as they arrive, for a Run to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from neoterra_glow.direction.session import SessionFrame


@dataclass
class Feed:
    """What Run reads of a recorded session, growing frame by frame; `frames` by index (a
    follower that joins late starts part way)."""

    path: Path  # the preset played: a checkpoint is of it
    seed: int
    size: tuple[int, int]
    epoch: float
    frames: dict[int, SessionFrame] = field(default_factory=dict)

    def add(self, frame: SessionFrame) -> None:
        self.frames[frame.index] = frame
        self.frames.pop(frame.index - 600, None)  # a frame's controls are applied once; keep ten seconds, no more

    def sound(self) -> None:
        return None
