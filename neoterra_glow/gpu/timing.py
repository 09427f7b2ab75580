"""GPU time of each pass, so that every change has a figure.

On a GPU it comes from OpenGL timer queries: each pass has two, used on alternate
frames, and a query is read two frames after it was issued, when the GPU has long
finished it, so measuring never makes the CPU wait. Mesa's llvmpipe answers timer
queries with numbers that mean nothing (1 ns for any compute dispatch), so there
the time is the wall clock around the pass, finished: the CPU is the GPU there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import moderngl


class PassTimes:
    """Each pass's GPU time in milliseconds, measured without making the CPU wait, for the HUD and the bench."""

    def __init__(self, ctx: moderngl.Context) -> None:
        self.ctx = ctx
        self.ms: dict[str, float] = {}  # the latest finished time of each pass
        self.queries = "llvmpipe" not in ctx.info["GL_RENDERER"]
        self._queries: dict[str, list[moderngl.Query]] = {}
        self._frame = 0

    @contextmanager
    def measure(self, name: str) -> Iterator[None]:
        """Time the GL work issued inside; passes cannot nest (OpenGL's rule for timer queries)."""
        if not self.queries:
            started = time.perf_counter()
            yield
            self.ctx.finish()
            self.ms[name] = (time.perf_counter() - started) * 1e3
            return
        pair = self._queries.get(name)
        if pair is None:
            pair = self._queries[name] = [self.ctx.query(time=True), self.ctx.query(time=True)]
        query = pair[self._frame % 2]
        if self._frame >= 2:
            self.ms[name] = query.elapsed / 1e6
        with query:
            yield

    def next_frame(self) -> None:
        self._frame += 1

    def summary(self) -> str:
        return "  ".join(f"{name} {ms:.2f}" for name, ms in self.ms.items())

    def release(self) -> None:
        """moderngl cannot delete a query (a dozen per pipeline); they go with the context."""
        self._queries.clear()
