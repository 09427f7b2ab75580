"""The frame-time governor of a live show: it holds the frame rate by giving up, in order, the
murals' resolution, the glow's first level and (last) bots, and takes them back when there is room.

It steps down fast when frames are late and up slowly when they are early, and waits longer before
stepping up again each time a step up was soon undone: a show that cannot afford a step settles
below it instead of pumping. A render never has one: it is deterministic at full quality.
"""

from __future__ import annotations

from dataclasses import replace

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param, Registry

# What is given up at each step, cheapest to the eye first: (the murals' share of their resolution,
# the glow's first level given up, the share of bots kept)
LADDER = (
    (1.0, False, 1.0), (0.75, False, 1.0), (0.5, False, 1.0), (0.35, False, 1.0), (0.25, False, 1.0),
    (0.25, True, 1.0), (0.25, True, 0.7), (0.25, True, 0.5), (0.25, True, 0.35), (0.25, True, 0.25),
)
LATE = 1.0  # a frame's work over this share of the frame period is late: step down
ROOM = 0.7  # under this share there is room for a step back up
SETTLE = 3  # frames after a step before the governor judges it (its load starts again from the first of them)
PATIENCE = 2.0  # seconds of room before a step up; doubled each time a step up is soon undone
MOST_PATIENCE = 32.0
SMOOTHING = 0.3  # of a frame's time in the governor's load: a late frame is felt within a few


class Governor:
    """Watches each frame's work time and says what the next frame gives up."""

    params = (
        Param("governor.on", Kind.BOOL, True, "a live show holds its frame rate by lowering the murals' resolution, then the glow's "
              "first level, then (last) the bots; never in a render"),
        Param("governor.fps", Kind.FLOAT, 0.0, "the frame rate the governor holds (0: the show's own)", (0.0, 240.0)),
        Param("governor.step", Kind.INT, 0, f"how much the governor has given up: 0 nothing, {len(LADDER) - 1} all it may",
              (0, len(LADDER) - 1), measured=True),
        Param("governor.bots", Kind.FLOAT, 1.0, "the share of the bots the governor keeps (1: all)", (0.0, 1.0), measured=True),
    )

    def __init__(self, fps: float) -> None:
        self.fps = fps
        self.step = 0
        self.load = 0.0  # the smoothed frame work over the period
        self._since = 0  # frames since the last step: a step is judged on its own frames, not on those before it
        self._room_since: float | None = None
        self._patience = PATIENCE
        self._stepped_up_at = float("-inf")

    def observe(self, seconds: float, now: float, registry: Registry) -> None:
        """One frame's work took `seconds`; at `now`, step down when late, up after enough room."""
        if not registry.value("governor.on"):
            self.step, self.load, self._since, self._room_since = 0, 0.0, 0, None
            return
        load = seconds * (registry.value("governor.fps") or self.fps)
        self.load = load if self._since == 0 else self.load + SMOOTHING * (load - self.load)
        self._since += 1
        if self._since < SETTLE:
            return
        if self.load > LATE and self.step < len(LADDER) - 1:
            if now - self._stepped_up_at < 2 * self._patience:  # the step up did not fit: wait longer next time
                self._patience = min(self._patience * 2, MOST_PATIENCE)
            self._move(2 if self.load > 1.5 * LATE else 1)
        elif self.load < ROOM and self.step > 0:
            self._room_since = now if self._room_since is None else self._room_since
            if now - self._room_since >= self._patience:
                self._move(-1)
                self._stepped_up_at = now
        else:
            self._room_since = None

    def _move(self, steps: int) -> None:
        self.step = min(max(self.step + steps, 0), len(LADDER) - 1)
        self._since, self._room_since = 0, None

    def publish(self, registry: Registry) -> None:
        """What the next frame gives up, as measured parameters (the HUD and OSCQuery show them), before its snapshot."""
        murals, glow, bots = LADDER[self.step]
        for path, value in (("governor.step", self.step), ("murals.governed", murals), ("post.bloom.governed", glow),
                            ("governor.bots", bots)):
            registry.set(path, value, immediate=True)

    def thin(self, frame: Frame) -> Frame:
        """The frame with the bots the governor keeps (the swarm's own count is left as set)."""
        bots = frame.params["governor.bots"]
        if bots >= 1.0:
            return frame
        return replace(frame, params={**frame.params, "swarm.count": max(round(frame.params["swarm.count"] * bots), 1)})

    def given_up(self) -> str:
        """A line for the HUD: what the governor gave up to hold the frame rate."""
        murals, glow, bots = LADDER[self.step]
        if self.step == 0:
            return f"governor: nothing given up (load {self.load:.0%})"
        parts = [f"murals at {murals:.0%}"] + (["glow's first level"] if glow else []) + ([f"bots at {bots:.0%}"] if bots < 1 else [])
        return f"governor: {', '.join(parts)} (load {self.load:.0%})"
