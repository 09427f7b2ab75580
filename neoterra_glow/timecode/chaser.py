"""A timecode source's time between what it says: MIDI timecode's messages (mtc.py) and LTC's
audio frames (ltc.py) each name a frame and the moment it was; the chaser runs a clock on from
the last of them, slewed towards each (so one read late does not jerk it), relocates at a jump,
and holds when they stop."""

from __future__ import annotations

import threading
import time
from collections import deque

RELOCATE = 2  # frames off the running clock: a jump, taken at once
SLEW = 0.25  # of a smaller difference taken at each timecode
OFFSET_WINDOW = 2.0  # seconds of arrivals whose soonest sets a source's own clock against the wall


class Chaser:
    """The time a source says (`time()`), from what its reader hands to `heard`."""

    def __init__(self, fps: float, stopped_after: float) -> None:
        self.fps = fps
        self.stopped_after = stopped_after  # frames with nothing heard: the source has stopped, not stalled
        self.locked = False
        self.jumps = 0  # relocations so far, the first lock counted: what the timeline's cues chase
        self._anchor, self._anchor_at = 0.0, 0.0  # the source's time as last decoded, and when (monotonic)
        self._last = -float("inf")  # when the source was last heard
        self._chain = 0.0  # the source's own clock: the sum of its deltas
        self._offsets: deque[tuple[float, float]] = deque()  # (read, read less the chain) of recent arrivals
        self._lock = threading.Lock()

    def heard(self, decoded: float | None, moment: float, now: float, locate: bool = False) -> None:
        """The source, heard at `now`, said the timecode `decoded` was at `moment` (None: it said
        nothing but that it runs); `locate`: a jump it declares."""
        with self._lock:
            if decoded is not None:
                error = decoded - (self._anchor + moment - self._anchor_at)
                if locate or not self.locked or abs(error) > RELOCATE / self.fps:
                    self._anchor = decoded  # a locate, a first lock, or a jump
                    self.jumps += 1
                else:  # a timecode late on the way says less than the running clock: slewed towards, not snapped
                    self._anchor += moment - self._anchor_at + SLEW * error
                self._anchor_at, self.locked = moment, True
            self._last = now

    def _placed(self, read: float, delta: float | None) -> float:
        """The moment something arrived, by the source's own clock (`delta`: its time since the one
        before), set against the wall by the arrival read soonest in the last OFFSET_WINDOW (reading
        is only ever late; a busy render loop or sound server makes it so)."""
        if delta is None:
            return read
        self._chain += delta
        self._offsets.append((read, read - self._chain))
        while self._offsets[0][0] < read - OFFSET_WINDOW:
            self._offsets.popleft()
        return self._chain + min(offset for _, offset in self._offsets)

    def _listened(self, now: float) -> float:
        """Until when the source has been listened to: now, for a source whose messages are read as they
        come (a reader whose input arrives in bursts says less)."""
        return now

    def _stopped(self, now: float) -> bool:
        return self._listened(now) - self._last > self.stopped_after / self.fps

    @property
    def running(self) -> bool:
        """Timecode is arriving (locked, and not stopped)."""
        with self._lock:
            return self.locked and not self._stopped(time.monotonic())

    def time(self) -> float | None:
        """The source's time now; None before it is locked. Stopped, it holds where it stopped."""
        with self._lock:
            if not self.locked:
                return None
            now = time.monotonic()
            return self._anchor + ((self._last if self._stopped(now) else now) - self._anchor_at)
