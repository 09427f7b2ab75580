"""Clocks that number frames: fixed steps for offline renders, wall time for live shows."""

from __future__ import annotations

import datetime
import time
from fractions import Fraction
from typing import Protocol

RENDER_EPOCH = 946_684_800.0  # 1 January 2000, midnight: the date a render's time 0 is, so DATE repeats


def wall_seconds() -> float:
    """Now, as the wall clock here reads it (local time), in seconds since 1970."""
    now = datetime.datetime.now().astimezone()
    offset = now.utcoffset()
    assert offset is not None  # astimezone() makes an aware time
    return now.timestamp() + offset.total_seconds()


class FixedClock:
    """Exact time steps of 1/fps: the same frame index always has the same time (and date)."""

    epoch = RENDER_EPOCH  # the wall-clock date of time 0, for ISF's DATE
    keeps = ("index",)  # what a checkpoint keeps (neoterra_glow/gpu/checkpoint.py)

    def __init__(self, fps: float | Fraction) -> None:
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.fps = fps
        self.index = -1

    def tick(self) -> tuple[int, float, float]:
        """Advance one frame; returns (index, time, dt)."""
        self.index += 1
        return self.index, float(self.index / self.fps), float(1 / self.fps)  # exact for a Fraction (29.97 ...)


class LiveClock(Protocol):
    """A live show's clock: RealtimeClock, or the ChasedClock (live/chase.py) that follows timecode."""

    epoch: float
    index: int

    def at(self, moment: float) -> float: ...

    def tick(self) -> tuple[int, float, float]: ...


class RealtimeClock:
    """Wall-clock time: a show's time (and its cues) follows the wall even when frames drop.
    dt, which moves the piece, is capped, so a stall (a dragged window, a slow reload) is
    not a jump in the swarm."""

    def __init__(self, max_dt: float = 0.1) -> None:
        self.max_dt = max_dt
        self.epoch = wall_seconds()  # time 0 is now: ISF's DATE is the venue's date and time
        self.index = -1
        self.time = 0.0
        self._start = time.perf_counter()
        self._last = 0.0

    def at(self, moment: float) -> float:
        """A time.perf_counter() moment on the show's clock (MIDI clock messages are stamped so)."""
        return moment - self._start

    def tick(self) -> tuple[int, float, float]:
        self.time = time.perf_counter() - self._start
        dt = min(self.time - self._last, self.max_dt) if self.index >= 0 else 0.0
        self._last = self.time
        self.index += 1
        return self.index, self.time, dt
