"""The frame graph: the stages that make a frame, in order, each with the products it reads.

This is the one place that says which stages make the piece. The parameter list,
resizing, releasing and the GPU time of each stage are all derived from it; adding a
stage is its module (neoterra_glow/gpu/stage.py says the shape) and one line here.
`neoterra-glow graph PRESET` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import moderngl

from neoterra_glow.audience.crowd import Crowd
from neoterra_glow.audio.levels import AudioLevels
from neoterra_glow.control.beat import BeatClock
from neoterra_glow.control.emotions import EmotionBus
from neoterra_glow.core.camera import Camera
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.governor import Governor
from neoterra_glow.core.params import Registry
from neoterra_glow.glitch.malfunction import Malfunction
from neoterra_glow.glitch.screen import ScreenFaults
from neoterra_glow.glyphs.glyph import Glyph
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build, Stage
from neoterra_glow.gpu.targets import Target
from neoterra_glow.gpu.timing import PassTimes
from neoterra_glow.mirror.levels import SmileLevels
from neoterra_glow.murals.layers import DEFAULT_LAYERS, LayerSpec, layer_specs
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.output.flash_guard import FlashGuard
from neoterra_glow.output.hud import Hud
from neoterra_glow.output.warp import Warp
from neoterra_glow.post.bloom import Bloom
from neoterra_glow.post.tonemap import Tonemap
from neoterra_glow.resources import data_dir
from neoterra_glow.swarm.light import LightOver, SwarmLight
from neoterra_glow.swarm.swarm import Swarm
from neoterra_glow.timecode.lock import TimecodeLock


@dataclass(frozen=True)
class Step:
    """A stage, the product it makes, and which product each of its inputs reads. `screen`:
    only where the frame goes to a projector (a show's window), not into a file."""

    stage: type[Stage]
    makes: str
    reads: Mapping[str, str]
    screen: bool = False


def step(stage: type[Stage], makes: str, *, screen: bool = False, **reads: str) -> Step:
    return Step(stage, makes, reads, screen)


# (the swarm's stages are let through the type checker until swarm/ declares its ClassVars as gpu/stage.py asks)
GRAPH = (
    step(Swarm, "bots"),  # type: ignore[arg-type]  # bots seek their glyph, ride currents, suffer faults
    step(SwarmLight, "light", bots="bots"),  # type: ignore[arg-type]  # every bot splats its light; trails decay
    step(MuralStack, "murals", light="light"),              # ISF layers, bottom first; glyph masks read the light
    step(LightOver, "scene", scene="murals", light="light"),  # type: ignore[arg-type]  # the swarm's light over the murals, in HDR
    step(ScreenFaults, "glitched", image="scene", light="light"),  # the frame's screen faults, near the faces
    step(Bloom, "glow", image="glitched"),
    step(Tonemap, "image", image="glitched", glow="glow"),  # to 8-bit sRGB
    step(FlashGuard, "output", image="image"),              # no more than 3 flashes a second
    step(Warp, "projected", image="output", screen=True),   # keystone, soft edges, test card, blackout
    step(Hud, "window", image="projected", screen=True),    # the operator's overlay
)
# whose parameters the frame boundary reads, before any stage
FRAME_BOUNDARY: tuple[Any, ...] = (AudioLevels, BeatClock, Camera, Crowd, EmotionBus, Governor, Malfunction, SmileLevels, TimecodeLock)


def check_graph(graph: tuple[Step, ...]) -> None:
    """Every input bound to a product made before it, every product and stage named once."""
    made: set[str] = set()
    names = [s.stage.name for s in graph]
    for entry in graph:
        stage = entry.stage
        if set(entry.reads) != set(stage.inputs):
            raise ValueError(f"{stage.name} reads {', '.join(stage.inputs) or 'nothing'}, but the graph binds "
                             f"{', '.join(entry.reads) or 'nothing'}")
        for product in entry.reads.values():
            if product not in made:
                raise ValueError(f"{stage.name} reads {product}, which no stage before it makes")
        if entry.makes in made or names.count(stage.name) > 1:
            raise ValueError(f"{stage.name}: {entry.makes if entry.makes in made else stage.name} is named twice in the graph")
        made.add(entry.makes)



def declare_params(layers: list[LayerSpec] | None = None) -> Registry:
    """A registry holding every parameter of the piece at its default: the frame boundary's,
    the stages', and the mural layers' (the default stack's, unless given)."""
    if layers is None:
        layers = layer_specs(DEFAULT_LAYERS, data_dir("shaders"))
    registry = Registry(param for kind in (*FRAME_BOUNDARY, *(s.stage for s in GRAPH)) for param in kind.params)
    for spec in layers:
        registry.declare(*spec.params())
    return registry


def describe(layers: list[LayerSpec] | None = None) -> list[str]:
    """The graph as text, a line a stage: what it makes, what it reads, its parameters (and
    the mural layers, when given a piece's)."""
    lines = ["frame boundary  clock, then " + ", ".join(f"{kind.__name__} ({len(kind.params)} parameters)" for kind in FRAME_BOUNDARY)]
    width = max(len(entry.stage.name) for entry in GRAPH)
    for number, entry in enumerate(GRAPH, 1):
        reads = ", ".join(product if name == product else f"{name}={product}" for name, product in entry.reads.items())
        stage = entry.stage
        line = f"{number:2d} {stage.name:<{width}}  {entry.makes:<9} <- {reads or '(its own state)':<24}"
        line += f" {stage.__module__.removeprefix('neoterra_glow.')}.{stage.__name__}"
        if stage.params:
            line += f", {len(stage.params)} parameters"
        if entry.screen:
            line += ", in a show's window only"
        lines.append(line)
        if stage is MuralStack and layers:
            lines += [f"{'':{width + 4}}layer {spec.name}: {spec.shader}, {len(spec.params())} parameters" for spec in layers]
    return lines


class Pipeline:
    """The graph's stages, built once; `render` runs them in order and returns the last product.

    `screen`: with the projector's stages (a show's window). `stages[name]` is a stage, for the
    live parts that change one (the desk adds mural layers, a scene hands the swarm new glyphs).
    `graph`: another graph than the piece's, for a test or a tool. `venue`: the wall's slices,
    for the projectors' stage. `live`: a show's, whose stages never wait for a source (a video).
    """

    def __init__(
        self,
        ctx: moderngl.Context,
        library: ShaderLibrary,
        size: tuple[int, int],
        glyphs: Sequence[Glyph] = (),
        layers: list[LayerSpec] | None = None,
        screen: bool = False,
        graph: tuple[Step, ...] = GRAPH,
        venue=None,
        live: bool = False,
    ) -> None:
        self.size = size
        if layers is None:
            layers = layer_specs(DEFAULT_LAYERS, data_dir("shaders"))
        build = Build(ctx, library, size, tuple(glyphs), tuple(layers), venue, live)
        check_graph(graph)
        self.steps = tuple(entry for entry in graph if screen or not entry.screen)
        self.stages: dict[str, Stage] = {}
        self.products: dict[str, Any] = {}  # a Target, or the swarm's bots
        self.times = PassTimes(ctx)
        try:
            for entry in self.steps:
                self.stages[entry.stage.name] = entry.stage(build)
        except BaseException:
            self.release()
            raise

    def __getitem__(self, name: str) -> Stage:
        return self.stages[name]

    @property
    def keeps(self) -> tuple[str, ...]:
        """The stages that carry state from frame to frame, for a checkpoint."""
        return tuple(name for name, stage in self.stages.items() if hasattr(stage, "keeps"))

    def __getattr__(self, name: str) -> Stage:  # a checkpoint reaches stages by name
        stages = self.__dict__.get("stages", {})
        if name in stages:
            return stages[name]
        raise AttributeError(name)

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.size:
            self.size = size
            for stage in self.stages.values():
                stage.resize(size)

    def render(self, frame: Frame) -> Target:
        """The frame's stages in order, each timed on the GPU (`times.ms`, in milliseconds)."""
        products = self.products
        for entry in self.steps:
            with self.times.measure(entry.stage.name):
                inputs = {name: products[product] for name, product in entry.reads.items()}
                products[entry.makes] = self.stages[entry.stage.name].run(frame, inputs)
        self.times.next_frame()
        return products[self.steps[-1].makes]

    def release(self) -> None:
        for stage in self.stages.values():
            stage.release()
        self.stages.clear()
        self.products.clear()
        self.times.release()
