"""What a public page lets through: rate limits per visitor and per address, and text that
may become a smile on the wall (short, printable in any script, no markup, not offensive)."""

from __future__ import annotations

import re
import time
import unicodedata

from neoterra_glow.audience.words import INVISIBLE, offensive

NAME_CHARS = 40
STORY_CHARS = 280
MARKS_IN_A_ROW = 4  # combining marks on one letter at most: Devanagari needs three, "Zalgo" text hundreds
_MARKUP = set("<>{}[]\\|`^~")
_JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiners: emoji sequences and Indic scripts need them
# emoji whose parts are not letters nor symbols: a keycap (1️⃣, #️⃣) and a subdivision's flag (Wales, Scotland),
# the black flag and its tag letters; tags anywhere else are hidden text and refused
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")
_SUBDIVISION_FLAG = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f")
# what joins what a reader sees as one character: a joiner and what it joins, variation selectors, a keycap's
# frame, skin tones, a flag's tags (combining marks are left to the count)
_JOINED = re.compile("\u200d.?|[\u200c\ufe00-\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]", re.S)
CODE_POINTS = 4  # code points a character at most: bounds the work on a text of marks and joins


class TextRefused(ValueError):
    """Text that cannot go on the wall; the message says why, to the visitor."""


def wall_text(text: object, kind: str) -> str:
    """The text, tidied, if it may go on the wall: in any script, with emoji and apostrophes,
    invisible characters dropped, and no listed word however it is spelt."""
    if not isinstance(text, str):
        raise TextRefused("send some text")
    text = unicodedata.normalize("NFC", " ".join(INVISIBLE.sub("", text).split()))
    limit = NAME_CHARS if kind == "name" else STORY_CHARS
    if not text.strip("".join(_JOINERS)):
        raise TextRefused("send some text")
    if len(text) > CODE_POINTS * limit or seen_length(text) > limit:
        raise TextRefused(f"a {kind} is {limit} characters at most")
    if not _printable(text):
        raise TextRefused("letters, numbers, emoji, spaces and simple punctuation only")
    if offensive(text):
        raise TextRefused("that cannot go on the wall")
    return text


def seen_length(text: str) -> int:
    """Characters as a reader counts them: a letter with its marks (प्रि), an emoji with its joins (👨‍👩‍👧), is one."""
    return sum(unicodedata.category(char)[0] != "M" for char in _JOINED.sub("", text))


def _printable(text: str) -> bool:
    """Letters, numbers, punctuation, symbols and spaces; marks only on a letter, a few at a time."""
    text = _SUBDIVISION_FLAG.sub("\U0001f3f4", _KEYCAP.sub("\u25a1", text))  # each as the symbol it shows
    marks = MARKS_IN_A_ROW
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "M":
            marks += 1
            if marks > MARKS_IN_A_ROW:
                return False
            continue
        marks = 0 if category[0] in "LS" else MARKS_IN_A_ROW  # a mark needs a letter (or an emoji) under it
        if char in _MARKUP or category[0] in "CZ" and char != " " and char not in _JOINERS:
            return False
    return True


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
