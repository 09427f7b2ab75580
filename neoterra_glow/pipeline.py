"""The piece, frame by frame: the swarm moves, the mural layers are laid down, the swarm
adds its light into the HDR target, then bloom and tonemap.

This is the one place that says which passes make the piece and in what order;
the parameter registry is gathered from the same list, plus each mural layer's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import moderngl

from neoterra_glow.control.emotions import DriveError, EmotionBus, parse_drive
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Registry
from neoterra_glow.core.presets import Draft, Preset, PresetError, read_preset
from neoterra_glow.glitch.malfunction import Malfunction, parse_timeline
from neoterra_glow.glitch.screen import ScreenFaults
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.glyphs.sources import load_glyphs
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.gpu.timing import PassTimes
from neoterra_glow.murals.layers import LayerError, LayerSpec, layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.output.flash_guard import FlashGuard
from neoterra_glow.output.warp import Warp
from neoterra_glow.post.bloom import Bloom
from neoterra_glow.post.tonemap import Tonemap
from neoterra_glow.resources import data_dir
from neoterra_glow.swarm.swarm import Swarm

PASSES = (Swarm, EmotionBus, Malfunction, ScreenFaults, Bloom, Tonemap, FlashGuard, Warp)  # whose parameters every show has
DEFAULT_LAYERS = ({"shader": "field"},)  # the mural stack of a preset that names none


def layer_specs(tables, base: Path) -> list[LayerSpec]:
    """The mural stack a preset's [[layers]] describe; each may be masked by the others."""
    names = tuple(table.get("name") or Path(str(table.get("shader", ""))).stem for table in tables)
    specs = [layer_spec(table, base, names) for table in tables]
    seen = [spec.name for spec in specs]
    twice = {name for name in seen if seen.count(name) > 1}
    if twice:
        raise LayerError(f"two layers are named {sorted(twice)[0]}; give one a name = \"...\"")
    return specs


def declare_params(layers: list[LayerSpec] | None = None) -> Registry:
    """A registry holding every parameter of the piece at its default: the passes', and the
    mural layers' (the default stack's, unless given)."""
    if layers is None:
        layers = layer_specs(DEFAULT_LAYERS, data_dir("shaders"))
    registry = Registry(param for kind in PASSES for param in kind.params)
    for spec in layers:
        registry.declare(*spec.params())
    return registry


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

    def frame(self, clock, size: tuple[int, int], seed: int) -> Frame:
        """The frame boundary: the clock ticks, the values set are felt (emotions and their
        drives), and the frame's faults are scheduled."""
        index, time, dt = clock.tick()
        params = self.emotions.feel(self.registry.snapshot(dt), dt)
        faults, tempo = self.malfunction.step(time, dt, params)
        if tempo:
            self.registry.set("glitch.bpm", tempo)
        return Frame(index, time, dt, params, seed, size, faults, clock.epoch)


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


class Pipeline:
    """Owns the HDR target and the passes; `render` returns the finished 8-bit frame."""

    def __init__(
        self,
        ctx: moderngl.Context,
        library: ShaderLibrary,
        size: tuple[int, int],
        glyphs: list[Glyph] = (),
        layers: list[LayerSpec] | None = None,
    ) -> None:
        self.ctx = ctx
        self.size = size
        self.hdr = Target(ctx, size)
        self.swarm = Swarm(ctx, library, size, glyphs)
        if layers is None:
            layers = layer_specs(DEFAULT_LAYERS, data_dir("shaders"))
        self.murals = MuralStack(ctx, library, layers)
        self.glitch = ScreenFaults(ctx, library, size)
        self.bloom = Bloom(ctx, library, size)
        self.tonemap = Tonemap(ctx, library, size)
        self.guard = FlashGuard(ctx, library, size)
        self.times = PassTimes(ctx)

    def resize(self, size: tuple[int, int]) -> None:
        if size == self.size:
            return
        self.size = size
        self.hdr.release()
        self.hdr = Target(self.ctx, size)
        self.glitch.resize(size)
        self.bloom.resize(size)
        self.tonemap.resize(size)
        self.guard.resize(size)

    def render(self, frame: Frame) -> Target:
        """The frame's passes in order, each timed on the GPU (`times.ms`, in milliseconds)."""
        timed = self.times.measure
        with timed("step"):
            self.swarm.simulate(frame)
        with timed("murals"):
            if frame.params["output.transparent"]:
                self.hdr.fbo.clear(0.0, 0.0, 0.0, 0.0)  # an empty background, for the alpha
            else:  # murals masked by the glyphs see the swarm's light as the last frame left it
                self.murals.compose(frame, self.hdr, glyphs=self.swarm.light.texture)
        with timed("light"):
            self.swarm.draw(frame, self.hdr)
        with timed("glitch"):
            light = self.glitch.run(frame, self.hdr)
        with timed("bloom"):
            glow = self.bloom.run(frame, light)
        with timed("tonemap"):
            output = self.tonemap.run(frame, light, glow)
        with timed("guard"):
            output = self.guard.run(frame, output)
        self.times.next_frame()
        return output

    def release(self) -> None:
        self.murals.release()
        self.swarm.release()
        self.glitch.release()
        self.bloom.release()
        self.tonemap.release()
        self.guard.release()
        self.times.release()
        self.hdr.release()
