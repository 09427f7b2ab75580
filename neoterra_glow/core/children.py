"""What every helper process (OSC receiver, audience server, scene loader) shares with the show:
Ctrl-C left to the show, sends that never wait on the other side, and restarts with backoff."""

from __future__ import annotations

import collections
import pickle
import signal
import threading


def leave_ctrl_c_to_the_show() -> None:
    """Ctrl-C at a terminal reaches the whole process group: the show stops and closes its
    helpers, so a helper ignores it instead of dying mid-message with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Outbox:
    """Messages to another process over a one-way pipe, written by a thread of their own, so the
    sender never waits on the reader (two processes that both wait to send deadlock). At most
    `budget` bytes wait; a message over that is dropped and counted in `dropped`."""

    def __init__(self, connection, budget: int, name: str) -> None:
        self.budget, self.dropped = budget, 0
        self._connection = connection
        self._waiting: collections.deque[bytes] = collections.deque()
        self._bytes = 0
        self._closed = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._write, name=name, daemon=True)
        self._thread.start()

    def send(self, message) -> bool:
        """Queue a message; False (and counted) when it cannot be held or the pipe is gone."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._ready:
            if self._closed or self._bytes + len(data) > self.budget:
                self.dropped += 1
                return False
            self._waiting.append(data)
            self._bytes += len(data)
            self._ready.notify()
        return True

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._waiting and not self._closed:
                    self._ready.wait()
                if not self._waiting:
                    return
                data = self._waiting.popleft()
            try:
                self._connection.send_bytes(data)
            except (OSError, ValueError):  # the reader is gone: nothing more can be sent
                with self._ready:
                    self._closed = True
                    self.dropped += 1 + len(self._waiting)
                    self._waiting.clear()
                    self._bytes = 0
                return
            with self._ready:
                self._bytes -= len(data)

    def close(self, seconds: float = 1.0) -> None:
        """Send what waits (for `seconds` at most), then stop."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join(timeout=seconds)


class Backoff:
    """When to start a helper again after it died: at once the first time, then waiting twice as
    long after each death that came soon after its start, up to `longest` seconds."""

    def __init__(self, first: float = 1.0, longest: float = 30.0, steady: float = 60.0) -> None:
        self.first, self.longest, self.steady = first, longest, steady
        self._delay = 0.0
        self._started = float("-inf")
        self.due = 0.0

    def died(self, now: float) -> None:
        """It stopped at `now`: the next start waits longer if it lived only a short while."""
        self._delay = 0.0 if now - self._started > self.steady else min(self.longest, max(self.first, self._delay * 2))
        self.due = now + self._delay

    def started(self, now: float) -> None:
        self._started = now
