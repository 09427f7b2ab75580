"""Encoding on a worker thread, so rendering goes on while frames are compressed."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import numpy as np

_DONE = object()


class Recorder:
    """Feeds an encoder from a bounded queue on its own thread.

    The queue is short: if encoding is slower than rendering, rendering waits
    rather than piling frames up in memory.
    """

    def __init__(self, encoder, depth: int = 4) -> None:
        self.encoder = encoder
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self.dropped = 0  # frames offered while the queue was full
        self._thread = threading.Thread(target=self._work, name="neoterra-encoder", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (rgba := self._queue.get()) is not _DONE:
            if self._error is None:
                try:
                    self.encoder.write(rgba)
                except BaseException as error:  # handed to the render thread on its next call
                    self._error = error

    def write(self, rgba: np.ndarray) -> None:
        self._raise_if_failed()
        self._queue.put(rgba)

    def offer(self, rgba: np.ndarray) -> None:
        """Like `write`, but a frame that would have to wait is dropped (and counted): for a
        stream, which must never slow the show."""
        self._raise_if_failed()
        try:
            self._queue.put_nowait(rgba)
        except queue.Full:
            self.dropped += 1

    def close(self) -> Path:
        """Encode what is queued and finish the file; returns its path."""
        self._queue.put(_DONE)
        self._thread.join()
        self._raise_if_failed()
        return self.encoder.close()

    def discard(self) -> None:
        """Stop, leaving no file behind: for a render that failed before its first frame."""
        self._queue.put(_DONE)
        self._thread.join()
        self.encoder.discard()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error
