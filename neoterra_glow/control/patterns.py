"""OSC 1.0 address patterns: `*`, `?`, `[a-z]`, `[!0-9]` and `{joy,calm}` within one part of an address."""

from __future__ import annotations

import functools
import re

_SPECIAL = set("*?[{")


def is_pattern(address: str) -> bool:
    return not _SPECIAL.isdisjoint(address)


@functools.lru_cache(maxsize=512)
def pattern_regex(pattern: str) -> re.Pattern:
    """A compiled regex matching the addresses an OSC pattern names; ValueError if it is malformed."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise ValueError(f"{pattern}: '[' without ']'")
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            if not body:
                raise ValueError(f"{pattern}: empty [] in the pattern")
            escaped = "".join("-" if ch == "-" and 0 < k < len(body) - 1 else re.escape(ch) for k, ch in enumerate(body))
            out.append(f"[{'^/' if negate else ''}{escaped}]")
            i = end
        elif c == "{":
            end = pattern.find("}", i + 1)
            if end < 0:
                raise ValueError(f"{pattern}: '{{' without '}}'")
            out.append("(?:" + "|".join(re.escape(word) for word in pattern[i + 1 : end].split(",")) + ")")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")
