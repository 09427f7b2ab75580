"""The venue's lights: a TOML file beside the calibration that says which DMX fixtures follow
which part of the picture. Anything wrong is one line naming the file and what; the show
then goes on without lights.

    rate = 40                      # packets a second, each universe
    protocol = "sacn"              # or "artnet" (Art-Net 4: universe is its Port-Address, 0..32767)
    destination = "127.0.0.1"      # unicast; left out: sACN multicast (Art-Net needs its node's address)
    [[fixture]]
    name = "wash_left"
    universe = 1
    address = 1                    # its first DMX channel, 1..512
    layout = "rgb"                 # rgb, rgbw or dimmer+rgb
    region = [0.0, 0.0, 0.5, 1.0]  # x, y, width, height of the canvas (0..1, y down); [x, y] is a point
    gamma = 2.2
    cap = 1.0                      # the most of full brightness it is sent
    delay_ms = 0                   # held back this long, to meet a slower projector
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from neoterra_glow.core.tables import check_keys, parse_toml, read_table
from neoterra_glow.errors import UserError

LAYOUTS = {"rgb": 3, "rgbw": 4, "dimmer+rgb": 4}
UNIVERSES = {"sacn": (1, 63999), "artnet": (0, 32767)}  # each protocol's universe numbers
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_POINT = 0.002  # a point samples this much of the canvas around it


@dataclass(frozen=True)
class Fixture:
    """A [[fixture]] table: its keys are these fields (core/tables.py reads and type-checks them)."""

    name: str
    universe: int
    address: int = 1
    layout: str = "rgb"
    region: Any = None  # read as given ([x, y] or [x, y, width, height]), kept as x, y, width, height, 0..1, y down
    gamma: float = 2.2
    cap: float = 1.0
    delay_ms: float = 0.0

    @property
    def channels(self) -> int:
        return LAYOUTS[self.layout]


@dataclass(frozen=True)
class Rig:
    """The venue's DMX fixtures and how to reach them, as its fixtures file declares."""

    fixtures: tuple[Fixture, ...] = field(metadata={"key": "fixture"})
    rate: float = 40.0
    destination: str | None = None
    protocol: str = "sacn"


def load_fixtures(path: Path) -> Rig:
    """The rig a fixtures file declares; UserError (one line) when it cannot be used."""
    try:
        table = parse_toml(path.read_text(encoding="utf-8"))
        rig = _rig(table)
    except (OSError, ValueError, TypeError, KeyError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UserError(f"{path}: not a usable fixtures file: {message}") from None
    return rig


def _rig(table: dict) -> Rig:
    check_keys(table, Rig, "a fixtures file")
    rate = _within(table.get("rate", 40.0), "rate", 1.0, 44.0)  # E1.31 refreshes DMX at most ~44 times a second
    destination = table.get("destination")
    if destination is not None and not isinstance(destination, str):
        raise ValueError("destination must be an address like \"10.0.0.5\"")
    protocol = table.get("protocol", "sacn")
    if protocol not in UNIVERSES:
        raise ValueError(f"protocol must be \"sacn\" or \"artnet\", not {protocol!r}")
    if protocol == "artnet" and destination is None:
        raise ValueError("Art-Net is sent to one node: give its destination, like \"10.0.0.5\"")
    fixtures = tuple(_fixture(i, entry, UNIVERSES[protocol]) for i, entry in enumerate(table.get("fixture", [])))
    if not fixtures:
        raise ValueError("no [[fixture]] declared")
    names = [f.name for f in fixtures]
    if len(set(names)) != len(names):
        raise ValueError(f"fixture {next(n for n in names if names.count(n) > 1)!r} is declared twice")
    used: dict[tuple[int, int], str] = {}
    for f in fixtures:
        for channel in range(f.address, f.address + f.channels):
            if (f.universe, channel) in used:
                raise ValueError(f"fixture {f.name!r} overlaps {used[f.universe, channel]!r} at universe {f.universe} channel {channel}")
            used[f.universe, channel] = f.name
    return Rig(fixtures, rate, destination, protocol)


def _fixture(index: int, entry: dict, universes: tuple[int, int]) -> Fixture:
    if not isinstance(entry, dict):
        raise ValueError(f"fixture {index + 1} is not a table")
    where = f"fixture {entry.get('name', index + 1)!r}"
    fixture = read_table(entry, Fixture, where)
    if not _NAME.match(fixture.name):
        raise ValueError(f"{where}: name must be lower case letters, digits and _")
    if fixture.layout not in LAYOUTS:
        raise ValueError(f"{where}: layout must be one of {', '.join(LAYOUTS)}, not {fixture.layout!r}")
    _within(fixture.universe, f"{where}: universe", *universes)
    _within(fixture.address, f"{where}: address", 1, 513 - LAYOUTS[fixture.layout])
    _within(fixture.gamma, f"{where}: gamma", 0.1, 5.0)
    _within(fixture.cap, f"{where}: cap", 0.0, 1.0)
    _within(fixture.delay_ms, f"{where}: delay_ms", 0.0, 2000.0)
    region = fixture.region
    if not isinstance(region, list) or len(region) not in (2, 4):
        raise ValueError(f"{where}: region must be [x, y] or [x, y, width, height] of the canvas (0..1)")
    numbers = [_within(v, f"{where}: region", 0.0, 1.0) for v in region]
    if len(numbers) == 2:
        numbers = [max(numbers[0] - _POINT, 0.0), max(numbers[1] - _POINT, 0.0), 2 * _POINT, 2 * _POINT]
    if numbers[0] + numbers[2] > 1.0 + 1e-9 or numbers[1] + numbers[3] > 1.0 + 1e-9:
        raise ValueError(f"{where}: region reaches past the canvas")
    return replace(fixture, region=(numbers[0], numbers[1], numbers[2], numbers[3]))


def _within(value: object, what: str, low: float, high: float) -> float:
    """A number in its range (the region's, which no dataclass field types, is checked to be a number here too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number from {low:g} to {high:g}, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{what} must be from {low:g} to {high:g}, not {value!r}")
    return float(value)
