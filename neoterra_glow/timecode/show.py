"""The show's clock as MIDI timecode out (`show --mtc-out PORT`): each frame's time, run on
between frames by the wall clock; a frozen show is a stopped one. PORT is part of an output's
name, or else the name of a virtual port the show opens for others to read."""

from __future__ import annotations

import threading
import time

from neoterra_glow.control.midi import midi_backend, output_named
from neoterra_glow.timecode.mtc import MtcSender


class ShowTimecode:
    def __init__(self, port: str, fps: float = 25.0) -> None:
        backend = midi_backend()
        output = output_named(backend, port)
        self.port = backend.open_output(output) if output else backend.open_output(port, virtual=True)
        self._lock = threading.Lock()
        self._time: float | None = None
        self._at = 0.0
        self.sender = MtcSender(self.port, self.clock, fps)

    def frame(self, seconds: float, running: bool) -> None:
        """The time of the frame just shown, and whether the show's time runs on."""
        with self._lock:
            self._time, self._at = (seconds if running else None), time.monotonic()

    def clock(self) -> float | None:
        with self._lock:
            return None if self._time is None else self._time + time.monotonic() - self._at

    def close(self) -> None:
        self.sender.close()
        self.port.close()


def open_timecode(port: str) -> tuple[ShowTimecode | None, str | None]:
    """MTC out, or None and the one line that says why the show goes on without it."""
    try:
        return ShowTimecode(port), None
    except (OSError, ImportError, ValueError) as error:
        return None, f"error: MIDI timecode out to {port!r}: {error}; the show goes on without it"
