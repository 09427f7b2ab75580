"""Linear timecode (LTC): SMPTE timecode as an audio signal, the way a lighting desk, a video
server or a tape deck sends it down a cable. Read from a capture device (`show --ltc-in`) and
written to an output (`show --ltc-out`) through libltc (LGPL-3.0, Debian: libltc11), loaded at
run time: only a show that reads or writes LTC needs it.

An LTC frame names the video frame that starts where the frame starts, and is known only when
its last bit has arrived: the reader places each one at its first sample, by the sound card's
own sample clock set against the wall (reading is only ever late), as the MTC chaser places its
quarter-frames by rtmidi's deltas."""

from __future__ import annotations

import collections
import ctypes
import ctypes.util
import logging
import time
from collections.abc import Callable

import numpy as np

from neoterra_glow.audio.capture import find_device
from neoterra_glow.audio.files import BLOCK
from neoterra_glow.errors import UserError
from neoterra_glow.timecode.chaser import Chaser
from neoterra_glow.timecode.mtc import RATES, split

log = logging.getLogger(__name__)

RATE = 48000  # samples a second, read and written
STOPPED_AFTER = 4  # frames with no LTC frame read: the source has stopped, not stalled
QUEUE = 32  # LTC frames libltc holds between reads
LOCATE = 12  # frames the show's clock is off the LTC written (half a second): a jump, taken at once
BUFFERED = 0.5  # seconds of sound the device holds: its callback waits for the render loop to let Python run (a GL call holds
# the interpreter until the GPU is done), and LTC is placed by its samples, not by when they are read
_STANDARDS = {24.0: 3, 25.0: 1, 30.0: 0}  # LTC_TV_FILM_24, LTC_TV_625_50, LTC_TV_525_60: where the flag bits sit
_LEVEL = -12.0  # dBFS the show writes LTC at: a line-level signal that no desk input clips


class _Frame(ctypes.Structure):
    """libltc's LTCFrameExt: the frame's 80 bits (as the C compiler lays out its bit fields), where it
    started and ended in the stream, and how it was read."""

    _fields_ = [("ltc", ctypes.c_uint32 * 3), ("off_start", ctypes.c_longlong), ("off_end", ctypes.c_longlong),
                ("reverse", ctypes.c_int), ("biphase_tics", ctypes.c_float * 80), ("sample_min", ctypes.c_ubyte),
                ("sample_max", ctypes.c_ubyte), ("volume", ctypes.c_double)]


class _Timecode(ctypes.Structure):
    """libltc's SMPTETimecode."""

    _fields_ = [("timezone", ctypes.c_char * 6), ("years", ctypes.c_ubyte), ("months", ctypes.c_ubyte), ("days", ctypes.c_ubyte),
                ("hours", ctypes.c_ubyte), ("mins", ctypes.c_ubyte), ("secs", ctypes.c_ubyte), ("frame", ctypes.c_ubyte)]


_library: ctypes.CDLL | None = None


def libltc() -> ctypes.CDLL:
    """libltc, its functions typed; a UserError saying how to install it where it is missing."""
    global _library
    if _library is None:
        path = ctypes.util.find_library("ltc")
        if path is None:
            raise UserError("LTC needs libltc (Debian and Ubuntu: apt-get install libltc11; macOS: brew install libltc)")
        lib = ctypes.CDLL(path)
        p, frame, timecode = ctypes.c_void_p, ctypes.POINTER(_Frame), ctypes.POINTER(_Timecode)
        for name, result, args in (
            ("ltc_decoder_create", p, [ctypes.c_int, ctypes.c_int]), ("ltc_decoder_free", ctypes.c_int, [p]),
            ("ltc_decoder_write_float", None, [p, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t, ctypes.c_longlong]),
            ("ltc_decoder_read", ctypes.c_int, [p, frame]), ("ltc_frame_to_time", None, [timecode, p, ctypes.c_int]),
            ("ltc_encoder_create", p, [ctypes.c_double, ctypes.c_double, ctypes.c_int, ctypes.c_int]),
            ("ltc_encoder_free", None, [p]), ("ltc_encoder_set_timecode", None, [p, timecode]),
            ("ltc_encoder_set_volume", ctypes.c_int, [p, ctypes.c_double]), ("ltc_encoder_encode_frame", None, [p]),
            ("ltc_encoder_get_bufferptr", ctypes.c_int, [p, ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)), ctypes.c_int]),
        ):
            function = getattr(lib, name)
            function.restype, function.argtypes = result, args
        _library = lib
    return _library


class LtcChaser(Chaser):
    """The time an LTC signal says, from the blocks of samples handed to `hear` as they arrive."""

    def __init__(self, fps: float = 25.0, rate: int = RATE) -> None:
        super().__init__(fps, STOPPED_AFTER)
        self.rate = rate
        self._lib = libltc()
        self._decoder = self._lib.ltc_decoder_create(int(rate / fps), QUEUE)
        self._read = 0  # samples handed to the decoder so far
        self._frame, self._time = _Frame(), _Timecode()
        self._block = (-float("inf"), -float("inf"))  # the latest block's end (by the sample clock), and when it was read

    def _listened(self, now: float) -> float:
        """Until the latest block's end: a sound server hands blocks over in bursts, so a gap between them
        is no stop; a device that hands nothing over for longer than it holds has stopped, though."""
        end, read = self._block
        return end if now - read < BUFFERED + 0.25 else now

    def hear(self, samples: np.ndarray, arrived: float | None = None) -> None:
        """A block of mono float samples, its last read at `arrived` (monotonic; None: now)."""
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        read = time.monotonic() if arrived is None else arrived
        end = self._placed(read, len(samples) / self.rate)
        with self._lock:
            self._block = (end, read)
        self._lib.ltc_decoder_write_float(self._decoder, samples.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
                                          len(samples), self._read)
        self._read += len(samples)
        while self._lib.ltc_decoder_read(self._decoder, ctypes.byref(self._frame)):
            length = self._frame.off_end - self._frame.off_start + 1
            self.fps = min(RATES, key=lambda fps: abs(fps - self.rate / length))  # 29.97 is read as 30
            self._lib.ltc_frame_to_time(ctypes.byref(self._time), ctypes.addressof(self._frame), 0)
            t = self._time
            decoded = t.hours * 3600 + t.mins * 60 + t.secs + t.frame / self.fps
            self.heard(decoded, end - (self._read - self._frame.off_start) / self.rate, end)

    def close(self) -> None:
        if self._decoder:
            self._lib.ltc_decoder_free(self._decoder)
            self._decoder = None


class LtcWriter:
    """LTC samples (float, mono) of a clock: `clock()` is the show's time now, or None while it is
    stopped (silence, as a stopped deck sends). Frame follows frame, one on each time, so a follower
    reads a clean run: the moment PortAudio asks for a block wobbles with the render loop, so the clock
    is taken up again only where it is off by more than a frame for a whole second, or by LOCATE
    frames at once (a start or a jump)."""

    def __init__(self, clock: Callable[[], float | None], fps: float = 25.0, rate: int = RATE) -> None:
        if fps not in _STANDARDS:
            raise ValueError(f"LTC runs at 24, 25 or 30 frames a second, not {fps:g}")
        self.clock, self.fps, self.rate = clock, fps, rate
        self._lib = libltc()
        self._encoder = self._lib.ltc_encoder_create(rate, fps, _STANDARDS[fps], 0)
        self._lib.ltc_encoder_set_volume(self._encoder, _LEVEL)
        self._pending = np.zeros(0, np.float32)
        self._next: int | None = None  # the frame after the last written
        self._off: collections.deque[float] = collections.deque()  # how far the clock was off each frame lately, in frames

    def samples(self, count: int, lead: float = 0.0) -> np.ndarray:
        """The next `count` samples, the first of them heard `lead` seconds from now."""
        parts, have = [self._pending], len(self._pending)
        while have < count:
            frame = self._frame(lead + have / self.rate)
            parts.append(frame)
            have += len(frame)
        out = np.concatenate(parts)
        self._pending = out[count:]
        return out[:count]

    def _frame(self, lead: float) -> np.ndarray:
        """One LTC frame's samples, heard `lead` seconds from now; a frame's silence while the clock is stopped."""
        now = self.clock()
        if now is None:
            self._next = None
            return np.zeros(round(self.rate / self.fps), np.float32)
        heard = (now + lead) * self.fps  # in frames
        if self._next is None or abs(self._next - heard) > LOCATE:
            self._next, self._off = round(heard), collections.deque(maxlen=round(self.fps))
        self._off.append(heard - self._next)
        if len(self._off) == self._off.maxlen and abs(drift := float(np.median(self._off))) > 1.0:
            self._next += round(drift)  # off for a whole second: taken up again
            self._off.clear()
        hours, minutes, secs, frames = split(self._next / self.fps, self.fps)
        self._next += 1
        self._lib.ltc_encoder_set_timecode(self._encoder, ctypes.byref(_Timecode(b"+0000", 0, 1, 1, hours, minutes, secs, frames)))
        self._lib.ltc_encoder_encode_frame(self._encoder)
        buffer = ctypes.POINTER(ctypes.c_ubyte)()
        length = self._lib.ltc_encoder_get_bufferptr(self._encoder, ctypes.byref(buffer), 1)
        return (np.ctypeslib.as_array(buffer, (length,)).astype(np.float32) - 128.0) / 127.0

    def close(self) -> None:
        if self._encoder:
            self._lib.ltc_encoder_free(self._encoder)
            self._encoder = None


class LtcIn:
    """LTC read from a capture device (an index or part of its name; None: the system's default) on
    PortAudio's own thread, so a busy render loop cannot make it late."""

    def __init__(self, device: str | None) -> None:
        import sounddevice

        self.chaser = LtcChaser()
        self.name = f"ltc in {device if device is not None else '(default)'}"
        try:
            self._stream = sounddevice.InputStream(device=find_device(device), channels=1, samplerate=RATE, blocksize=BLOCK,
                                                   dtype="float32", latency=BUFFERED, callback=self._arrive)
            self._stream.start()
        except sounddevice.PortAudioError as error:
            self.chaser.close()
            raise OSError(str(error)) from None

    def _arrive(self, data, frames, timing, status) -> None:
        self.chaser.hear(data[:, 0], time.monotonic())

    def close(self) -> None:
        self._stream.abort()
        self._stream.close()
        self.chaser.close()


class LtcOut:
    """A clock written as LTC to an output device (an index or part of its name; None: the default)
    from PortAudio's own thread."""

    def __init__(self, device: str | None, clock: Callable[[], float | None], fps: float = 25.0) -> None:
        import sounddevice

        self.writer = LtcWriter(clock, fps)
        try:
            self._stream = sounddevice.OutputStream(device=find_device(device, "output"), channels=1, samplerate=RATE,
                                                    blocksize=BLOCK, dtype="float32", latency=BUFFERED, callback=self._fill)
            self._stream.start()
        except sounddevice.PortAudioError as error:
            self.writer.close()
            raise OSError(str(error)) from None

    def _fill(self, out, frames, timing, status) -> None:
        """PortAudio's thread: the block it asks for, timed to when its first sample is heard (where the
        device says; else after the buffer it holds)."""
        lead = timing.outputBufferDacTime - timing.currentTime if timing.outputBufferDacTime > 0 else self._stream.latency
        out[:, 0] = self.writer.samples(frames, lead)

    def close(self) -> None:
        self._stream.abort()
        self._stream.close()
        self.writer.close()
