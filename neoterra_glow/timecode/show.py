"""The show's clock as timecode out: MIDI timecode (`show --mtc-out PORT`: part of an output's
name, or else the name of a virtual port the show opens for others to read) and LTC as sound
(`show --ltc-out DEVICE`). Each frame's time runs on between frames by the wall clock; a frozen
show is a stopped one."""

from __future__ import annotations

import threading
import time

from neoterra_glow.control.midi import midi_backend, output_named
from neoterra_glow.errors import UserError
from neoterra_glow.timecode.ltc import LtcOut
from neoterra_glow.timecode.mtc import MtcSender


class ShowTimecode:
    """Sends the show's clock as MIDI timecode and LTC so other machines can follow it."""

    def __init__(self, mtc_port: str | None = None, ltc_device: str | None = None, fps: float = 25.0) -> None:
        self._lock = threading.Lock()
        self._time: float | None = None
        self._at = 0.0
        self.port = self.sender = self.ltc = None
        try:
            if mtc_port is not None:
                backend = midi_backend()
                output = output_named(backend, mtc_port)
                self.port = backend.open_output(output) if output else backend.open_output(mtc_port, virtual=True)
                self.sender = MtcSender(self.port, self.clock, fps)
            if ltc_device is not None:
                self.ltc = LtcOut(ltc_device, self.clock, fps)
        except BaseException:
            self.close()
            raise

    def frame(self, seconds: float, running: bool, since: float = 0.0) -> None:
        """The time of the frame just shown, `since` seconds ago (its start: a frame's work takes as long as
        it takes, and the timecode must not lag by it), and whether the show's time runs on."""
        with self._lock:
            self._time, self._at = (seconds if running else None), time.monotonic() - since

    def clock(self) -> float | None:
        with self._lock:
            return None if self._time is None else self._time + time.monotonic() - self._at

    def close(self) -> None:
        for part in (self.sender, self.port, self.ltc):
            if part is not None:
                part.close()


def open_timecode(mtc_port: str | None, ltc_device: str | None) -> tuple[ShowTimecode | None, str | None]:
    """Timecode out (None where neither is asked for), or None and the one line that says why the show
    goes on without it."""
    if mtc_port is None and ltc_device is None:
        return None, None
    try:
        return ShowTimecode(mtc_port, ltc_device), None
    except (OSError, ImportError, ValueError, UserError) as error:
        what = f"MIDI timecode out to {mtc_port!r}" if mtc_port is not None else f"LTC out to {ltc_device!r}"
        return None, f"error: {what}: {error}; the show goes on without it"
