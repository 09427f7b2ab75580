"""A progress line for long renders: frames, frames per second and time left."""

from __future__ import annotations

import sys
import time


class Progress:
    """Redraws one line on a terminal; prints a line every tenth of the job elsewhere (logs, CI)."""

    def __init__(self, total: int, label: str = "rendering", stream=sys.stderr) -> None:
        self.total = total
        self.label = label
        self.stream = stream
        self.started = time.perf_counter()
        self._live = stream.isatty()
        self._next_report = 0

    def update(self, done: int) -> None:
        if not self._live and done < self._next_report and done < self.total:
            return
        self._next_report = done + max(self.total // 10, 1)
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        filled = int(24 * done / max(self.total, 1))
        bar = "#" * filled + "." * (24 - filled)
        line = f"{self.label} [{bar}] {done}/{self.total} frames  {rate:5.1f} fps  ETA {int(left) // 60}:{int(left) % 60:02d}"
        self.stream.write(("\r" + line) if self._live else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._live:
            self.stream.write("\n")
            self.stream.flush()
