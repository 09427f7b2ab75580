"""Live sound from a capture device (a sound card, a mixer's USB feed, PulseAudio's monitor of
the venue's playback), through PortAudio (sounddevice).

PortAudio's own thread hands each block to a queue and returns: it never waits on the render
loop. At each frame boundary the show takes what arrived and analyses it, block by block, as
a file is analysed. A device that is missing or vanishes mid-show is said once, the sound
goes quiet and the show goes on; the device is looked for again every few seconds.
"""

from __future__ import annotations

import collections
import logging
import time
from typing import Any

import numpy as np

from neoterra_glow.audio.analysis import RATE, SILENCE, Analyser, Hearing
from neoterra_glow.audio.files import BLOCK
from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

RETRY_SECONDS = 3.0
QUEUE_SECONDS = 2.0  # blocks held at most: a frame that stalls longer loses the oldest


class AudioInput:
    """`hear()` at a frame boundary: the analysis of every block that arrived since the last."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        self.absent: str | None = None  # why there is no sound now, for the HUD
        self.latency = 0.0  # seconds from the oldest block's arrival to the boundary that took it
        self.cost = 0.0  # seconds of analysis per block, lately
        self.samples = 0  # samples analysed so far
        self._queue: collections.deque = collections.deque(maxlen=int(QUEUE_SECONDS * RATE / BLOCK))
        self._analyser = Analyser()
        self._stream: Any = None  # sounddevice's InputStream (sounddevice ships no types)
        self._stopped = False  # PortAudio's word that the stream ended by itself
        self._retry_at = 0.0
        self._open()

    def _open(self) -> None:
        try:
            import sounddevice
        except ImportError:  # an extra: headless renders hear their --audio track, not a device
            raise UserError("live audio needs the optional extra: pip install 'neoterra-glow[live]'") from None
        except OSError as error:  # the module is there, PortAudio is not
            raise UserError(f"live audio needs PortAudio (Debian: apt-get install libportaudio2): {error}") from None
        try:
            stream = sounddevice.InputStream(
                device=find_device(self.device), channels=1, samplerate=RATE, blocksize=BLOCK, dtype="float32",
                latency="low", callback=self._arrive, finished_callback=self._finished,
            )
            stream.start()
        except (sounddevice.PortAudioError, ValueError, UserError) as error:
            self._lost(f"audio input {self.device if self.device is not None else '(default)'}: {error}")
            return
        self._stream, self.absent, self._stopped = stream, None, False
        log.info("hearing %s", stream.device if self.device is None else self.device)

    def _arrive(self, data, *_) -> None:  # sounddevice also passes frames, timing, status
        """PortAudio's thread: keep the block and go (the queue drops the oldest when full)."""
        self._queue.append((time.monotonic(), data[:, 0].copy()))

    def _finished(self) -> None:
        self._stopped = True

    def _lost(self, why: str) -> None:
        if self.absent != why:
            log.warning("%s; the show goes on without sound and looks for it again", why)
        self.absent, self._retry_at = why, time.monotonic() + RETRY_SECONDS

    def hear(self) -> tuple[Hearing, list[np.ndarray]]:
        """The analysis now, and the blocks it took (for a session's recording)."""
        if self._stream is not None and (self._stopped or not self._stream.active):
            self._close_stream()
            self._lost(f"audio input {self.device if self.device is not None else '(default)'} stopped: the device is gone")
        if self._stream is None and time.monotonic() >= self._retry_at:
            self._open()
        taken, now = [], time.monotonic()
        while self._queue:
            arrived, block = self._queue.popleft()
            self.latency = max(self.latency * 0.98, now - arrived)
            started = time.perf_counter()
            self._analyser.feed(block)
            self.cost = self.cost * 0.9 + (time.perf_counter() - started) * 0.1
            taken.append(block)
        self.samples += sum(len(block) for block in taken)
        return (self._analyser.hearing if self._stream is not None else SILENCE), taken

    def _close_stream(self) -> None:
        """Let the stream go; what was heard goes with it (the levels fall to silence)."""
        stream, self._stream = self._stream, None
        self._analyser, self._queue = Analyser(), collections.deque(maxlen=self._queue.maxlen)
        try:
            stream.abort()
            stream.close()
        except Exception as error:  # a device that is gone may fail to close: it is let go all the same
            log.debug("closing the audio stream: %s", error)

    def close(self) -> None:
        if self._stream is not None:
            self._close_stream()


def find_device(wanted: str | int | None, side: str = "input") -> int | None:
    """A capture (or, with side="output", a playback) device by its index or part of its name (None:
    the system's default)."""
    import sounddevice

    if wanted is None:
        return None
    found = [(index, device["name"]) for index, device in enumerate(sounddevice.query_devices())
             if device[f"max_{side}_channels"] > 0]
    if isinstance(wanted, int) or str(wanted).isdigit():
        if any(index == int(wanted) for index, _ in found):
            return int(wanted)
    else:
        matches = [index for index, name in found if str(wanted).lower() in name.lower()]
        if matches:
            return matches[0]
    names = ", ".join(f"{index}: {name}" for index, name in found) or "none"
    raise UserError(f"no audio {side} {wanted!r}; the {side}s are {names}")
