"""Counting what went wrong, by kind, and saying so in the log at most once every few seconds:
a flood of bad packets or a failing layer must not become a flood of log lines."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable

log = logging.getLogger("neoterra_glow")


class Rejections:
    """Counts what was refused, by kind, and logs each kind at most once every few seconds."""

    def __init__(self, prefix: str = "", period: float = 5.0) -> None:
        self.prefix = prefix  # "OSC " for the OSC server's
        self.period = period
        self.counts: Counter[str] = Counter()
        self._last: dict[str, float] = {}
        self._quiet: Counter[str] = Counter()
        self._lock = threading.Lock()  # the render thread and the OSCQuery threads may both read

    def count(self, kind: str, detail: str | Callable[[], str], times: int = 1) -> None:
        """Count it; `detail` may be a function, called only when the report is written (a
        "did you mean" lookup per refused message would let a flood starve the show)."""
        with self._lock:
            self.counts[kind] += times
            now = time.monotonic()
            if now - self._last.get(kind, -self.period) < self.period:
                self._quiet[kind] += times
                return
            self._last[kind] = now
            quiet, self._quiet[kind] = self._quiet[kind] + times - 1, 0
        more = f" ({quiet} more {kind} since the last report)" if quiet else ""
        log.warning("%s%s: %s%s", self.prefix, kind, detail() if callable(detail) else detail, more)

    def failed(self, kind: str, what: str, error: BaseException) -> None:
        """Count an error that is a bug, not bad input: its traceback is logged as seldom as its kind
        (a message that breaks something every frame must not become a traceback a frame)."""
        self.count(kind, lambda: f"{what}: {error}\n{''.join(traceback.format_exception(error)).rstrip()}")
