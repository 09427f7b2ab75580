"""Typed parameters declared once, next to the code that uses them.

The registry is the single list of everything tweakable: presets, OSC, OSCQuery,
the HUD, the session recorder and `neoterra-glow params` all read it.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

_PATH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


class Kind(StrEnum):
    """What a parameter holds; it decides how a value is checked, clamped, smoothed and sent over OSC."""

    FLOAT = "float"
    INT = "int"
    BOOL = "bool"
    COLOUR = "colour"
    VEC2 = "vec2"
    ENUM = "enum"
    TRIGGER = "trigger"


class ParamError(UserError):
    """A value a parameter cannot take, or a path no parameter has; the message says which."""


def _finite(param: Param, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParamError(f"{param.path}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ParamError(f"{param.path}: {value} is not a usable number; keeping the previous value")
    return float(value)


@dataclass(frozen=True)
class Param:
    """One tweakable value: its path, type, range, default, smoothing and a one-line doc.
    `venue`: it belongs to the venue (calibration): no scene, cue or preset reload changes it.
    `steps`: a crossfade sets it once, at its end, rather than through the fade (the bots'
    count: a fade through it would make and drop bots every frame).
    `measured`: read from the world (the sound's analysis): listed, shown and sent, but no
    preset, scene or sender sets it.
    `local`: set only where the show runs, by its preset or command line (the flash guard):
    no sender (OSC, MIDI, the remote) and no scene changes it, and OSCQuery and the remote do not list it."""

    path: str
    kind: Kind
    default: Any
    doc: str
    range: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()
    smoothing: float = 0.0
    venue: bool = False
    steps: bool = False
    measured: bool = False
    local: bool = False

    def __post_init__(self) -> None:
        if not _PATH.match(self.path):
            raise ValueError(f"parameter path {self.path!r} must be lower-case words joined by dots")
        if self.kind is Kind.ENUM and self.default not in self.choices:
            raise ValueError(f"{self.path}: default {self.default!r} is not one of {self.choices}")
        if self.kind in (Kind.FLOAT, Kind.INT, Kind.VEC2) and self.range is None:
            raise ValueError(f"{self.path}: a {self.kind} parameter needs a range")
        value, note = self.check(self.default)
        if note:
            raise ValueError(f"{self.path}: default is out of range: {note}")
        object.__setattr__(self, "default", value)

    @property
    def osc_address(self) -> str:
        return "/" + self.path.replace(".", "/")

    @property
    def smoothable(self) -> bool:
        return self.smoothing > 0 and self.kind in (Kind.FLOAT, Kind.COLOUR, Kind.VEC2)

    def describe_range(self) -> str:
        if self.kind is Kind.ENUM:
            return "|".join(self.choices)
        if self.kind is Kind.COLOUR:
            return "#rrggbb or [r, g, b] in 0..1"
        if self.kind in (Kind.BOOL, Kind.TRIGGER):
            return "true|false" if self.kind is Kind.BOOL else "fire"
        assert self.range is not None  # __post_init__ asks every number kind for one
        lo, hi = self.range
        fmt = (lambda v: str(int(v))) if self.kind is Kind.INT else (lambda v: f"{v:g}")
        return f"{fmt(lo)}..{fmt(hi)}"

    def check(self, value: Any) -> tuple[Any, str | None]:
        """Convert a value to this parameter's type; returns it clamped, with a note if it was.

        Raises ParamError for a value of the wrong type, NaN or infinity.
        """
        kind = self.kind
        if kind is Kind.TRIGGER:
            return bool(value) if isinstance(value, (bool, int, float)) else True, None
        if kind is Kind.BOOL:
            if isinstance(value, bool) or value in (0, 1):
                return bool(value), None
            raise ParamError(f"{self.path}: expected true or false, got {value!r}")
        if kind is Kind.ENUM:
            if isinstance(value, str) and value in self.choices:
                return value, None
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(self.choices):
                return self.choices[value], None
            raise ParamError(f"{self.path}: expected one of {', '.join(self.choices)}, got {value!r}")
        if kind is Kind.COLOUR:
            return self._clamp_each(_colour_components(self, value), (0.0, 1.0))
        assert self.range is not None  # __post_init__ asks every number kind for one
        if kind is Kind.VEC2:
            if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
                raise ParamError(f"{self.path}: expected two numbers [x, y], got {value!r}")
            return self._clamp_each([_finite(self, v) for v in value], self.range)
        number = _finite(self, value)
        if kind is Kind.INT:
            number = float(round(number))
        clamped, note = self._clamp_each([number], self.range)
        return (int(clamped) if kind is Kind.INT else clamped), note

    def _clamp_each(self, values: list[float], bounds: tuple[float, float]) -> tuple[Any, str | None]:
        lo, hi = bounds
        clamped = [min(max(v, lo), hi) for v in values]
        note = None
        if clamped != values:
            shown = values[0] if len(values) == 1 else values
            note = f"{self.path}: {shown} is outside {self.describe_range()}; clamped"
        return (tuple(clamped) if len(clamped) > 1 else clamped[0]), note


def _colour_components(param: Param, value: Any) -> list[float]:
    if isinstance(value, str):
        match = _HEX.match(value.strip())
        if not match:
            raise ParamError(f"{param.path}: expected a colour like '#ffaa33', got {value!r}")
        digits = match.group(1)
        return [int(digits[i : i + 2], 16) / 255.0 for i in (0, 2, 4)]
    if hasattr(value, "__len__") and len(value) == 3:
        return [_finite(param, v) for v in value]
    raise ParamError(f"{param.path}: expected a colour like '#ffaa33' or [r, g, b], got {value!r}")


class Registry:
    """Every parameter of the running piece, its target value and its smoothed current value."""

    keeps = ("_target", "_current")

    def __init__(self, params: Iterable[Param] = ()) -> None:
        self._params: dict[str, Param] = {}
        self._target: dict[str, Any] = {}
        self._current: dict[str, Any] = {}
        self.version = 0  # changes whenever parameters come or go (mural layers, live)
        self.declare(*params)

    def declare(self, *params: Param) -> None:
        for param in params:
            if param.path in self._params:
                raise ValueError(f"parameter {param.path} is declared twice")
            self._params[param.path] = param
            self._target[param.path] = self._current[param.path] = param.default
        self.version += 1

    def restored(self) -> None:
        """After a checkpoint: its values must be of exactly this piece's parameters."""
        for values in (self._target, self._current):
            if set(values) != set(self._params):
                odd = sorted(set(values) ^ set(self._params))
                raise ValueError(f"the checkpoint's parameters are not this piece's: {', '.join(odd[:4])}")

    def remove(self, prefix: str) -> list[Param]:
        """Take away every parameter at or under `prefix` (a mural layer that was removed)."""
        gone = [p for path, p in list(self._params.items()) if path == prefix or path.startswith(prefix + ".")]
        for param in gone:
            del self._params[param.path], self._target[param.path], self._current[param.path]
        self.version += 1
        return gone

    def __iter__(self) -> Iterator[Param]:
        return iter(list(self._params.values()))  # a copy: other threads (OSCQuery) read while layers change

    def __len__(self) -> int:
        return len(self._params)

    def listed(self) -> list[Param]:
        """The parameters a sender is shown (OSCQuery, the remote): all but the local ones, which no sender may set."""
        return [param for param in self if not param.local]

    def __contains__(self, path: str) -> bool:
        return path in self._params

    def __getitem__(self, path: str) -> Param:
        try:
            return self._params[path]
        except KeyError:
            raise ParamError(self.unknown(path)) from None

    def at_address(self, address: str) -> Param | None:
        """The parameter at exactly this OSC address (the inverse of Param.osc_address), if one is."""
        path = address.strip("/").replace("/", ".")
        return self._params.get(path) if address.startswith("/") else None

    def unknown(self, path: str) -> str:
        """A message for a path no parameter has, naming the nearest one if one is close (a typo):
        a path like no other is told so, not sent to whichever name happens to be least unlike it."""
        near = difflib.get_close_matches(path, self._params, n=1)
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"no parameter named {path}{hint}"

    def value(self, path: str) -> Any:
        """The value last set (before smoothing)."""
        self[path]
        return self._target[path]

    def set(self, path: str, value: Any, *, immediate: bool = False) -> Any:
        """Set a parameter from live input: out-of-range values are clamped with a warning.

        Smoothed parameters glide to the new value unless `immediate`.
        Raises ParamError (and keeps the old value) for unknown paths and unusable values.
        """
        param = self[path]
        value, note = param.check(value)
        if note:
            log.warning(note)
        self._target[path] = value
        if immediate or not param.smoothable:
            self._current[path] = value
        return value

    def snapshot(self, dt: float) -> Mapping[str, Any]:
        """Advance smoothing by dt seconds and return the values one frame sees.

        Triggers read true in exactly one snapshot after they fire.
        """
        for path, param in list(self._params.items()):
            target = self._target[path]
            if param.kind is Kind.TRIGGER:
                self._current[path], self._target[path] = target, False
            elif param.smoothable and dt > 0 and self._current[path] != target:
                self._current[path] = approach(self._current[path], target, 1.0 - math.exp(-dt / param.smoothing))
        return MappingProxyType(dict(self._current))


def approach(current: Any, target: Any, amount: float) -> Any:
    """A value `amount` (0..1) of the way to `target`: numbers, colours and points alike."""
    if isinstance(target, tuple):
        return tuple(c + (t - c) * amount for c, t in zip(current, target, strict=True))
    return current + (target - current) * amount
