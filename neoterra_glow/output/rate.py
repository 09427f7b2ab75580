"""Frame rates as exact fractions: broadcast's 29.97 is 30000/1001, so a frame's time and a
file's time base are exact and a long clip never drifts from its sound."""

from __future__ import annotations

from fractions import Fraction

MAX_FPS = 1000
# the NTSC family, written short (29.97, 59.94, 23.976 ...), is n * 1000/1001 exactly
_NTSC = tuple(Fraction(n * 1000, 1001) for n in (24, 30, 48, 60, 120, 240))
_SHORT = Fraction(1, 200)  # how far a short form may be from its exact rate: 23.98 is 23.976...


def frame_rate(value: str | int | float | Fraction) -> Fraction:
    """A frame rate from the command line, a file or code: '30', '29.97', '30000/1001' or a
    number; the NTSC rates' short forms become their 1001 forms. ValueError saying what a rate is."""
    text = str(value).strip()
    try:
        rate = Fraction(value) if isinstance(value, (int, Fraction)) else Fraction(text)  # a float by its shortest digits
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        rate = Fraction(0)
    if not 0 < rate <= MAX_FPS:
        raise ValueError(f"{text!r} is not a frame rate: frames per second, more than 0 and at most {MAX_FPS}, "
                         "such as 30, 29.97 or 30000/1001")
    if rate.denominator != 1:
        rate = next((exact for exact in _NTSC if abs(rate - exact) <= _SHORT), rate)
    return rate
