"""Tap tempo: an operator's taps, a beat apart, become a tempo (/glitch/tap sets glitch.bpm)."""

from __future__ import annotations

FORGET_SECONDS = 8.0  # taps older than this are forgotten
GAP_SECONDS = 2.0  # taps further apart than this are not one beat
SHORTEST_GAP = 60.0 / 300.0  # taps closer than this (a bounce, two in one frame) are not a beat apart: 300 bpm at most
KEEP = 16  # the most recent taps are enough for a tempo, and a flood of taps costs no more


class TapTempo:
    """The operator's taps as a tempo, for a show with no other beat source."""

    keeps = ("_taps",)

    def __init__(self) -> None:
        self._taps: list[float] = []

    def tap(self, time: float) -> float | None:
        """A tap at `time` (the show's clock); the tempo in beats a minute from the mean gap
        between recent taps, or None while no two are a beat apart."""
        self._taps = [t for t in self._taps[-KEEP:] if time - t < FORGET_SECONDS] + [time]
        gaps = [b - a for a, b in zip(self._taps, self._taps[1:], strict=False) if SHORTEST_GAP <= b - a < GAP_SECONDS]
        return round(60.0 / (sum(gaps) / len(gaps)), 1) if gaps else None
