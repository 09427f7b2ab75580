"""Projection: where the image's corners land on the wall (corner pin), soft edges for
overlapping projectors, a test card, and a calibration file to keep them in.

Corners are in the window's own units, 0..1 with y up; defaults fill the window.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

import moderngl
import numpy as np
from PIL import Image

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.core.tables import parse_json
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target

if TYPE_CHECKING:
    from neoterra_glow.output.venue import Venue  # which imports this module

log = logging.getLogger(__name__)

CORNERS = {"bottom_left": (0.0, 0.0), "bottom_right": (1.0, 0.0), "top_right": (1.0, 1.0), "top_left": (0.0, 1.0)}


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 3x3 projective map taking four points `src` (4, 2) to `dst` (4, 2) (direct linear transform)."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(rows, np.float64))
    h = vt[-1].reshape(3, 3)
    return h / h[2, 2]


def label_texture(ctx: moderngl.Context, text: str) -> moderngl.Texture:
    """A name in white on black, for a test card."""
    from PIL import ImageDraw

    from neoterra_glow.resources import text_font

    font = text_font(48)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 24, bottom - top + 16), 0)
    ImageDraw.Draw(image).text((12 - left, 8 - top), text, fill=255, font=font)
    return ctx.texture(image.size, 1, image.tobytes())


def keystone_params(prefix: str, what: str) -> tuple[Param, ...]:
    """A projector's keystone and soft edges, under `prefix`: the whole output's, or a slice's."""
    return (
        *(Param(f"{prefix}.corners.{name}", Kind.VEC2, list(at),
                f"where {what}'s {name.replace('_', ' ')} corner lands, 0..1 of its window", (-1.0, 2.0), venue=True)
          for name, at in CORNERS.items()),
        *(Param(f"{prefix}.blend.{side}", Kind.FLOAT, 0.0, f"width of {what}'s soft {side} edge, for an overlapping projector",
                (0.0, 0.5), venue=True) for side in ("left", "right", "bottom", "top")),
        Param(f"{prefix}.blend.gamma", Kind.FLOAT, 2.2, "the projectors' gamma, so the overlap is even in light", (1.0, 3.0), venue=True),
    )


class Warp:
    """The projector's stage: keystone, soft edges, test card, blackout (freeze is the show's)."""

    name: ClassVar[str] = "warp"
    inputs: ClassVar[tuple[str, ...]] = ("image",)
    params: ClassVar[tuple[Param, ...]] = (
        *keystone_params("output", "the image"),
        Param("output.test_card", Kind.BOOL, False, "show a test card instead of the piece, to line projectors up"),
        Param("output.blackout", Kind.BOOL, False, "send black to the projector; the piece runs on"),
        Param("output.freeze", Kind.BOOL, False, "hold the frame on the wall; control still arrives"),
    )

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._draw = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "output/warp.frag"))
        self.output = Target(self.ctx, build.size, dtype="f1")
        self._code = self.ctx.texture((1, 1), 1, bytes(1))  # a QR code on the test card, when there is one
        self._has_code = False
        self.venue = cast("Venue | None", build.venue)  # a wall of slices, each in its part of the window, or None
        self._labels = [label_texture(self.ctx, piece.name) for piece in self.venue.slices] if self.venue else []
        self.places: list[tuple[int, int, int, int] | None] | None = None  # each slice's monitor in the window, when known

    def fit(self, window: tuple[int, int]) -> None:
        """A wall's window, whose size is not the canvas's: each slice takes its share of it."""
        if window != self.output.size:
            self.output.release()
            self.output = Target(self.ctx, window, dtype="f1")

    def viewport(self, number: int) -> tuple[int, int, int, int] | None:
        """Where slice `number` goes in the window: its monitor's place (None: its monitor is
        missing), or, where the monitors are not known, side by side in equal shares."""
        if self.places is not None:
            return self.places[number]
        width, height = self.output.size
        assert self.venue is not None  # only a wall's slices have viewports
        share = width // len(self.venue.slices)
        return number * share, 0, share, height

    def card_code(self, png: bytes) -> None:
        """Show this QR code (a PNG) on the test card: where phones find the audience page."""
        image = Image.open(io.BytesIO(png)).convert("L")
        self._code.release()
        self._code = self.ctx.texture(image.size, 1, image.tobytes())
        self._code.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self._has_code = True

    def resize(self, size: tuple[int, int]) -> None:
        if self.venue is None and size != self.output.size:  # a wall's window keeps its own size (fit)
            self.output.release()
            self.output = Target(self.ctx, size, dtype="f1")

    @staticmethod
    def is_identity(params) -> bool:
        return (
            all(tuple(params[f"output.corners.{name}"]) == at for name, at in CORNERS.items())
            and not any(params[f"output.blend.{side}"] for side in ("left", "right", "bottom", "top"))
            and not params["output.test_card"]
        )

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """The frame as the projector shows it: the image itself when nothing is pinned or blended."""
        p, image = frame.params, inputs["image"]
        if p["output.blackout"]:
            self.output.fbo.clear(0.0, 0.0, 0.0, 1.0)
            return self.output
        if self.venue is not None:
            self.output.fbo.clear(0.0, 0.0, 0.0, 1.0)  # a missing monitor's part stays black
            for number, piece in enumerate(self.venue.slices):
                if self.viewport(number) is not None:
                    self.keystone(p, piece.prefix, image, self.output, piece.uv(image.size), p[f"{piece.prefix}.black"],
                                  self.viewport(number), self._labels[number])
            return self.output
        if self.is_identity(p):
            return image
        self.keystone(p, "output", image, self.output)
        return self.output

    def keystone(self, p, prefix: str, image: Target, target: Target, region=(0.0, 0.0, 1.0, 1.0), black: float = 0.0,
                 viewport: tuple[int, int, int, int] | None = None, label: moderngl.Texture | None = None) -> None:
        """Draw `region` of the image (x, y, width, height, 0..1) into `target` through the keystone
        and soft edges under `prefix` (the whole output's, or a slice's), lifting the light outside
        the soft edges by `black` (so it matches the overlap, where two projectors' black adds up)."""
        corners = np.array([p[f"{prefix}.corners.{name}"] for name in CORNERS], np.float64)
        to_image = homography(corners, np.array(list(CORNERS.values()), np.float64))
        blend = tuple(p[f"{prefix}.blend.{side}"] for side in ("left", "right", "bottom", "top"))
        width, height = image.size
        uniforms = dict(
            u_to_image=tuple(to_image.T.flatten()), u_blend=blend, u_gamma=p[f"{prefix}.blend.gamma"],
            u_test_card=p["output.test_card"], u_resolution=(width * region[2], height * region[3]), u_has_code=self._has_code,
            u_region=tuple(float(v) for v in region), u_black=black, u_canvas=(width, height), u_has_label=label is not None,
        )
        textures = {"u_image": image.texture, "u_code": self._code, "u_label": label or self._code}
        self._draw.draw(target, uniforms, textures, viewport=viewport)

    def release(self) -> None:
        self.output.release()
        for texture in (self._code, *self._labels):
            texture.release()
        self._draw.release()


def load_calibration(path: Path, registry: Registry) -> None:
    """Set the output parameters saved in a calibration file (JSON), if there is one."""
    if not path.is_file():
        return
    try:
        saved = parse_json(path.read_text(encoding="utf-8"))
        for key, value in saved.items():
            if not key.startswith("output."):
                raise UserError(f"{key} is not an output setting")
            registry.set(key, value, immediate=True)
    except (ValueError, OSError, AttributeError) as error:
        raise UserError(f"{path}: not a usable calibration file: {error}") from None


def save_calibration(path: Path, registry: Registry) -> None:
    """Write every output parameter (corners, edges) to a calibration file."""
    values = {p.path: registry.value(p.path) for p in registry if p.venue}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)  # a kill while saving leaves the old calibration, never half of one
    log.info("saved the calibration to %s", path)
