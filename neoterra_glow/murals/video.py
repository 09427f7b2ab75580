"""Video layers on the GPU: a mural layer whose picture is a video file, a camera or an NDI source, not a shader.

It blends, fades and masks as any layer does, with its parameters in the registry under
murals.<layer> (layers.py's VideoSpec); a file's layer also has a speed and an in and out point. An ISF layer's image
input may name it, so a filter applies to the video. A source that cannot be read is one line
in the log, and the layer shows nothing (the stack goes on without it); one that fails while
playing holds its last picture.
"""

from __future__ import annotations

import logging
from pathlib import Path

import moderngl

from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.targets import Target, resized
from neoterra_glow.murals.decode import ClipReader, LiveReader, Picture, VideoError
from neoterra_glow.murals.layers import VideoSpec
from neoterra_glow.murals.ndi import NdiReader

log = logging.getLogger(__name__)


class VideoLayer:
    """A video layer on the GPU: the source's latest picture, uploaded once when it changes.

    `live`: a show, which never waits for a picture; offline, a frame waits for its own."""

    keeps = ("position",)  # where a file's play has got to, in seconds; no picture is kept

    def __init__(self, ctx: moderngl.Context, spec: VideoSpec, live: bool = False) -> None:
        self.ctx, self.spec, self.live = ctx, spec, live
        self.position = 0.0
        self.output: Target | None = None
        self._uploaded = 0
        self._reader: ClipReader | LiveReader | NdiReader | None = None
        self._told = False
        try:
            self._reader = self._open(spec)
        except VideoError as error:
            self._tell(f"{error}: it is left out")

    @staticmethod
    def _open(spec: VideoSpec) -> ClipReader | LiveReader | NdiReader:
        if spec.device_format == "ndi":
            return NdiReader(spec.name, spec.source)
        if spec.device_format:
            return LiveReader(spec.source, spec.source, spec.device_format)
        return ClipReader(Path(spec.source))

    def checkpointable(self) -> str | None:
        """A live source's pictures are never kept, nor anything an ISF layer drew from them: no checkpoint while one is in the stack."""
        if self.spec.device_format:
            source = "an NDI source" if self.spec.device_format == "ndi" else "a camera"
            return f"the layer {self.spec.name} shows {source}, whose pictures are never kept: remove it first"
        return None

    def _tell(self, message: str) -> None:
        if not self._told:
            self._told = True
            log.warning("layer %s: %s", self.spec.name, message)

    def render(self, frame: Frame, size: tuple[int, int], sources: dict[str, moderngl.Texture],
               camera: tuple[float, float, float] = (0.0, 0.0, 1.0)) -> moderngl.Texture | None:
        """This frame's picture, or None while the layer has none (the stack then leaves it out).
        A live show asks for the next frame's picture and shows what was decoded for this one."""
        reader = self._reader
        if reader is None:
            return None
        if isinstance(reader, ClipReader):
            p, prefix = frame.params, self.spec.prefix
            step = frame.dt * p[f"{prefix}.speed"]
            wanted = self.position + (step if self.live else 0.0)
            picture = reader.at(reader.clip_time(wanted, p[f"{prefix}.start"], p[f"{prefix}.end"]), wait=not self.live)
            self.position += step
        else:
            picture = reader.latest(wait=not self.live)
        if reader.error:
            self._tell(f"{reader.error}: " + ("it is left out" if picture is None else "its last picture holds"))
        if picture is not None:
            self._upload(picture)
        return self.output.texture if self.output is not None else None

    def _upload(self, picture: Picture) -> None:
        if picture.number == self._uploaded:
            return
        height, width = picture.pixels.shape[:2]
        self.output = resized(self.ctx, self.output, (width, height), "f1")
        self.output.texture.write(picture.pixels)
        self._uploaded = picture.number

    def release(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if self.output is not None:
            self.output.release()
