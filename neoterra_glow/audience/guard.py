"""What a public page lets through: rate limits per visitor and per address, and text that
may become a smile on the wall (short, printable, no markup, not offensive)."""

from __future__ import annotations

import re
import time
import unicodedata

NAME_CHARS = 40
STORY_CHARS = 280
_ALLOWED = re.compile(r"^[\w\s.,'!?\-–—:;()&]+$")


class TextRefused(ValueError):
    """Text that cannot go on the wall; the message says why, to the visitor."""


def wall_text(text: object, kind: str) -> str:
    """The text, tidied, if it may go on the wall."""
    if not isinstance(text, str):
        raise TextRefused("send some text")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    limit = NAME_CHARS if kind == "name" else STORY_CHARS
    if not text:
        raise TextRefused("send some text")
    if len(text) > limit:
        raise TextRefused(f"a {kind} is {limit} characters at most")
    if not _ALLOWED.match(text) or any(unicodedata.category(c).startswith("C") for c in text):
        raise TextRefused("letters, numbers, spaces and simple punctuation only")
    from better_profanity import profanity

    if profanity.contains_profanity(text):
        raise TextRefused("that cannot go on the wall")
    return text


class RateLimit:
    """A token bucket per key: `rate` a second, bursts of `burst`."""

    def __init__(self, rate: float, burst: float, keys: int = 100_000) -> None:
        self.rate, self.burst, self.keys = rate, burst, keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if len(self._buckets) > self.keys:  # a flood of fresh keys: forget the idle ones
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60.0}
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        return True
