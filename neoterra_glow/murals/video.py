"""Video layers: a mural layer whose picture is a video file or a camera, not a shader.

It blends, fades and masks as any layer does, with its parameters in the registry under
murals.<layer>; a file's layer also has a speed and an in and out point. An ISF layer's image
input may name it, so a filter applies to the video. A source that cannot be read is one line
in the log, and the layer shows nothing (the stack goes on without it); one that fails while
playing holds its last picture.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import moderngl

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.core.tables import read_table
from neoterra_glow.gpu.isf import IsfHeader, IsfPass
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.decode import ClipReader, LiveReader, Picture, VideoError
from neoterra_glow.murals.layers import LayerError, LayerSpec, layer_name

log = logging.getLogger(__name__)
LONGEST = 86_400.0  # seconds an in or out point may be: a day


@dataclass(frozen=True)
class VideoTable:
    """The keys of a video layer's [[layers]] table: `video` (a file, relative to the preset) or `camera`."""

    video: str = ""
    camera: str = ""  # a v4l2 device: /dev/video0
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

    device_format: str = ""  # "" for a file; "v4l2" for a camera (a test's stand-in may be "lavfi")
    speed: float = 1.0
    start: float = 0.0
    end: float = 0.0

    @property
    def source(self) -> str:
        return self.shader

    def table(self) -> dict[str, Any]:
        source = {"camera": self.source} if self.device_format else {"video": self.source, "speed": self.speed, "start": self.start,
                                                                       "end": self.end}
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
    if "ndi" in table:
        raise LayerError("NDI sources cannot be layers yet (the NDI code only sends); play a file or a camera")
    try:
        read = read_table(table, VideoTable, "a video layer")
    except ValueError as error:
        raise LayerError(str(error)) from None
    if bool(read.video) == bool(read.camera):
        raise LayerError("a video layer needs one of video = \"FILE\" or camera = \"/dev/videoN\"")
    if read.camera and not read.camera.startswith("/dev/"):
        raise LayerError(f"camera {read.camera!r}: give a v4l2 device such as /dev/video0")
    if read.video:
        path = Path(read.video).expanduser()
        source, device_format = str(path if path.is_absolute() else (base / path).resolve()), ""
    else:
        source, device_format = read.camera, "v4l2"
    name = read.name or (layer_name(Path(read.video).stem) if read.video else "camera")
    spec = build_spec(name, source, device_format, others)
    try:
        return VideoSpec(
            name, source, spec.header, masks=spec.masks, device_format=device_format,
            blend=spec.params()[1].check(read.blend)[0], opacity=_checked(spec.params()[0], read.opacity),
            mask=spec.params()[2].check(read.mask)[0], speed=_checked(spec.params()[3], read.speed) if read.video else 1.0,
            start=read.start, end=read.end,
        )
    except ValueError as error:
        raise LayerError(str(error)) from None


def build_spec(name: str, source: str, device_format: str = "", others: tuple[str, ...] = (), **settings) -> VideoSpec:
    """A video layer's spec with its settings' defaults: what a preset's table and a test start from."""
    header = IsfHeader(Path(source), "video", (), (IsfPass(),), {}, linear_light=False, header_lines=0)
    masks = ("none", "glyphs", *(other for other in others if other != name))
    return VideoSpec(name, source, header, masks=masks, device_format=device_format, **settings)


def _checked(param: Param, value: Any) -> Any:
    checked, note = param.check(value)
    if note:
        raise ValueError(note.replace("; clamped", ""))
    return checked


class VideoLayer:
    """A video layer on the GPU: the source's latest picture, uploaded once when it changes.

    `live`: a show, which never waits for a picture; offline, a frame waits for its own."""

    keeps = ("position",)  # where a file's play has got to, in seconds; no picture is kept

    def __init__(self, ctx: moderngl.Context, spec: VideoSpec, live: bool = False) -> None:
        self.ctx, self.spec, self.live = ctx, spec, live
        self.position = 0.0
        self.output: Target | None = None
        self._uploaded = 0
        self._reader: ClipReader | LiveReader | None = None
        self._told = False
        try:
            self._reader = LiveReader(spec.source, spec.source, spec.device_format) if spec.device_format else ClipReader(Path(spec.source))
        except VideoError as error:
            self._tell(str(error))

    def _tell(self, message: str) -> None:
        if not self._told:
            self._told = True
            log.warning("layer %s is left out: %s", self.spec.name, message)

    def render(self, frame: Frame, size: tuple[int, int], sources: dict[str, moderngl.Texture],
               camera: tuple[float, float, float] = (0.0, 0.0, 1.0)) -> moderngl.Texture | None:
        """This frame's picture, or None while the layer has none (the stack then leaves it out)."""
        reader = self._reader
        if reader is None:
            return None
        if isinstance(reader, ClipReader):
            p, prefix = frame.params, self.spec.prefix
            picture = reader.at(reader.clip_time(self.position, p[f"{prefix}.start"], p[f"{prefix}.end"]), wait=not self.live)
            step = frame.dt * p[f"{prefix}.speed"]
            self.position = self.position + step if math.isfinite(step) else self.position
        else:
            picture = reader.latest(wait=not self.live)
        if reader.error:
            self._tell(reader.error if picture is None else reader.error + " (its last picture holds)")
        if picture is not None:
            self._upload(picture)
        return self.output.texture if self.output is not None else None

    def _upload(self, picture: Picture) -> None:
        if picture.number == self._uploaded:
            return
        height, width = picture.pixels.shape[:2]
        if self.output is None or self.output.size != (width, height):
            if self.output is not None:
                self.output.release()
            self.output = Target(self.ctx, (width, height), "f1")
        self.output.texture.write(picture.pixels)
        self._uploaded = picture.number

    def release(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self.output is not None:
            self.output.release()
