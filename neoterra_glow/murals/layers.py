"""Mural layers described as plain data: which ISF shader (or video file, camera or NDI source), how it blends,
and its parameters.

A layer's parameters live under murals.<layer name>: its own opacity, blend and
mask, and one parameter per ISF input (`colorA` becomes murals.<layer>.color_a).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import moderngl
import numpy as np

from neoterra_glow.core.params import Kind, Param
from neoterra_glow.core.tables import check_keys, read_table
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.isf import LOOP_CAP, LOOP_MARK, TEXTURE_TYPES, IsfError, IsfHeader, IsfInput, IsfPass, read_header
from neoterra_glow.gpu.targets import Fullscreen, Target
from neoterra_glow.resources import data_dir

BLENDS = ("normal", "add", "screen", "multiply", "overlay", "difference", "lighten", "darken")
SOUND_TYPES = ("audio", "audioFFT")  # ISF inputs fed the sound: its waveform and its spectrum
IMAGE_SOURCES = ("below", "glyphs", "presence", "none")  # what an ISF image input shows: the stack under it, the swarm's
# light, or where that light is (its coverage at a quarter size, mipmapped: textureLod blurs it)
OWN = ("opacity", "blend", "mask", "resolution", "every")
DEFAULT_LAYERS = ({"shader": "field"},)  # the mural stack of a preset that names none
LONGEST = 86_400.0  # seconds a video layer's in or out point may be: a day
SLOWEST = 8  # frames a layer's picture may be kept for (`every`): past this it stutters visibly
PROBE_SIZE = (8, 8)  # pixels a new layer is first drawn at, with its defaults, to find a loop that never ends


class LayerError(UserError):
    """A layer that cannot be made; the message says which and why."""


def snake(name: str) -> str:
    """An ISF input name as a parameter word: colorA -> color_a, Speed2 -> speed2."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class LayerSpec:
    name: str
    shader: str  # for the shader library: "murals/aurora.fs", or an absolute path
    header: IsfHeader = field(metadata={"key": None})  # the keys of a [[layers]] table are the rest
    vertex: str = field(default="common/fullscreen.vert", metadata={"key": None})  # or the ISF file's own .vs beside it
    blend: str = "normal"
    opacity: float = 1.0
    mask: str = "none"
    masks: tuple[str, ...] = field(default=("none", "glyphs"), metadata={"key": None})  # nothing, the glyphs, or another layer
    resolution: float = 1.0  # the share of the frame's width and height it is drawn at, sampled up when laid on the stack
    every: int = 1  # it is drawn every this many frames, its last picture kept between
    drawn = True  # a shader drawn by the engine, at the resolution asked; a video's picture has its own (VideoSpec)

    @property
    def prefix(self) -> str:
        return f"murals.{self.name}"

    def table(self) -> dict[str, Any]:
        """The [[layers]] table that builds this layer again: what a checkpoint keeps of it."""
        return {"name": self.name, "shader": str(find_shader(self.shader, data_dir("shaders"))), "blend": self.blend,
                "opacity": self.opacity, "mask": self.mask, "resolution": self.resolution, "every": self.every}

    def params(self) -> tuple[Param, ...]:
        own = (
            Param(f"{self.prefix}.opacity", Kind.FLOAT, self.opacity, f"how much of the {self.name} layer shows", (0.0, 1.0),
                  smoothing=0.3),
            Param(f"{self.prefix}.blend", Kind.ENUM, self.blend, f"how the {self.name} layer blends onto those below", choices=BLENDS),
            Param(f"{self.prefix}.mask", Kind.ENUM, self.mask,
                  f"where the {self.name} layer shows: everywhere, on the glyphs, or through a layer", choices=self.masks),
        )
        drawn = (
            Param(f"{self.prefix}.resolution", Kind.FLOAT, self.resolution, f"the share of the frame's width and height the {self.name} "
                  "layer is drawn at, sampled up onto the stack: a smooth layer looks the same at half for a quarter of the cost",
                  (0.25, 1.0)),
            Param(f"{self.prefix}.every", Kind.INT, self.every, f"the {self.name} layer is drawn every this many frames, its last "
                  "picture kept between: for a slow layer", (1, SLOWEST)),
        ) if self.drawn else ()
        return own + drawn + tuple(self.input_param(i) for i in self.header.inputs if i.type not in SOUND_TYPES)

    def input_path(self, name: str) -> str:
        """The parameter of an ISF input; one named like the layer's own (blend, say) gets input_ before it."""
        word = snake(name)
        return f"{self.prefix}.{'input_' + word if word in OWN else word}"

    def input_param(self, spec: IsfInput) -> Param:
        path = self.input_path(spec.name)
        doc = spec.label or spec.name
        if spec.type == "float":
            default: Any = float(spec.default if spec.default is not None else spec.min if spec.min is not None else 0.0)
            low = float(spec.min) if spec.min is not None else min(0.0, default)
            high = float(spec.max) if spec.max is not None else max(1.0, default)
            return Param(path, Kind.FLOAT, min(max(default, low), high), doc, (low, high), smoothing=0.3)
        if spec.type == "bool":
            return Param(path, Kind.BOOL, bool(spec.default), doc)
        if spec.type == "event":
            return Param(path, Kind.TRIGGER, False, doc)
        if spec.type == "long" and spec.values:
            default = spec.default if spec.default in spec.values else spec.values[0]
            return Param(path, Kind.ENUM, spec.labels[spec.values.index(default)], doc, choices=spec.labels)
        if spec.type == "long":
            low, high = int(spec.min or 0), int(spec.max if spec.max is not None else 10)
            return Param(path, Kind.INT, min(max(int(spec.default or low), low), high), doc, (low, high))
        if spec.type == "color":
            rgba = list(spec.default or (1.0, 1.0, 1.0, 1.0))
            return Param(path, Kind.COLOUR, [min(max(float(c), 0.0), 1.0) for c in rgba[:3]], doc, smoothing=0.5)
        if spec.type == "point2D":
            low = min(spec.min) if spec.min else -4096.0
            high = max(spec.max) if spec.max else 4096.0
            default = [min(max(float(v), low), high) for v in (spec.default or (0.0, 0.0))]
            return Param(path, Kind.VEC2, default, doc, (float(low), float(high)), smoothing=0.3)
        layers = tuple(other for other in self.masks[2:] if other not in IMAGE_SOURCES)
        return Param(path, Kind.ENUM, "below", f"{doc}: the layers below, the glyphs' light, where that light is (blurred by mip level), "
                     "nothing, or another layer (a video layer, say)", choices=IMAGE_SOURCES + layers)

    def uniforms(self, snapshot: Mapping[str, Any]) -> dict[str, Any]:
        """ISF input uniforms from this frame's parameter values."""
        out = {}
        for spec in self.header.inputs:
            if spec.type in TEXTURE_TYPES:
                continue
            value = snapshot[self.input_path(spec.name)]
            if spec.type == "long" and spec.values:
                value = spec.values[spec.labels.index(value)]
            elif spec.type == "color":
                value = (*value, 1.0)
            out[spec.name] = value
        return out


def find_shader(shader: str, base: Path) -> Path:
    """A mural shader by name ('aurora' is shaders/murals/aurora.fs) or an ISF file relative to `base`."""
    shipped = data_dir("shaders") / "murals" / f"{shader}.fs"
    if "/" not in shader and not shader.endswith(".fs") and shipped.is_file():
        return shipped
    path = Path(shader).expanduser()
    path = path if path.is_absolute() else base / path
    if path.is_file():
        return path.resolve()
    names = ", ".join(sorted(p.stem for p in (data_dir("shaders") / "murals").glob("*.fs")))
    raise LayerError(f"no mural shader {shader!r}: give an ISF file (.fs) or one of: {names}")


def layer_name(stem: str) -> str:
    """A layer's name from its file's: 'Bad TV' is bad_tv."""
    word = re.sub(r"[^a-z0-9]+", "_", snake(stem).lower()).strip("_")
    return word if re.match(r"^[a-z]", word) else f"layer_{word}"


def layer_spec(table: Mapping[str, Any], base: Path, others: tuple[str, ...] = ()) -> LayerSpec:
    """A layer from a preset's [[layers]] table or a live command: shader, name, blend, opacity, mask.

    `others` are the names of the stack's other layers, which may mask this one.
    """
    try:
        check_keys(table, LayerSpec, "a layer")
    except ValueError as error:
        raise LayerError(str(error)) from None
    shader = table.get("shader")
    if not isinstance(shader, str) or not shader:
        raise LayerError("a layer needs a shader: a mural's name or an ISF file")
    path = find_shader(shader, base)
    name = table.get("name", layer_name(path.stem))
    if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise LayerError(f"layer name {name!r} must be a lower-case word (letters, digits, _)")
    try:
        header = read_header(path)
    except IsfError as error:
        raise LayerError(str(error)) from None
    shipped = data_dir("shaders")

    def for_library(file: Path) -> str:
        return str(file.relative_to(shipped)) if file.is_relative_to(shipped) else str(file)

    shader_name = for_library(path)
    companion = path.with_suffix(".vs")
    vertex = for_library(companion) if companion.is_file() else LayerSpec.vertex
    masks = ("none", "glyphs", *(other for other in others if other != name))
    spec = LayerSpec(name, shader_name, header, vertex, masks=masks)
    opacity, blend, mask, resolution, every = spec.params()[:5]
    try:
        return LayerSpec(
            name, shader_name, header, vertex,
            blend=blend.check(table.get("blend", "normal"))[0],
            opacity=_checked(opacity, table.get("opacity", 1.0)),
            mask=mask.check(table.get("mask", "none"))[0],
            masks=masks,
            resolution=_checked(resolution, table.get("resolution", 1.0)),
            every=_checked(every, table.get("every", 1)),
        )
    except ValueError as error:
        raise LayerError(str(error)) from None


def _checked(param: Param, value: Any) -> Any:
    checked, note = param.check(value)
    if note:
        raise LayerError(note.replace("; clamped", ""))
    return checked


def layer_specs(tables, base: Path) -> list[LayerSpec]:
    """The mural stack a preset's [[layers]] describe (ISF shaders, video files, cameras, NDI sources); each may be
    masked by the others, and an ISF layer's image inputs may show them."""
    names = tuple(table.get("name") or ("ndi" if "ndi" in table else Path(str(table.get("shader") or table.get("video") or "camera")).stem)
                  for table in tables)
    specs = [(video_spec if is_video(table) else layer_spec)(table, base, names) for table in tables]
    seen = [spec.name for spec in specs]
    twice = {name for name in seen if seen.count(name) > 1}
    if twice:
        raise LayerError(f"two layers are named {sorted(twice)[0]}; give one a name = \"...\"")
    return specs


@dataclass(frozen=True)
class VideoTable:
    """The keys of a video layer's [[layers]] table: `video` (a file, relative to the preset), `camera` or `ndi`."""

    video: str = ""
    camera: str = ""  # a v4l2 device: /dev/video0
    ndi: str = ""  # an NDI source on the network: "HOST (NAME)" or its NAME
    name: str = ""
    blend: str = "normal"
    opacity: float = 1.0
    mask: str = "none"
    speed: float = 1.0
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class VideoSpec(LayerSpec):
    """A video layer: its source (a file's path, or a device with its PyAV input format) and how a file plays."""

    drawn = False
    device_format: str = ""  # "" for a file; "v4l2" for a camera (a test's stand-in may be "lavfi"); "ndi" for an NDI source
    speed: float = 1.0
    start: float = 0.0
    end: float = 0.0

    @property
    def source(self) -> str:
        return self.shader

    def table(self) -> dict[str, Any]:
        if self.device_format:
            source: dict[str, Any] = {"ndi" if self.device_format == "ndi" else "camera": self.source}
        else:
            source = {"video": self.source, "speed": self.speed, "start": self.start, "end": self.end}
        return {"name": self.name, **source, "blend": self.blend, "opacity": self.opacity, "mask": self.mask}

    def params(self) -> tuple[Param, ...]:
        own = super().params()
        if self.device_format:
            return own
        return own + (
            Param(f"{self.prefix}.speed", Kind.FLOAT, self.speed, f"how fast the {self.name} video plays (1 as recorded, "
                  "negative backwards)", (-4.0, 4.0)),
            Param(f"{self.prefix}.start", Kind.FLOAT, self.start, f"the {self.name} video's in point, in seconds", (0.0, LONGEST)),
            Param(f"{self.prefix}.end", Kind.FLOAT, self.end, f"the {self.name} video's out point, in seconds (0: its end)",
                  (0.0, LONGEST)),
        )


def is_video(table: Mapping[str, Any]) -> bool:
    """Whether a [[layers]] table describes a video layer rather than a shader."""
    return "video" in table or "camera" in table or "ndi" in table


def video_spec(table: Mapping[str, Any], base: Path, others: tuple[str, ...] = ()) -> VideoSpec:
    """A video layer from a preset's [[layers]] table. The file is opened when the layer is built,
    so a missing one leaves the layer dark rather than refusing the preset."""
    try:
        read = read_table(table, VideoTable, "a video layer")
    except ValueError as error:
        raise LayerError(str(error)) from None
    if sum(map(bool, (read.video, read.camera, read.ndi))) != 1:
        raise LayerError("a video layer needs one of video = \"FILE\", camera = \"/dev/videoN\" or ndi = \"SOURCE NAME\"")
    if read.camera and not read.camera.startswith("/dev/"):
        raise LayerError(f"camera {read.camera!r}: give a v4l2 device such as /dev/video0")
    if read.video:
        path = Path(read.video).expanduser()
        source, device_format = str(path if path.is_absolute() else (base / path).resolve()), ""
    else:
        source, device_format = (read.ndi, "ndi") if read.ndi else (read.camera, "v4l2")
    name = read.name or (layer_name(Path(read.video).stem) if read.video else "ndi" if read.ndi else "camera")
    if not re.match(r"^[a-z][a-z0-9_]*$", name):
        raise LayerError(f"layer name {name!r} must be a lower-case word (letters, digits, _)")
    playing = ("speed", "start", "end")
    if not read.video and set(playing) & set(table):
        what = f"NDI source {read.ndi!r}: a live source" if read.ndi else f"camera {read.camera}: a camera"
        raise LayerError(f"{what} has no {', '.join(key for key in playing if key in table)}; only a video file has")
    own = build_spec(name, source, device_format, others).params()
    settings = {key: _checked(param, getattr(read, key)) for key, param in zip(("opacity", "blend", "mask", *playing), own, strict=False)}
    return build_spec(name, source, device_format, others, **settings)


def build_spec(name: str, source: str, device_format: str = "", others: tuple[str, ...] = (), **settings) -> VideoSpec:
    """A video layer's spec with its settings' defaults: what a preset's table and a test start from."""
    header = IsfHeader(Path(source), "video", (), (IsfPass(),), {}, linear_light=False, header_lines=0)
    masks = ("none", "glyphs", *(other for other in others if other != name))
    return VideoSpec(name, source, header, masks=masks, device_format=device_format, **settings)


def check_loops(ctx: moderngl.Context, draw: Fullscreen, spec: LayerSpec) -> None:
    """Refuse a layer with a pixel whose loops reach the cap (gpu/isf.py) when it is first drawn,
    small and with its defaults: an endless loop, which even capped would cost every frame."""
    uniforms = spec.uniforms({param.path: param.default for param in spec.params()})
    target = Target(ctx, PROBE_SIZE, "f4")
    try:
        for index in range(len(spec.header.passes)):
            draw.draw(target, dict(uniforms, PASSINDEX=index, RENDERSIZE=PROBE_SIZE, NEOTERRA_LOOP_PROBE=True))
            if (np.frombuffer(target.texture.read(), np.float32) == LOOP_MARK).any():
                raise LayerError(f"{spec.header.path}: a loop in it ran past {LOOP_CAP:,} steps in one pixel (one that never ends?): "
                                 f"the layer {spec.name} is left out")
    finally:
        draw.shader.set({"NEOTERRA_LOOP_PROBE": False})
        target.release()
