"""Presets: TOML files that give a show its title, seed and parameter values.

A preset is checked whole before anything renders: a typo or a bad value stops
with the file, the key and the nearest valid path, never halfway into a show.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from neoterra_glow.core.params import ParamError, Registry
from neoterra_glow.resources import data_dir

_HEADER = {
    "title": (str, "text"),
    "seed": (int, "whole number"),
    "description": (str, "text"),
    "glyphs": (list, "a list of names, stories or .svg/.png files"),
}


class PresetError(Exception):
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


def load_preset(name: str | Path, registry: Registry) -> Preset:
    """Read and check a preset against the registry; raises PresetError naming what is wrong."""
    path = find_preset(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PresetError(f"{path}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PresetError(f"{path}: cannot read: {error}") from None

    header = {}
    for key, (kind, described) in _HEADER.items():
        if key in data:
            value = data.pop(key)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise PresetError(f"{path}: key {key!r}: expected {described}, got {value!r}")
            header[key] = value
    glyphs = header.get("glyphs", [])
    if not all(isinstance(source, str) and source.strip() for source in glyphs):
        raise PresetError(f"{path}: key 'glyphs': expected a list of names, stories or .svg/.png files, got {glyphs!r}")

    values = {}
    for key, value in _flatten(data):
        if key not in registry:
            raise PresetError(f"{path}: key {key!r}: {registry.unknown(key)}")
        param = registry[key]
        try:
            checked, note = param.check(value)
        except ParamError as error:
            raise PresetError(f"{path}: key {key!r}: {error}") from None
        if note:
            raise PresetError(f"{path}: key {key!r}: {value!r} is outside {param.describe_range()}")
        values[key] = checked
    return Preset(
        path=path,
        title=header.get("title", path.stem),
        seed=header.get("seed", 0),
        values=values,
        description=header.get("description", ""),
        glyphs=tuple(glyphs),
    )


def _flatten(table: Mapping[str, Any], prefix: str = ""):
    """Nested TOML tables become dotted parameter paths: [post.bloom] intensity -> post.bloom.intensity."""
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, path + ".")
        else:
            yield path, value
