"""The venue: a canvas the piece renders at once, cut into slices, one per projector. Each
slice is a region of the canvas (with the overlap it shares with its neighbours), the
monitor it goes to, its own keystone and soft edges, and a black level lift for the rest
of the slice (where two projectors overlap, their black adds up; the rest is lifted to match).

A venue file is JSON: {"version": 2, "canvas": [w, h], "slices": [{"name", "region": [x, y,
w, h], "monitor"}], "values": {...}}; the slices' values are parameters like any other
(output.slices.<name>.corners.top_left ...), reachable over OSC and saved back here. A
file with no slices is the one-projector calibration (output.corners.* ...).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from neoterra_glow.core.params import Kind, Param, ParamError, Registry
from neoterra_glow.core.tables import parse_json
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.monitors import Screen, box, listing, pick
from neoterra_glow.output.warp import keystone_params

VERSION = 2


@dataclass(frozen=True)
class Slice:
    """One projector's part of the canvas, with its own keystone and black-level parameters."""

    name: str
    region: tuple[int, int, int, int]  # x, y, width, height in canvas pixels (y down from the top)
    monitor: int | str | None = None

    @property
    def prefix(self) -> str:
        return f"output.slices.{self.name}"

    def params(self) -> tuple[Param, ...]:
        return (*keystone_params(self.prefix, f"slice {self.name}"),
                Param(f"{self.prefix}.black", Kind.FLOAT, 0.0, "light added outside the soft edges, to match the overlap's black",
                      (0.0, 0.2), venue=True))

    def uv(self, canvas: tuple[int, int]) -> tuple[float, float, float, float]:
        """The region in texture coordinates (0..1, y up), as the keystone samples it."""
        x, y, width, height = self.region
        return x / canvas[0], 1.0 - (y + height) / canvas[1], width / canvas[0], height / canvas[1]


@dataclass(frozen=True)
class Venue:
    """The canvas the piece renders at once and its slices, one per projector."""

    canvas: tuple[int, int]
    slices: tuple[Slice, ...]


@dataclass(frozen=True)
class Layout:
    """Where a wall goes on the desktop: the monitors it covers (to span or split), each slice's
    viewport in the picture around them (x, y, width, height, y up; None where its monitor is
    missing), what is missing, and whether the slices are only previewed side by side."""

    monitors: list[Screen]
    viewports: list[tuple[int, int, int, int] | None]
    missing: list[str]
    preview: bool = False


def lay_out(venue: Venue, found: list[Screen]) -> Layout:
    """Each slice on the monitor it names, or, naming none, on the monitor at its own place in the
    list. A wall naming no monitors on a desktop with fewer monitors than slices (a laptop, while
    preparing) is previewed side by side across the desktop, as is a wall none of whose monitors
    is there; the other slices go on without a missing one."""
    chosen: list[Screen | None]
    names, missing, chosen = [s.name for s in found], [], []
    listed = listing(names)
    named = any(piece.monitor is not None for piece in venue.slices)
    if named or len(found) >= len(venue.slices):
        for number, piece in enumerate(venue.slices):
            wanted = piece.monitor if piece.monitor is not None else number
            index = pick(names, wanted)
            if index is None or found[index] in chosen:
                whose = "no monitor" if index is None else "another slice already has the monitor"
                missing.append(f"slice {piece.name}: {whose} {wanted!r} (the monitors are {listed}); the others go on")
                chosen.append(None)
            else:
                chosen.append(found[index])
    if not any(chosen):
        around = box(found)
        share = around.width // len(venue.slices)
        return Layout(found, [(n * share, 0, share, around.height) for n in range(len(venue.slices))], missing, True)
    used = [screen for screen in chosen if screen is not None]
    around = box(used)
    viewports = [None if s is None else (s.x - around.x, around.height - (s.y - around.y) - s.height, s.width, s.height)
                 for s in chosen]
    return Layout(used, viewports, missing)


def read_venue(path: Path, registry: Registry) -> Venue | None:
    """The venue's canvas and slices, their parameters declared and set to what was saved; None
    for a one-projector calibration (or no file). Anything wrong names the file and what."""
    if not path.is_file():
        return None
    try:
        data = parse_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UserError(f"{path}: not a readable venue file: {error}") from None
    if not isinstance(data, dict) or "slices" not in data:
        return None
    if data.get("version") != VERSION:
        raise UserError(f"{path}: a venue file of version {data.get('version')!r}; this engine reads version {VERSION}")
    try:
        canvas = tuple(int(v) for v in data["canvas"])
        if len(canvas) != 2 or not all(16 <= v <= 16384 for v in canvas):
            raise ValueError("the canvas is [width, height], each 16 to 16384 pixels")
        slices = tuple(_slice(table, canvas) for table in data["slices"])
        names = [s.name for s in slices]
        monitors = [s.monitor for s in slices if s.monitor is not None]
        if len(set(names)) != len(names):
            raise ValueError("two slices have one name")
        if len(set(monitors)) != len(monitors):
            raise ValueError(f"two slices go to monitor {next(m for m in monitors if monitors.count(m) > 1)!r}; give each its own")
        for piece in slices:
            registry.declare(*piece.params())
        for key, value in dict(data.get("values", {})).items():
            if not key.startswith("output.") or key not in registry or not registry[key].venue:
                raise ValueError(f"{key} is not a venue setting")
            registry.set(key, value, immediate=True)
    except (KeyError, TypeError, ValueError, ParamError) as error:
        raise UserError(f"{path}: {error}") from None
    return Venue(canvas, slices)


def _slice(table: dict, canvas: tuple[int, int]) -> Slice:
    name = table.get("name")
    if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise ValueError(f"slice name {name!r} must be a lower-case word")
    x, y, width, height = (int(v) for v in table["region"])
    region = (x, y, width, height)
    if width <= 0 or height <= 0 or x < 0 or y < 0 or x + width > canvas[0] or y + height > canvas[1]:
        raise ValueError(f"slice {name}: its region {list(region)} is outside the {canvas[0]}x{canvas[1]} canvas")
    return Slice(name, region, table.get("monitor"))


def save_venue(path: Path, venue: Venue, registry: Registry) -> None:
    """Write the whole venue, every venue setting with it; a kill while saving leaves the old file."""
    data = {"version": VERSION, "canvas": list(venue.canvas),
            "slices": [{"name": s.name, "region": list(s.region), "monitor": s.monitor} for s in venue.slices],
            "values": {p.path: registry.value(p.path) for p in registry if p.venue}}
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
