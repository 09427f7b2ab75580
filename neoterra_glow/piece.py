"""A piece: a preset read, checked whole and made ready to run: its registry, glyphs, mural
layers, emotion drives and malfunctions; and its frame boundary, where the clock ticks and
the values set are felt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neoterra_glow.control.emotions import DriveError, EmotionBus, parse_drive
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Registry
from neoterra_glow.core.presets import Draft, Preset, PresetError, read_preset
from neoterra_glow.glitch.malfunction import Malfunction, parse_timeline
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.sources import load_glyphs
from neoterra_glow.murals.layers import DEFAULT_LAYERS, LayerError, LayerSpec, layer_specs
from neoterra_glow.pipeline import declare_params


@dataclass
class Piece:
    """Everything a show needs from its preset: the registry set to it, the glyphs,
    the mural layers, the emotion bus with the preset's drives and the malfunctions."""

    preset: Preset
    registry: Registry
    glyphs: list[Glyph]
    layers: list[LayerSpec]
    emotions: EmotionBus
    malfunction: Malfunction

    keeps = ("scene", "registry", "emotions", "malfunction")  # the scene first: the values that follow are its

    @property
    def scene(self) -> str:
        return str(self.preset.path.resolve())

    @scene.setter
    def scene(self, path: str) -> None:  # from a checkpoint taken after a scene change
        if path != self.scene:
            self.become(load_piece(Path(path)))

    def become(self, incoming: Piece) -> None:
        """Take on another preset's glyphs, layers and drives as a scene changes (its values
        arrive through the crossfade; its faults join the malfunction at the fade's start)."""
        self.preset, self.glyphs, self.layers = incoming.preset, incoming.glyphs, list(incoming.layers)
        self.emotions.drives = incoming.emotions.drives

    def frame(self, clock, size: tuple[int, int], seed: int, hearing=None, beat=None) -> Frame:
        """The frame boundary: the clock ticks, the values set are felt (emotions and their
        drives), and the frame's faults are scheduled. It reads the registry, never writes it.
        `hearing`: what the sound is doing, for ISF audio inputs (its values are already in the
        registry, as audio.*). `beat`: the beat clock, read at the frame's own time."""
        index, time, dt = clock.tick()
        params = self.registry.snapshot(dt)
        if beat is not None:
            params = {**params, **beat.values(time, params["glitch.bpm"])}
        params = self.emotions.feel(params, dt)
        faults = self.malfunction.step(time, dt, params)
        return Frame(index, time, dt, params, seed, size, faults, clock.epoch, hearing)


def load_piece(preset_name: str | Path) -> Piece:
    """Read a preset, build what it describes and check it whole; a PresetError names the
    file and the key (or the layer or drive) that is wrong."""
    draft: Draft = read_preset(preset_name)
    try:
        layers = layer_specs(draft.layers or DEFAULT_LAYERS, draft.path.parent)
    except LayerError as error:
        raise PresetError(f"{draft.path}: layers: {error}") from None
    registry = declare_params(layers)
    preset = draft.check(registry)
    preset.apply(registry)
    drives = []
    for number, table in enumerate(preset.drives):
        try:
            drives.append(parse_drive(table, registry))
        except DriveError as error:
            raise PresetError(f"{draft.path}: drive[{number}]: {error}") from None
    try:
        timeline = parse_timeline(preset.faults)
    except ValueError as error:
        raise PresetError(f"{draft.path}: {error}") from None
    glyphs = load_glyphs(preset.glyphs, preset.path.parent)
    return Piece(preset, registry, glyphs, layers, EmotionBus(tuple(drives)), Malfunction(timeline, preset.seed))
