"""The show chasing timecode in (`show --mtc-in PORT`, MIDI timecode, or `show --ltc-in DEVICE`, LTC as
sound): a desk's timeline starts the scenes.

Two times are kept apart. The cue list follows the timecode's position: a cue at "01:02:03:12"
fires on the frame whose timecode reaches it, and a jump relocates it (a jump back arms the
cues ahead again; one more than a second ahead skips the cues it passes over, save the scene
the timeline lands in). The piece's own time follows the timecode's
running only: it steps as the wall does while timecode runs, holds (steps nothing) when it stops,
or runs on (`freewheel`), and never jumps, so a relocate is no cut, flash or stall in the picture,
and a crossfade, a fault or the beat's phase in progress goes on. A session records the piece's
time and the cues fired, so a replay is the same show.
"""

from __future__ import annotations

import threading
import time

from neoterra_glow.control.message import Control
from neoterra_glow.core.clock import wall_seconds
from neoterra_glow.core.params import Registry
from neoterra_glow.direction.cues import Cue, CueList
from neoterra_glow.direction.scenes import Director
from neoterra_glow.errors import UserError
from neoterra_glow.timecode.lock import TimecodeLock
from neoterra_glow.timecode.ltc import LtcIn
from neoterra_glow.timecode.mtc import MtcIn, TimecodeIn, split

ON_STOP = ("hold", "freewheel")
SKIP_AFTER = 1.0  # seconds: a jump further ahead than this skips the cues it passes; a shorter one fires them


class ChasedClock:
    """The live show's clock (RealtimeClock's interface) when it chases a timecode source: MIDI
    timecode (timecode.mtc.MtcIn) or LTC (timecode.ltc.LtcIn)."""

    def __init__(self, source: TimecodeIn, on_stop: str = "hold", max_dt: float = 0.1) -> None:
        if on_stop not in ON_STOP:
            source.close()
            raise ValueError(f"on a timecode stop the show holds or freewheels, not {on_stop!r}")
        self.on_stop, self.max_dt = on_stop, max_dt
        self.epoch = wall_seconds()
        self.index, self.time = -1, 0.0
        self.source, self.chaser = source, source.chaser
        self._lock = threading.Lock()
        self._wall = time.perf_counter()
        self._stopped_at: tuple[float, float] | None = None  # a freewheel's start: timecode and monotonic moment

    @property
    def state(self) -> str:
        """LOCKED while timecode arrives; HELD or FREE (freewheeling, or before any timecode) when not."""
        if self.chaser.running:
            return "LOCKED"
        return "HELD" if self.chaser.locked and self.on_stop == "hold" else "FREE"

    def timecode(self) -> float | None:
        """Where the timeline is now; None before any timecode was heard."""
        heard, running = self.chaser.time(), self.chaser.running
        with self._lock:
            if heard is None or running or self.on_stop == "hold":
                self._stopped_at = None
                return heard
            if self._stopped_at is None:
                self._stopped_at = (heard, time.monotonic())
            return self._stopped_at[0] + time.monotonic() - self._stopped_at[1]

    def at(self, moment: float) -> float:
        """A time.perf_counter() moment on the piece's clock (MIDI clock messages are stamped so)."""
        return self.time + moment - self._wall

    def tick(self) -> tuple[int, float, float]:
        now = time.perf_counter()
        step = min(now - self._wall, self.max_dt) if self.index >= 0 else 0.0
        self._wall = now
        dt = 0.0 if self.state == "HELD" else step
        self.time += dt
        self.index += 1
        return self.index, self.time, dt

    def publish(self, registry: Registry) -> tuple[bool, float]:
        """The lock and the timecode into the registry (OSCQuery, the HUD), at a frame boundary; and
        to the session, which records them so a replay publishes the same."""
        heard = (self.state == "LOCKED", self.timecode() or 0.0)
        TimecodeLock.publish(registry, *heard)
        return heard

    def status(self) -> str:
        """The HUD's line."""
        heard = self.timecode()
        shown = "--:--:--:--" if heard is None else "{:02d}:{:02d}:{:02d}:{:02d}".format(*split(heard, self.chaser.fps))
        return f"timecode {shown} {self.state}   {self.source.name}"

    def close(self) -> None:
        self.source.close()


class TimecodeCues(CueList):
    """A cue list on the timecode's timeline rather than the piece's clock."""

    def __init__(self, cues: list[Cue], clock: ChasedClock) -> None:
        super().__init__(cues)
        self.clock = clock
        self._jumps = 0  # the chaser's relocations seen
        self._position = -float("inf")  # the timeline at the last boundary
        self._scene: int | None = None  # the scene cue fired last

    def due(self, time: float) -> list[Control]:
        now = self.clock.timecode()
        if now is None:
            return []
        if self.clock.chaser.jumps != self._jumps:
            self._jumps = self.clock.chaser.jumps
            self._locate(self._position, now)
        self._position = now
        before = set(self._fired)
        out = super().due(now)
        self._scene = max((n for n in self._fired - before if self.cues[n].scene), default=self._scene)
        return out

    def _locate(self, last: float, now: float) -> None:
        """A jump from `last` to `now`. Back: the cues ahead are armed again. Far ahead (or a first lock):
        the cues passed over are skipped. Either way the scene the timeline is in is the show's."""
        timed = [(number, cue.at, cue.scene) for number, cue in enumerate(self.cues) if cue.at is not None]
        if now < last:
            self._fired -= {number for number, at, _ in timed if at > now}
        elif now - last > SKIP_AFTER:
            self._fired |= {number for number, at, _ in timed if last < at <= now}
        else:
            return  # a stall on the way, caught up: what it passed fires as usual
        here = [number for number, at, scene in timed if scene and at <= now][-1:]
        self._fired -= {number for number in here if number != self._scene}


def open_chase(director: Director, on_stop: str, mtc_in: str | None = None,
               ltc_in: str | None = None) -> tuple[ChasedClock | None, str | None]:
    """The show's clock chasing MIDI timecode from the port `mtc_in` or else LTC from the capture device
    `ltc_in`, its cue list on the timecode's timeline; or None and the one line that says why the show
    goes on its own clock."""
    what = f"MIDI timecode in from {mtc_in!r}" if mtc_in is not None else f"LTC in from {ltc_in!r}"
    try:
        clock = ChasedClock(MtcIn(mtc_in) if mtc_in is not None else LtcIn(ltc_in), on_stop)
    except (OSError, ImportError, ValueError, UserError) as error:
        return None, f"error: {what}: {error}; the show goes on its own clock"
    director.cues = TimecodeCues(director.cues.cues, clock)
    clock.publish(director.piece.registry)  # OSCQuery lists the lock from the start
    return clock, None
