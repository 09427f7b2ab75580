"""The stage contract: every step of a frame has one shape, so the pipeline is only the
declaration of its stages (neoterra_glow/pipeline.py) and what each reads.

A stage declares its parameters and the names of its inputs; it is built once from a
`Build`, follows the render size with `resize(size)`, makes its product with
`run(frame, inputs)` and gives its GPU objects back with `release()`. It reads only the
frame and its inputs: its product is a `Target` (an image), or, for the swarm's motion,
the bots themselves. A stage may hand on an input untouched when it has nothing to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import moderngl

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Param
from neoterra_glow.gpu.shaders import ShaderLibrary


@dataclass(frozen=True)
class Build:
    """What a stage is built from: the context, the shader library, the render size, the
    piece's glyphs and mural layers (for the stages that draw them), and the venue's slices
    (for the projectors' stage, when the wall has several), and whether the show is live."""

    ctx: moderngl.Context
    library: ShaderLibrary
    size: tuple[int, int]
    glyphs: Sequence = ()
    layers: Sequence = ()
    venue: object = None
    live: bool = False  # a live show, whose stages never wait (a video layer shows the picture it has)


class Stage(Protocol):
    """What every step of a frame offers, so the pipeline is a declaration and not code: a new
    stage is its module and one line in pipeline.py."""

    name: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]
    inputs: ClassVar[tuple[str, ...]]

    def __init__(self, build: Build) -> None: ...

    def resize(self, size: tuple[int, int]) -> None: ...

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Any: ...

    def release(self) -> None: ...
