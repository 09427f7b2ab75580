"""The mural stack: ISF layers drawn in order and laid onto each other, bottom first.

Layers are added, removed and reordered live; each declares and takes away its
own parameters in the registry as it comes and goes.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping
from typing import Any, ClassVar

import moderngl
import numpy as np
from PIL import Image

from neoterra_glow.audio.analysis import FFT_BINS, SILENCE, WINDOW, Hearing
from neoterra_glow.core.camera import view
from neoterra_glow.core.colour import LUMINANCE, srgb_to_linear
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.images import open_image
from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target, resized
from neoterra_glow.murals.layers import BLENDS, SOUND_TYPES, LayerError, LayerSpec, VideoSpec, check_loops
from neoterra_glow.murals.video import VideoLayer

MAX_LAYERS = 12  # each is a full-frame pass or more: past this a show cannot keep its frame rate
HUE_EASE = 1.0  # seconds over which the murals follow a new face's hue (murals/room_hue.frag)
GROUND_EASE = 1.5  # and over which the room's ground turns from one of its colours to the other: over 3 s, never a cut


class Layer:
    """One ISF shader on the GPU: a target per named pass (two, swapped each frame, so a pass
    can read what it wrote last frame), and its output."""

    keeps = ("_passes", "output")  # what each pass wrote last, and what a mask above reads

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary, spec: LayerSpec) -> None:
        self.ctx = ctx
        self.spec = spec
        self._draw = Fullscreen(ctx, library.program(spec.vertex, spec.shader))
        try:
            check_loops(ctx, self._draw, spec)  # a loop that never ends is refused before it is shown
        except LayerError:
            self._draw.release()
            raise
        self._passes: dict[int, list[Target]] = {}  # pass index -> [read, write]
        self._imported = {name: _load_image(ctx, path) for name, path in spec.header.imported.items()}
        self.output: Target | None = None

    def render(self, frame: Frame, size: tuple[int, int], sources: dict[str, moderngl.Texture],
               camera: tuple[float, float, float] = (0.0, 0.0, 1.0)) -> moderngl.Texture:
        """This frame's picture, drawn at `size`; or, on a frame its `every` passes over, the last one drawn at that size."""
        spec, p = self.spec, frame.params
        uniforms = spec.uniforms(p)
        floats = {name: value for name, value in uniforms.items() if isinstance(value, float)}
        sizes = spec.header.sizes(size, floats)
        kept = self._last_picture()
        if kept is not None and kept.size == sizes[-1] and frame.index % p[f"{spec.prefix}.every"]:
            return kept.texture
        now = frame.date
        textures = dict(self._imported)
        for i in spec.header.inputs:
            if i.type == "image":
                textures[i.name] = sources[p[spec.input_path(i.name)]]
            elif i.type in SOUND_TYPES:
                textures[i.name] = sources[i.type]
        result = None
        for index, (isf_pass, pass_size) in enumerate(zip(spec.header.passes, sizes, strict=True)):
            last = index == len(spec.header.passes) - 1
            if isf_pass.target or not last:
                pair = self._pair(index, pass_size, isf_pass.float, isf_pass.persistent)
                target = pair[1]
            else:
                target = self.output = resized(self.ctx, self.output, pass_size)
            for other_index, other in self._passes.items():  # named targets, as last written
                name = spec.header.passes[other_index].target
                if name:
                    textures[name] = other[0].texture if other_index >= index else other[1].texture
            self._draw.draw(
                target,
                dict(uniforms, TIME=frame.time, TIMEDELTA=frame.dt, FRAMEINDEX=frame.index, PASSINDEX=index, NEOTERRA_SEED=frame.seed,
                     NEOTERRA_CAMERA=camera,
                     RENDERSIZE=pass_size, DATE=(now.year, now.month, now.day, now.hour * 3600 + now.minute * 60 + now.second)),
                textures,
            )
            result = target
        for pair in self._passes.values():
            pair.reverse()  # what was written becomes what is read
        assert result is not None  # an ISF shader has a pass at least
        return result.texture

    def _last_picture(self) -> Target | None:
        """What the last pass wrote when last drawn: kept in a checkpoint, so a restored run skips the same frames."""
        last = len(self.spec.header.passes) - 1
        return self._passes[last][0] if last in self._passes else self.output  # a pair is reversed once written

    def _pair(self, index: int, size: tuple[int, int], wide: bool, persistent: bool) -> list[Target]:
        pair = self._passes.get(index)
        if pair is None or pair[0].size != size:
            for target in pair or []:
                target.release()
            pair = [Target(self.ctx, size, "f4" if wide else "f1") for _ in range(2)]
            for target in pair:
                target.fbo.clear(0.0, 0.0, 0.0, 0.0)
            self._passes[index] = pair
        elif not persistent:
            pair[1].fbo.clear(0.0, 0.0, 0.0, 0.0)
        return pair

    def _release_output(self) -> None:
        if self.output is not None:
            self.output.release()
            self.output = None

    def release(self) -> None:
        self._draw.release()
        for pair in self._passes.values():
            for target in pair:
                target.release()
        for texture in self._imported.values():
            texture.release()
        self._release_output()


def make_layer(ctx: moderngl.Context, library: ShaderLibrary, spec: LayerSpec, live: bool = False) -> Layer | VideoLayer:
    """A layer on the GPU from its spec: an ISF shader's passes, or a video's picture."""
    return VideoLayer(ctx, spec, live) if isinstance(spec, VideoSpec) else Layer(ctx, library, spec)


def _load_image(ctx: moderngl.Context, path) -> moderngl.Texture:
    """An ISF IMPORTED image as a texture; one larger than the GPU takes (or 8192) is refused."""
    largest = min(8192, ctx.info["GL_MAX_TEXTURE_SIZE"])
    image = open_image(path, largest).convert("RGBA").transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    texture = ctx.texture(image.size, 4, np.asarray(image).tobytes())
    texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
    return texture


class MuralStack:
    """The murals stage: the layers in order, bottom first, laid into an HDR image. Layers
    masked by the glyphs read the swarm's light. The whole stack hushes where the swarm's light
    is and never burns as bright as a face, so the faces have room; it sits behind the swarm in
    the virtual camera's view."""

    name: ClassVar[str] = "murals"
    inputs: ClassVar[tuple[str, ...]] = ("light",)
    params: ClassVar[tuple[Param, ...]] = (  # each layer's own are declared as it joins the stack
        Param("murals.hush", Kind.FLOAT, 0.92, "how much of the murals' light gives way around the faces", (0.0, 1.0),
              smoothing=0.5),
        Param("murals.room", Kind.FLOAT, 0.7, "how much of the murals' light gives way in a soft vignette over each face and "
              "out to about two face-widths round it", (0.0, 1.0), smoothing=0.5),
        Param("murals.ground", Kind.FLOAT, 0.0, "the room's ground in linear light: a dim, coloured, slowly living light over the "
              "whole frame, far from the faces' hue, giving way round them as the murals do (a face's stroke is about 1)", (0.0, 0.2),
              smoothing=0.5),
        Param("murals.ground_one", Kind.COLOUR, "#38aa87", "one of the ground's two colours: the one farther from the faces' hue "
              "lights the room (keep them 120 degrees of hue apart, clear of gold)"),
        Param("murals.ground_two", Kind.COLOUR, "#b361da", "the ground's other colour, and its colour before any face forms"),
        Param("murals.colour", Kind.FLOAT, 1.0, "how much of their own colour the murals and the ground keep (0: grey, same light): "
              "lower, the faces are the most colourful thing in the frame", (0.0, 1.0), smoothing=0.5),
        Param("murals.ceiling", Kind.FLOAT, 0.3, "the brightest the murals get, in linear light (a face's stroke is about 1)",
              (0.02, 4.0), smoothing=0.5),
        Param("murals.exposure", Kind.FLOAT, 1.6, "the whole room's light (its murals and ground) in stops over the levels a preset "
              "sets, for the venue: a lit one wants the room seen (at 0 it read at 5-10% of white), a dark club less; the "
              "ceiling still holds", (-4.0, 4.0), smoothing=0.5),
        Param("murals.depth", Kind.FLOAT, 0.45, "how far behind the swarm the murals sit, for the camera's parallax (swarm 1)",
              (0.0, 1.0)),
        Param("murals.governed", Kind.FLOAT, 1.0, "the share of each layer's resolution a live show's frame-time governor leaves it "
              "to hold the frame rate (1: nothing given up; always 1 in a render)", (0.25, 1.0), measured=True),
    )

    def __init__(self, build: Build) -> None:
        self.ctx = ctx = build.ctx
        self.library = library = build.library
        self.live = build.live
        self.layers = [make_layer(ctx, library, spec, self.live) for spec in build.layers]
        self.output = Target(ctx, build.size)
        self._compose = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/compose.frag"))
        self._to_display = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/to_display.frag"))
        self._display: list[Target] = []  # sRGB-encoded copies of the light, for plain ISF layers
        self._accumulate: list[Target] = []
        self._black = ctx.texture((1, 1), 4, bytes(4))
        self._presence_pass = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/presence.frag"))
        self._presence: Target | None = None
        self._giving_way_pass = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/giving_way.frag"))
        self._giving_way: Target | None = None
        self._tint_pass = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/tint.frag"))
        self._tint: Target | None = None
        self._room_pass = Fullscreen(ctx, library.program("common/fullscreen.vert", "murals/room_hue.frag"))
        self._room: list[Target] = []  # the faces' hue as the murals follow it: last frame's, this frame's
        self._sound = {"audio": ctx.texture((WINDOW, 1), 1, dtype="f4"), "audioFFT": ctx.texture((FFT_BINS, 1), 1, dtype="f4")}
        self.failures = Rejections("mural ")  # counted by layer, logged every few seconds

    keeps = ("layout", "layers", "_room")

    def names(self) -> list[str]:
        return [layer.spec.name for layer in self.layers]

    @property
    def layout(self) -> list[str]:
        return self.names()

    @layout.setter
    def layout(self, names: list[str]) -> None:  # from a checkpoint, whose scene has built the same stack
        if names != self.names():
            raise ValueError(f"the checkpoint's mural layers are {', '.join(names)}, this piece's {', '.join(self.names())}")

    def add(self, spec: LayerSpec, registry: Registry, index: int | None = None) -> None:
        """Put a new layer in the stack (on top unless `index`), declaring its parameters."""
        if spec.name in self.names():
            raise ValueError(f"there is already a layer named {spec.name}")
        if len(self.layers) >= MAX_LAYERS:
            raise ValueError(f"the stack holds {MAX_LAYERS} layers at most; remove one first")
        layer = make_layer(self.ctx, self.library, spec, self.live)  # compiles first: a broken shader changes nothing
        registry.declare(*spec.params())
        self.layers.insert(len(self.layers) if index is None else max(0, min(index, len(self.layers))), layer)

    def remove(self, name: str, registry: Registry) -> None:
        layer = self._find(name)
        self.layers.remove(layer)
        registry.remove(layer.spec.prefix)
        layer.release()

    def move(self, name: str, index: int) -> None:
        layer = self._find(name)
        self.layers.remove(layer)
        self.layers.insert(max(0, min(index, len(self.layers))), layer)

    def _find(self, name: str) -> Layer | VideoLayer:
        layer = self._layer(name)
        if layer is None:
            raise ValueError(f"no layer named {name}; the layers are {', '.join(self.names()) or 'none'}")
        return layer

    def resize(self, size: tuple[int, int]) -> None:
        self.output = resized(self.ctx, self.output, size)

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        if frame.params["output.transparent"]:
            self.output.fbo.clear(0.0, 0.0, 0.0, 0.0)  # an empty background, for the alpha
        else:
            self.compose(frame, self.output, inputs["light"].texture)
        return self.output

    def compose(self, frame: Frame, target: Target, glyphs: moderngl.Texture) -> None:
        """Draw every layer and lay each onto the ones below; the result fills `target`."""
        if not self.layers:
            target.fbo.clear(0.0, 0.0, 0.0, 1.0)
            return
        self._size_accumulators(target.size)
        presence = self._find_presence(glyphs)
        ground = _ground(frame.params)
        room = self._follow_hue(frame, glyphs, ground.pop("u_ground_hues"))
        camera = view(frame.time, frame.params, frame.params["murals.depth"])
        if any(i.type in SOUND_TYPES for layer in self.layers for i in layer.spec.header.inputs):
            self._hear(frame.audio or SILENCE)
        outputs: dict[str, moderngl.Texture] = {}
        below, bottom = self._black, None
        p = frame.params
        for number, layer in enumerate(self.layers):
            prefix = layer.spec.prefix
            try:
                texture = layer.render(frame, self._drawn_size(layer, p, target.size),
                                       self._sources(layer, p, below, glyphs, presence, outputs), camera)
            except Exception as error:  # one failing layer leaves a gap, not a dark wall
                texture = self._black
                self.failures.count(layer.spec.name, f"layer {layer.spec.name} failed and is left out: {error}")
            shown = texture is not None  # a video layer with no picture yet, or none at all, is left out
            texture = texture if texture is not None else self._black  # as `shown` says
            outputs[layer.spec.name] = texture
            mask = p[f"{prefix}.mask"]
            mask_layer = self._layer(mask)
            mask_texture = glyphs if mask == "glyphs" else outputs.get(mask) or self._last_output(mask_layer)
            top = number == len(self.layers) - 1
            laid = dict(u_blend=BLENDS.index(p[f"{prefix}.blend"]), u_opacity=p[f"{prefix}.opacity"] if shown else 0.0,
                        u_masked=mask != "none", u_srgb=not layer.spec.header.linear_light,
                        u_mask_srgb=mask_layer is not None and not mask_layer.spec.header.linear_light)
            textures = {"u_layer": texture, "u_mask": mask_texture or self._black}
            if number == 0 and not top and not self._reads_below(self.layers[1], p):
                bottom = (laid, textures)  # laid onto black by the next layer's pass, not a pass of its own
                below = texture
                continue
            out = target if top else self._accumulate[number % 2]
            self._compose.draw(
                out,
                dict(laid, u_top=top, u_ceiling=p["murals.ceiling"], u_exposure=p["murals.exposure"], u_colour=p["murals.colour"],
                     u_time=frame.time, **ground,
                     **self._bottom_uniforms(bottom)),
                {"u_below": below, **textures, "u_bottom_mask": bottom[1]["u_mask"] if bottom else self._black,
                 "u_giving_way": self._give_way(p, presence) if top else self._black, "u_room": room},
            )
            below, bottom = out.texture, None

    @staticmethod
    def _drawn_size(layer: Layer | VideoLayer, p, size: tuple[int, int]) -> tuple[int, int]:
        """The size a layer is drawn at: its own resolution, less what the frame-time governor took."""
        if not layer.spec.drawn:
            return size
        share = p[f"{layer.spec.prefix}.resolution"] * p["murals.governed"]
        return max(round(size[0] * share), 1), max(round(size[1] * share), 1)

    @staticmethod
    def _bottom_uniforms(bottom) -> dict[str, Any]:
        """How the bottom layer, read as `u_below`, is laid onto black in the pass that lays the next layer onto it."""
        if bottom is None:
            return {"u_bottom": False}
        laid = bottom[0]
        onto_black = BLENDS[laid["u_blend"]] not in ("multiply", "overlay", "darken")  # these leave black black
        return dict(u_bottom=True, u_bottom_opacity=laid["u_opacity"] if onto_black else 0.0, u_bottom_masked=laid["u_masked"],
                    u_bottom_srgb=laid["u_srgb"], u_bottom_mask_srgb=laid["u_mask_srgb"])

    def _reads_below(self, layer: Layer | VideoLayer, p) -> bool:
        """Whether a layer's image inputs show the stack under it (a filter), which must then be laid first."""
        return any(i.type == "image" and p[layer.spec.input_path(i.name)] == "below" for i in layer.spec.header.inputs)

    def _find_presence(self, glyphs: moderngl.Texture) -> moderngl.Texture:
        """Where the swarm's light is, at a quarter of its size, with a mip pyramid to blur it by."""
        size = (max(glyphs.width // 4, 16), max(glyphs.height // 4, 16))
        self._presence = resized(self.ctx, self._presence, size)
        self._presence_pass.draw(self._presence, {"u_texel": (1.0 / glyphs.width, 1.0 / glyphs.height)}, {"u_light": glyphs})
        self._presence.texture.build_mipmaps()
        self._presence.texture.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
        return self._presence.texture

    def _follow_hue(self, frame: Frame, glyphs: moderngl.Texture, ground_hues: tuple[float, float]) -> moderngl.Texture:
        """The faces' hue round each part of the frame, eased toward this frame's: the murals turn away from it;
        and (alpha) which of the ground's two colours, at `ground_hues`, is the farther from it, eased slower."""
        size = (max(glyphs.width // 4, 16), max(glyphs.height // 4, 16))
        self._tint = resized(self.ctx, self._tint, size)
        self._tint_pass.draw(self._tint, {"u_texel": (1.0 / glyphs.width, 1.0 / glyphs.height)}, {"u_light": glyphs})
        self._tint.texture.build_mipmaps()
        self._tint.texture.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
        small = (max(size[0] // 4, 4), max(size[1] // 4, 4))
        if not self._room or self._room[0].size != small:
            for target in self._room:
                target.release()
            self._room = [Target(self.ctx, small) for _ in range(2)]
            for target in self._room:
                target.fbo.clear(0.0, 0.0, 0.0, 0.0)
        last, now = self._room
        self._room_pass.draw(now, {"u_keep": float(np.exp(-frame.dt / HUE_EASE)), "u_settle": float(np.exp(-frame.dt / GROUND_EASE)),
                                   "u_ground_hues": ground_hues}, {"u_tint": self._tint.texture, "u_last": last.texture})
        self._room.reverse()
        return now.texture

    def _give_way(self, p, presence: moderngl.Texture) -> moderngl.Texture:
        """How much of the murals gives way round the faces, at the presence's size: smooth, so read with one tap."""
        self._giving_way = resized(self.ctx, self._giving_way, presence.size)
        self._giving_way_pass.draw(self._giving_way, {"u_hush": p["murals.hush"], "u_room": p["murals.room"]}, {"u_presence": presence})
        return self._giving_way.texture

    def _hear(self, hearing: Hearing) -> None:
        """The sound for ISF audio inputs: the waveform about 0.5 (silence), the spectrum 0..1."""
        self._sound["audio"].write((0.5 + 0.5 * hearing.waveform).astype(np.float32).tobytes())
        self._sound["audioFFT"].write(hearing.spectrum.astype(np.float32).tobytes())

    def _sources(self, layer: Layer | VideoLayer, p, below: moderngl.Texture, glyphs: moderngl.Texture,
                 presence: moderngl.Texture, outputs: Mapping[str, moderngl.Texture]) -> dict[str, moderngl.Texture]:
        """The images a layer's image inputs may name. A plain ISF layer expects sRGB images, as
        it writes sRGB colour: the engine's linear light is encoded for it, so a filter that passes
        its input through gives back the same picture. Another layer (a video, say) is given as it
        drew itself: this frame's when it is below, the last frame's when above."""
        sources = {"below": below, "glyphs": glyphs, "presence": presence, "none": self._black, **self._sound}
        wanted = {p[layer.spec.input_path(i.name)] for i in layer.spec.header.inputs if i.type == "image"}
        for name in wanted - set(sources):
            sources[name] = outputs.get(name) or self._last_output(self._layer(name)) or self._black
        if layer.spec.header.linear_light:
            return sources
        for slot, name in enumerate(n for n in ("below", "glyphs") if n in wanted):
            texture = sources[name]
            if len(self._display) <= slot or self._display[slot].size != texture.size:
                if len(self._display) > slot:
                    self._display.pop(slot).release()
                self._display.insert(slot, Target(self.ctx, texture.size))
            self._to_display.draw(self._display[slot], {}, {"u_image": texture})
            sources[name] = self._display[slot].texture
        return sources

    def _layer(self, name: str) -> Layer | VideoLayer | None:
        return next((layer for layer in self.layers if layer.spec.name == name), None)

    @staticmethod
    def _last_output(layer: Layer | VideoLayer | None) -> moderngl.Texture | None:
        """A layer above this one masks with what it drew last frame."""
        return layer.output.texture if layer is not None and layer.output is not None else None

    def _size_accumulators(self, size: tuple[int, int]) -> None:
        if not self._accumulate or self._accumulate[0].size != size:
            for target in self._accumulate:
                target.release()
            self._accumulate = [Target(self.ctx, size) for _ in range(2)]

    def release(self) -> None:
        for layer in self.layers:
            layer.release()
        for target in (*self._accumulate, *self._display, *self._room, self.output,
                       *(t for t in (self._presence, self._giving_way, self._tint) if t)):
            target.release()
        self._compose.release()
        self._presence_pass.release()
        self._giving_way_pass.release()
        self._tint_pass.release()
        self._room_pass.release()
        self._to_display.release()
        self._black.release()
        for texture in self._sound.values():
            texture.release()


def _ground(p) -> dict:
    """The room's ground as uniforms, made once a frame: its light, its two colours in linear light at a
    luminance of 1, and their hues in degrees (for room_hue.frag, which chooses between them)."""
    colours = [srgb_to_linear(p[f"murals.ground_{which}"]) for which in ("one", "two")]
    one, two = (tuple(float(v) for v in c / max(float(c @ LUMINANCE), 1e-6)) for c in colours)
    return {"u_ground": p["murals.ground"], "u_ground_one": one, "u_ground_two": two,
            "u_ground_hues": tuple(float(colorsys.rgb_to_hsv(*c)[0]) * 360.0 for c in colours)}
