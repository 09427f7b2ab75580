"""The show chasing MIDI timecode in (`show --mtc-in PORT`): a desk's timeline starts the scenes.

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
from neoterra_glow.control.midi import rtmidi_input
from neoterra_glow.core.clock import wall_seconds
from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.direction.cues import Cue, CueList
from neoterra_glow.direction.scenes import Director
from neoterra_glow.timecode.mtc import MtcChaser, split

ON_STOP = ("hold", "freewheel")
READ_EVERY = 0.005  # seconds between reads of the MIDI input's queue
SKIP_AFTER = 1.0  # seconds: a jump further ahead than this skips the cues it passes; a shorter one fires them
PARAMS = (
    Param("timecode.locked", Kind.BOOL, False, "whether the show's cues follow MIDI timecode arriving now", measured=True),
    Param("timecode.seconds", Kind.FLOAT, 0.0, "the timecode the show's cues follow, in seconds", (0.0, 86400.0), measured=True),
)


class ChasedClock:
    """The live show's clock (RealtimeClock's interface) when it chases MTC on `port`: part of an
    input's name, or else the name of a virtual input the show opens for the desk to send to."""

    def __init__(self, port: str, on_stop: str = "hold", max_dt: float = 0.1) -> None:
        if on_stop not in ON_STOP:
            raise ValueError(f"on a timecode stop the show holds or freewheels, not {on_stop!r}")
        self.on_stop, self.max_dt = on_stop, max_dt
        self.epoch = wall_seconds()
        self.index, self.time = -1, 0.0
        self.chaser = MtcChaser()
        self.input, self.port_name = _midi_in(port)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, name="mtc in", daemon=True)
        self._reader.start()
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

    def publish(self, registry: Registry) -> None:
        """The lock and the timecode into the registry (OSCQuery, the HUD), at a frame boundary."""
        if PARAMS[0].path not in registry:  # a scene's new registry: declared again
            registry.declare(*PARAMS)
        registry.set("timecode.locked", self.state == "LOCKED", immediate=True)
        registry.set("timecode.seconds", self.timecode() or 0.0, immediate=True)

    def status(self) -> str:
        """The HUD's line."""
        heard = self.timecode()
        shown = "--:--:--:--" if heard is None else "{:02d}:{:02d}:{:02d}:{:02d}".format(*split(heard, self.chaser.fps))
        return f"timecode {shown} {self.state}   mtc in {self.port_name}"

    def _read(self) -> None:
        """rtmidi queues each message with its time since the one before, stamped as it reached the
        port; a callback would be stamped only when the render loop let it run."""
        import mido

        while not self._stop.is_set():
            while (event := self.input.get_message()) is not None:
                try:
                    self.chaser.hear(mido.Message.from_bytes(event[0]), event[1])
                except ValueError:
                    continue
            self._stop.wait(READ_EVERY)

    def close(self) -> None:
        self._stop.set()
        self._reader.join(timeout=2.0)
        self.input.close_port()
        self.input.delete()


def _midi_in(port: str):
    """An rtmidi input on the show's MIDI backend, reading timecode: the first input whose name holds
    `port`, else a virtual input of that name for the desk to send to."""
    import rtmidi

    midi_in = None
    try:
        midi_in, index, found = rtmidi_input(port)
        midi_in.ignore_types(sysex=False, timing=False, active_sense=True)  # quarter-frames are timing; a locate is SysEx
        if index is not None:
            midi_in.open_port(index, "neoterra-glow timecode")
        else:
            midi_in.open_virtual_port(port)
    except rtmidi.RtMidiError as error:  # no MIDI system here (no ALSA sequencer, no JACK server)
        if midi_in is not None:
            midi_in.delete()
        raise OSError(str(error)) from None
    return midi_in, found or port


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
        timed = [(number, cue) for number, cue in enumerate(self.cues) if cue.at is not None]
        if now < last:
            self._fired -= {number for number, cue in timed if cue.at > now}
        elif now - last > SKIP_AFTER:
            self._fired |= {number for number, cue in timed if last < cue.at <= now}
        else:
            return  # a stall on the way, caught up: what it passed fires as usual
        here = [number for number, cue in timed if cue.scene and cue.at <= now][-1:]
        self._fired -= {number for number in here if number != self._scene}


def open_chase(director: Director, port: str, on_stop: str) -> tuple[ChasedClock | None, str | None]:
    """The show's clock chasing `port`, its cue list on the timecode's timeline; or None and the one
    line that says why the show goes on its own clock."""
    try:
        clock = ChasedClock(port, on_stop)
    except (OSError, ImportError, ValueError) as error:
        return None, f"error: MIDI timecode in from {port!r}: {error}; the show goes on its own clock"
    director.cues = TimecodeCues(director.cues.cues, clock)
    clock.publish(director.piece.registry)  # OSCQuery lists the lock from the start
    return clock, None

