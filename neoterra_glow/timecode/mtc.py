"""MIDI timecode (MTC): quarter-frame messages, eight to a timecode, two frames long.

`MtcSender` sends a clock's time from a thread of its own, four quarter-frames a frame, and a
full-frame message when the clock jumps; a stopped clock sends nothing. `MtcChaser` reads them
back into a time that runs on between messages (slewed towards each timecode, so one message
late on the way does not jerk it), relocates at a full-frame message or a jump, and holds when
they stop. A quarter-frame sequence names the frame at its first piece, so it is read as the time
its first piece arrived (not its eighth, 1.75 frames on as the MTC specification counts: a sender
stalled in the middle of a sequence would make that late)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from neoterra_glow.control.midi import rtmidi_input
from neoterra_glow.timecode.chaser import Chaser

RATES = {24.0: 0, 25.0: 1, 30.0: 3}  # frames a second: MTC's rate code (29.97 drop-frame is left out)
_RATE_OF = {**{code: fps for fps, code in RATES.items()}, 2: 30.0}  # a drop-frame source is read as 30: a frame in 1000 off
STOPPED_AFTER = 16  # quarter-frame periods (four frames) with no message: the source has stopped, not stalled
READ_EVERY = 0.005  # seconds between reads of a MIDI input's queue


def split(seconds: float, fps: float) -> tuple[int, int, int, int]:
    """(hours, minutes, seconds, frames) of a time."""
    frames = int(round(seconds * fps, 6))
    return frames // int(fps * 3600) % 24, frames // int(fps * 60) % 60, frames // int(fps) % 60, frames % int(fps)


def parse_timecode(text: str, fps: float) -> float:
    """Seconds of "hh:mm:ss:ff"; ValueError naming what is wrong."""
    parts = text.split(":")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        raise ValueError(f"timecode {text!r} is not hh:mm:ss:ff")
    hours, minutes, secs, frames = map(int, parts)
    if minutes > 59 or secs > 59 or frames >= fps:
        raise ValueError(f"timecode {text!r} is out of range at {fps:g} frames a second")
    return hours * 3600 + minutes * 60 + secs + frames / fps


def quarter_frames(seconds: float, fps: float) -> list[int]:
    """The eight quarter-frame values for the frame at `seconds`."""
    hours, minutes, secs, frames = split(seconds, fps)
    return [frames & 15, frames >> 4, secs & 15, secs >> 4, minutes & 15, minutes >> 4, hours & 15,
            (RATES[fps] << 1) | (hours >> 4)]


def full_frame(seconds: float, fps: float) -> list[int]:
    """The full-frame SysEx's data (without F0/F7): where a jump lands."""
    hours, minutes, secs, frames = split(seconds, fps)
    return [0x7F, 0x7F, 0x01, 0x01, (RATES[fps] << 5) | hours, minutes, secs, frames]


class MtcSender:
    """Sends `clock()` (seconds, or None while stopped) on a mido output port."""

    def __init__(self, port: Any, clock: Callable[[], float | None], fps: float = 25.0) -> None:
        import mido

        if fps not in RATES:
            raise ValueError(f"MTC runs at 24, 25 or 30 frames a second, not {fps:g}")
        self._mido, self.port, self.clock, self.fps = mido, port, clock, fps
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mtc out", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        period = 1.0 / (4 * self.fps)
        pieces: list[int] = []
        expected: float | None = None
        next_send = time.monotonic()
        while not self._stop.is_set():
            now = self.clock()
            if now is None:
                pieces, expected = [], None  # a stop: nothing is sent, and the next start begins a sequence
            else:
                if expected is not None and abs(now - expected) > 2 / self.fps:
                    self.port.send(self._mido.Message("sysex", data=full_frame(now, self.fps)))
                    pieces = []
                if not pieces:  # the nearest frame, rounded rather than truncated: half a frame off at most
                    pieces = [(i << 4) | v for i, v in enumerate(quarter_frames(round(now * self.fps) / self.fps, self.fps))]
                piece = pieces.pop(0)
                self.port.send(self._mido.Message("quarter_frame", frame_type=piece >> 4, frame_value=piece & 15))
                expected = now + period
            next_send = max(next_send + period, time.monotonic() - period)
            self._stop.wait(max(0.0, next_send - time.monotonic()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)


class MtcChaser(Chaser):
    """The time an MTC source says, from messages handed to `hear` (a mido input's callback)."""

    def __init__(self, fps: float = 25.0) -> None:
        super().__init__(fps, STOPPED_AFTER / 4)
        self._pieces: dict[int, int] = {}
        self._first_at = 0.0  # when the sequence's first piece arrived

    def hear(self, message: Any, delta: float | None = None) -> None:
        """A message as it was read; with `delta` (rtmidi's time since the message before, taken as it
        reached the port) it is placed when it arrived rather than when this thread was let read it."""
        now = self._placed(time.monotonic(), delta)
        if message.type == "sysex" and list(message.data[:4]) == [0x7F, 0x7F, 0x01, 0x01]:
            hours, (minutes, secs, frames) = message.data[4] & 31, message.data[5:8]
            self.fps = _RATE_OF.get(message.data[4] >> 5, self.fps)
            self._pieces = {}
            self.heard(hours * 3600 + minutes * 60 + secs + frames / self.fps, now, now, locate=True)
        elif message.type == "quarter_frame":
            if message.frame_type == 0:
                self._pieces, self._first_at = {}, now
            self._pieces[message.frame_type] = message.frame_value
            if message.frame_type == 7 and len(self._pieces) == 8:
                p = self._pieces
                frames, secs, minutes, hours = p[0] | p[1] << 4, p[2] | p[3] << 4, p[4] | p[5] << 4, p[6] | (p[7] & 1) << 4
                self.fps = _RATE_OF.get(p[7] >> 1, self.fps)
                self.heard(hours * 3600 + minutes * 60 + secs + frames / self.fps, self._first_at, now)
            else:
                self.heard(None, now, now)


class TimecodeIn(Protocol):
    """Where a show's timecode comes from: a chaser fed by a reader of its own, and a name for the HUD."""

    name: str

    @property
    def chaser(self) -> Chaser: ...

    def close(self) -> None: ...


class MtcIn:
    """MIDI timecode read from `port` (part of an input's name, else the name of a virtual input the
    show opens for the desk to send to) on a thread of its own."""

    def __init__(self, port: str) -> None:
        import rtmidi

        self.chaser = MtcChaser()
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
        self.input, self.name = midi_in, f"mtc in {found or port}"
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, name="mtc in", daemon=True)
        self._reader.start()

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
