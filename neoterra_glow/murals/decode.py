"""Pictures for video layers, decoded by PyAV on threads of their own: the render thread only
uploads a picture that is ready, so decoding never happens inside a frame.

A file is read at the times the layer asks for, so an offline render shows at frame N the
clip's picture for the time N/fps gives it, on every run. A camera (or any live input) is
read as fast as it delivers, and only its latest picture is held, in memory: no image from a
camera is ever written anywhere.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from neoterra_glow.errors import UserError

EPSILON = 1e-3  # seconds: a clock's sum of steps may fall this short of a picture's time (pictures are further apart)
SEEK_AHEAD = 2.0  # seconds: a wanted time further ahead than this is sought, not decoded up to
WAIT = 10.0  # seconds an offline render waits for a picture before it goes on without it


class VideoError(UserError):
    """A video or camera that cannot be read; the message names it and why."""


def rgba(frame: av.VideoFrame) -> np.ndarray:
    """A decoded picture as RGBA bytes, bottom row first, as a texture takes them."""
    return np.ascontiguousarray(frame.to_ndarray(format="rgba")[::-1])


def why(error: Exception) -> str:
    """FFmpeg's or the system's words for an error, without its number."""
    return str(getattr(error, "strerror", None) or error)


class Picture:
    """The picture a source holds now: `number` changes with each new one, so it is uploaded once."""

    __slots__ = ("number", "pixels")

    def __init__(self, number: int, pixels: np.ndarray) -> None:
        self.number, self.pixels = number, pixels


class _Reader:
    """A PyAV container read on a daemon thread; `error` is set (one line) when reading fails."""

    def __init__(self, what: str, url: str, format: str | None = None, options: dict | None = None) -> None:
        self.what = what
        self.error: str | None = None
        self.picture: Picture | None = None
        self._numbered = 0
        self._stop = False
        self._ready = threading.Condition()
        try:
            self._container = av.open(url, format=format, options=options or {}, timeout=5.0)
        except (av.error.FFmpegError, OSError, ValueError) as error:
            raise VideoError(f"{what}: cannot open it as a video ({why(error)})") from None
        if not self._container.streams.video:
            self._container.close()
            raise VideoError(f"{what}: it has no video stream")
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._guarded, name=f"video {self.what}", daemon=True)
        self._thread.start()

    def _guarded(self) -> None:
        try:
            self._run()
        except (av.error.FFmpegError, OSError, ValueError) as error:
            with self._ready:
                self.error = f"{self.what}: cannot decode it ({why(error)})"
                self._ready.notify_all()

    def _run(self) -> None:
        """Decode until closed: each kind of reader its own way."""
        raise NotImplementedError

    def _publish(self, frame: av.VideoFrame, **served) -> None:
        pixels = rgba(frame)
        with self._ready:
            self._numbered += 1
            self.picture = Picture(self._numbered, pixels)
            for name, value in served.items():
                setattr(self, name, value)
            self._ready.notify_all()

    def close(self) -> None:
        with self._ready:
            self._stop = True
            self._ready.notify_all()
        self._thread.join(timeout=WAIT)
        self._container.close()


class ClipReader(_Reader):
    """A video file, looped between an in and an out point, decoded at the times asked for."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise VideoError(f"{path}: no such video file")
        super().__init__(str(path), str(path))
        stream = self._stream
        assert stream.time_base is not None  # a demuxed stream has one
        self._base = float(stream.time_base)
        if stream.duration is not None:
            self.length = float(stream.duration * stream.time_base)
        elif self._container.duration is not None:
            self.length = self._container.duration / av.time_base
        else:
            self.length = math.inf  # no loop: the last picture holds
        self._wanted: float | None = None
        self.served: float | None = None
        self._start()

    def clip_time(self, position: float, start: float, end: float) -> float:
        """Where in the clip a play position falls, looping between `start` and `end` (0: its end)."""
        end = min(end, self.length) if end > 0 else self.length
        start = min(max(start, 0.0), end)
        span = end - start
        return start if span <= 0 else start + (position % span if math.isfinite(span) else max(position, 0.0))

    def at(self, seconds: float, wait: bool) -> Picture | None:
        """The picture for a time in the clip; `wait`: until it is decoded (offline), or the latest there is (live)."""
        with self._ready:
            if self._wanted != seconds:
                self._wanted = seconds
                self._ready.notify_all()
            if wait:
                self._ready.wait_for(lambda: self.served == seconds or self.error is not None, timeout=WAIT)
            return self.picture

    def _frames(self) -> Iterator[tuple[float, av.VideoFrame]]:
        for frame in self._container.decode(self._stream):
            if frame.pts is not None:
                yield frame.pts * self._base, frame

    def _run(self) -> None:
        frames = self._frames()
        current: tuple[float, av.VideoFrame] | None
        pending: tuple[float, av.VideoFrame] | None
        current = pending = None  # (time, frame): the last picture at or before the wanted time, and the one after it
        shown = None
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._stop or (self._wanted is not None and self._wanted != self.served))
                if self._stop:
                    return
                wanted = self._wanted
            assert wanted is not None  # what the wait above waits for
            seen: tuple[float, av.VideoFrame] | None = current or pending
            if seen is not None and (wanted < seen[0] - EPSILON or wanted > seen[0] + SEEK_AHEAD):
                self._container.seek(int(wanted / self._base), stream=self._stream, backward=True)
                frames, current, pending = self._frames(), None, None
            while True:
                if pending is None:
                    pending = next(frames, None)
                    if pending is None:
                        break  # the end: the last picture holds
                if pending[0] > wanted + EPSILON:
                    break
                current, pending = pending, None
            chosen = current or pending
            if chosen is None:
                raise ValueError("no picture decodes from it")
            if chosen is not shown:
                shown = chosen
                self._publish(chosen[1], served=wanted)
            else:
                with self._ready:
                    self.served = wanted
                    self._ready.notify_all()


class LiveReader(_Reader):
    """A camera (v4l2) or another live input: the latest picture only, held in memory and never kept."""

    def __init__(self, what: str, url: str, format: str) -> None:
        super().__init__(what, url, format)
        self._start()

    def latest(self, wait: bool) -> Picture | None:
        """The newest picture; `wait`: for the first one (offline)."""
        with self._ready:
            if wait:
                self._ready.wait_for(lambda: self.picture is not None or self.error is not None, timeout=WAIT)
            return self.picture

    def _run(self) -> None:
        began: float | None = None
        first = 0.0  # the first frame's time, taken with `began`
        for frame in self._container.decode(self._stream):
            if self._stop:
                return
            if frame.time is not None:  # a generated stand-in runs as fast as it can: keep it to its own rate
                began, first = (time.perf_counter(), frame.time) if began is None else (began, first)
                time.sleep(max(0.0, began + frame.time - first - time.perf_counter()))
            self._publish(frame)
        raise ValueError("the input ended")
