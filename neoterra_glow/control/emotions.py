"""Emotion signals: named channels (joy, calm, grief ...) that rise and fall with their own
attack and release, and the drives a preset declares from them, or from the sound's
analysis (audio.bass ...), to any parameter.

The registry holds what each channel was last told (`emotion.joy`, over OSC at
/emotion/joy); the bus turns that into a felt value, smoothed, and each frame
moves the driven parameters' values from their base towards the drive's `to`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from neoterra_glow.core.params import Kind, Param, ParamError, Registry, approach
from neoterra_glow.core.tables import read_table
from neoterra_glow.errors import UserError

EMOTIONS = ("joy", "calm", "grief", "hope", "vulnerability", "energy")
CURVES = ("linear", "eased", "threshold")
_DRIVABLE = (Kind.FLOAT, Kind.COLOUR, Kind.VEC2)  # not counts: a frame must not rebuild buffers


class DriveError(UserError):
    """A drive that cannot work; the message names what was wrong."""


@dataclass(frozen=True)
class Drive:
    """As its source rises, `param` moves from its own value towards `to`, along `curve`, by at
    most `amount`. The source is an `emotion` (joy ...) or any measured value (`source = "audio.bass"`)."""

    param: str
    to: Any
    emotion: str | None = field(default=None, metadata={"means": f"one of {', '.join(EMOTIONS)}"})
    source: str | None = field(default=None, metadata={"means": "a measured parameter, such as audio.bass"})
    curve: str = "linear"
    threshold: float = field(default=0.5, metadata={"means": "a number in 0..1"})
    amount: float = field(default=1.0, metadata={"means": "a number in 0..1"})

    def weight(self, felt: float) -> float:
        if self.curve == "eased":
            return felt * felt * (3.0 - 2.0 * felt)
        if self.curve == "threshold":
            t = min(max((felt - self.threshold + 0.05) / 0.1, 0.0), 1.0)  # a soft step at the threshold
            return t * t * (3.0 - 2.0 * t)
        return felt


def parse_drive(table: Mapping[str, Any], registry: Registry) -> Drive:
    """A preset's [[drive]] table, checked against the registry: emotion, param, to, and
    optionally curve, threshold and amount."""
    try:
        drive = read_table(table, Drive, "a drive")
    except ValueError as error:
        raise DriveError(str(error)) from None
    if (drive.emotion is None) == (drive.source is None):
        raise DriveError("a drive follows an emotion (emotion = \"joy\") or a measured value (source = \"audio.bass\"): give one")
    if drive.emotion is not None and drive.emotion not in EMOTIONS:
        raise DriveError(f"emotion {drive.emotion!r} is not one of {', '.join(EMOTIONS)}")
    if drive.source is not None and (drive.source not in registry or not registry[drive.source].measured):
        measured = ", ".join(p.path for p in registry if p.measured)
        raise DriveError(f"source {drive.source!r} is not a measured value; they are {measured}")
    if drive.param not in registry:
        raise DriveError(registry.unknown(drive.param))
    param = registry[drive.param]
    if param.kind not in _DRIVABLE:
        raise DriveError(f"{drive.param} is a {param.kind}; drives move float numbers, colours and points")
    try:
        to, note = param.check(drive.to)
    except ParamError as error:
        raise DriveError(f"'to': {error}") from None
    if note:
        raise DriveError(f"'to': {drive.to!r} is outside {param.describe_range()}")
    if drive.curve not in CURVES:
        raise DriveError(f"curve {drive.curve!r} is not one of {', '.join(CURVES)}")
    for key in ("threshold", "amount"):
        if not 0.0 <= getattr(drive, key) <= 1.0:
            raise DriveError(f"{key} must be a number in 0..1, got {getattr(drive, key)!r}")
    return dataclasses.replace(drive, to=to, source=drive.source or f"emotion.{drive.emotion}")


class EmotionBus:
    """Feels the emotion channels and applies the drives to each frame's parameter snapshot."""

    params = (
        *(Param(f"emotion.{name}", Kind.FLOAT, 0.0, f"how much {name} the room feels, 0..1", (0.0, 1.0)) for name in EMOTIONS),
        Param("emotion.attack", Kind.FLOAT, 0.6, "seconds an emotion takes to rise most of the way", (0.0, 30.0)),
        Param("emotion.release", Kind.FLOAT, 2.5, "seconds an emotion takes to fade most of the way", (0.0, 60.0)),
    )

    keeps = ("felt",)

    def __init__(self, drives: tuple[Drive, ...] = ()) -> None:
        self.drives = drives
        self.felt = dict.fromkeys(EMOTIONS, 0.0)

    def feel(self, snapshot: Mapping[str, Any], dt: float) -> Mapping[str, Any]:
        """The snapshot a frame sees: emotions felt (attack and release applied), drives applied."""
        values = dict(snapshot)
        for name in EMOTIONS:
            told, felt = snapshot[f"emotion.{name}"], self.felt[name]
            seconds = snapshot["emotion.attack"] if told > felt else snapshot["emotion.release"]
            amount = 1.0 if seconds <= 0 else 1.0 - math.exp(-dt / seconds)
            self.felt[name] = felt + (told - felt) * amount
            values[f"emotion.{name}"] = self.felt[name]
        for drive in self.drives:
            if drive.param in values:  # a driven layer may have been removed live
                assert drive.source is not None  # check_drive gives every drive its source
                weight = min(max(drive.weight(values[drive.source]), 0.0), 1.0) * drive.amount
                values[drive.param] = approach(values[drive.param], drive.to, weight)
        return MappingProxyType(values)



def from_valence_arousal(valence: float, arousal: float) -> dict[str, float]:
    """The six channels for a point on Russell's circumplex: valence -1..1 (unpleasant to
    pleasant), arousal 0..1 (still to stirred). A convenience for controllers with two axes."""
    v, a = min(max(valence, -1.0), 1.0), min(max(arousal, 0.0), 1.0)
    pleasant, unpleasant = max(v, 0.0), max(-v, 0.0)
    return {
        "joy": pleasant * (0.4 + 0.6 * a),
        "calm": (1.0 - a) * (0.3 + 0.7 * pleasant),
        "grief": unpleasant * (1.0 - 0.5 * a),
        "hope": min(1.0, 0.5 * (v + 1.0)) * (0.5 + 0.5 * (1.0 - abs(a - 0.5) * 2.0)),
        "vulnerability": unpleasant * (1.0 - a) * 0.8 + 0.2 * (1.0 - a) * (1.0 - pleasant),
        "energy": a,
    }
