"""Presets: TOML files that give a show its title, seed and parameter values.

A preset is checked whole before anything renders: a typo or a bad value stops
with the file, the key and the nearest valid path, never halfway into a show.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neoterra_glow.core.params import ParamError, Registry
from neoterra_glow.core.tables import parse_toml, read_table, table_keys
from neoterra_glow.errors import UserError
from neoterra_glow.resources import data_dir

MAX_SEED = 2**31 - 1  # seeds reach the shaders as 32-bit ints
MAX_SECONDS = 86_400

_LISTS = {"glyphs": "a list of names, stories or .svg/.png files", "layers": "mural layers as [[layers]] tables",
          "drive": "emotion drives as [[drive]] tables", "fault": "a timeline of glitches as [[fault]] tables"}


@dataclass(frozen=True)
class Header:
    """A preset's own keys, read as any table is (core/tables); the rest of the file is parameters."""

    title: str | None = None  # None: the file's name
    seed: int = field(default=0, metadata={"means": f"a whole number from 0 to {MAX_SEED}"})
    description: str = ""
    glyphs: list = field(default_factory=list, metadata={"means": _LISTS["glyphs"]})
    layers: list = field(default_factory=list, metadata={"means": _LISTS["layers"]})
    drive: list = field(default_factory=list, metadata={"means": _LISTS["drive"]})
    fault: list = field(default_factory=list, metadata={"means": _LISTS["fault"]})
    seconds: float | None = field(default=None, metadata={"means": "the length of the piece in seconds, for renders"})


class PresetError(UserError):
    """A preset that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Preset:
    """A checked preset: every value is already valid for its parameter."""

    path: Path
    title: str
    seed: int
    values: Mapping[str, Any]
    description: str = ""
    glyphs: tuple[str, ...] = ()  # whose smiles the swarm forms: names, stories or glyph files
    layers: tuple[Mapping[str, Any], ...] = ()  # the mural stack, bottom first, as the file gives it
    drives: tuple[Mapping[str, Any], ...] = ()  # how emotions drive parameters, as the file gives them
    faults: tuple[Mapping[str, Any], ...] = ()  # the timeline of glitches, as the file gives it
    seconds: float | None = None  # how long a render of it runs unless told otherwise

    def apply(self, registry: Registry) -> None:
        """Set every value at once (no smoothing): a preset is a starting state."""
        for path, value in self.values.items():
            registry.set(path, value, immediate=True)


def find_preset(name: str | Path) -> Path:
    """A path to a preset file, or the name of one in presets/ ('festival' or 'festival.toml')."""
    path = Path(name)
    if path.is_file():
        return path
    shipped = data_dir("presets")
    candidate = shipped / (path.name if path.suffix == ".toml" else f"{path.name}.toml")
    names_a_shipped_preset = path.parent in (Path("."), Path("presets"))  # 'festival' or 'presets/festival.toml'
    if names_a_shipped_preset and candidate.is_file():
        return candidate
    names = ", ".join(sorted(p.stem for p in shipped.glob("*.toml")))
    raise PresetError(f"{name}: no such preset file; the shipped presets are: {names}")


@dataclass(frozen=True)
class Draft:
    """A preset as read, before its values are checked: its layers may declare more parameters first."""

    path: Path
    header: Header
    values: tuple[tuple[str, Any], ...]

    @property
    def layers(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.header.layers)

    def error(self, key: str, message: str) -> PresetError:
        return PresetError(f"{self.path}: key {key!r}: {message}")

    def check(self, registry: Registry) -> Preset:
        """Check every value against the registry; raises PresetError naming the first bad key."""
        values = {}
        for key, value in self.values:
            if key not in registry:
                raise self.error(key, registry.unknown(key))
            param = registry[key]
            if param.measured:
                raise self.error(key, f"{key} is measured from the sound, not set; drive from it with [[drive]] source = \"{key}\"")
            try:
                checked, note = param.check(value)
            except ParamError as error:
                raise self.error(key, str(error)) from None
            if note:
                raise self.error(key, f"{value!r} is outside {param.describe_range()}")
            values[key] = checked
        header = self.header
        return Preset(path=self.path, title=self.path.stem if header.title is None else header.title, seed=header.seed,
                      values=values, description=header.description, glyphs=tuple(header.glyphs), layers=self.layers,
                      drives=tuple(header.drive), faults=tuple(header.fault), seconds=header.seconds)


def read_preset(name: str | Path) -> Draft:
    """Read a preset file and check its header; its values are checked by `Draft.check`."""
    path = find_preset(name)
    try:
        data = parse_toml(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML: {error}") from None
    except ValueError as error:
        raise PresetError(f"{path}: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PresetError(f"{path}: cannot read: {error}") from None

    try:
        header = read_table({key: data.pop(key) for key in table_keys(Header) if key in data}, Header, "a preset")
    except ValueError as error:
        raise PresetError(f"{path}: key {error}") from None
    if not all(isinstance(source, str) and source.strip() for source in header.glyphs):
        raise PresetError(f"{path}: key 'glyphs': must be {_LISTS['glyphs']}, got {header.glyphs!r}")
    if header.seconds is not None and not 0 < header.seconds <= MAX_SECONDS:
        raise PresetError(f"{path}: key 'seconds': must be more than zero and at most {MAX_SECONDS} (a day), got {header.seconds!r}")
    if not 0 <= header.seed <= MAX_SEED:
        raise PresetError(f"{path}: key 'seed': must be a whole number from 0 to {MAX_SEED}, got {header.seed!r}")
    for key in ("layers", "drive", "fault"):
        if not all(isinstance(table, dict) for table in getattr(header, key)):
            raise PresetError(f"{path}: key {key!r}: must be {_LISTS[key]}")
    return Draft(path, header, tuple(_flatten(data)))


def _flatten(table: Mapping[str, Any], prefix: str = ""):
    """Nested TOML tables become dotted parameter paths: [post.bloom] intensity -> post.bloom.intensity."""
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, path + ".")
        else:
            yield path, value
