"""The swarm's light: every bot adds its own into a fixed-point buffer at render size
(shaders/swarm/splat.comp), laid along its path since the last frame; the buffer decays
into trails and is resolved to HDR light, which the `over` stage lays over the murals. The
virtual camera (core/camera.py) maps bots to pixels at the swarm's depth; dust floats in
front of and behind them at depths of its own (swarm/dust.py).

All of the swarm's light comes from its bots: a glyph shows only where bots are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import moderngl
import numpy as np

from neoterra_glow.core.camera import view
from neoterra_glow.core.colour import srgb_to_linear
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.glitch.faults import kinds, particle_uniforms
from neoterra_glow.glyphs.atlas import POSES_BINDING, SAMPLES_BINDING, GlyphAtlas
from neoterra_glow.glyphs.glyph import SAMPLES
from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target
from neoterra_glow.swarm.dust import Dust
from neoterra_glow.swarm.swarm import HUES_BINDING, ROSTER_BINDING, Bots

LIGHT_BINDING = 4  # shaders/swarm/bot.glsl
INK_LIGHT = 0.2  # sets a formed glyph's strokes near 1.0 in HDR at brightness 1, whatever the count and size
RESIDENT_GLOW = 0.6  # a visited glyph's light against the one being formed
HUE_SWAY = 0.04  # turns the palette's hue sways either way: a face keeps its own colour
STREAK = 1 / 30  # seconds of its path a moving bot's light is laid along, whatever the frame rate: a
# 12 fps preview drew streaks five times a 60 fps show's, which read as combs of smeared light in a morph
GLINT_LIGHT = 2.5  # a glint's light at its peak, in HDR units: a bright point, well over the stroke
FLIGHT_TRAIL = 0.7  # how much shorter the trail is while the face flies to a new place: at its speed the
# trail smeared the whole face along its way
CHANGE_TRAIL = 0.03  # seconds the trail lasts at most while the swarm changes face: a longer one (resonance's 0.25) stacked the
# face into copies of itself along the bots' way
BEADS = 0.2  # a bot's streak while the swarm changes face, flies or a fault moves it, against a settled one's: a morph's
# streaks of light laid along the way read as brush strokes and fog, its bots as beads on their paths
OKLAB_M1 = np.array([[0.4122214708, 0.5363325363, 0.0514459929],  # linear sRGB to LMS (Ottosson's OKLab)
                     [0.2119034982, 0.6806995451, 0.1073969566],
                     [0.0883024619, 0.2817188376, 0.6299787005]])
OKLAB_M2 = np.array([[0.2104542553, 0.7936177850, -0.0040720468],  # cube-rooted LMS to Lab
                     [1.9779984951, -2.4285922050, 0.4505937099],
                     [0.0259040371, 0.7827717662, -0.8086757660]])
MOVING_FAULTS = tuple(kind for kind in kinds(stage="step") if kind != "stall")  # a stall holds its bots still


class SwarmLight:
    """Bots to light: the splat, the trails' decay, and the resolve to an HDR image."""

    name = "light"
    inputs = ("bots",)
    params = (
        Param("swarm.brightness", Kind.FLOAT, 1.0, "light of the whole swarm", (0.0, 20.0), smoothing=0.3),
        Param("swarm.size", Kind.FLOAT, 3.0, "diameter of a bot's light in pixels at 1080p", (0.5, 24.0), smoothing=0.3),
        Param("swarm.hue_drift", Kind.FLOAT, 0.5, "sways of the palette's hue a minute, a few degrees either way", (-30.0, 30.0),
              smoothing=1.0),
        Param("swarm.trail", Kind.FLOAT, 0.25, "seconds a trail takes to fade to a third", (0.0, 4.0), smoothing=0.4),
        Param("swarm.glyph_glow", Kind.FLOAT, 0.8, "extra light of bots settled in their glyph: a formed glyph glows", (0.0, 10.0),
              smoothing=0.4),
        Param("swarm.glints", Kind.INT, 120, "bots on a formed face that glint now and then, whatever the count; 0: none", (0, 5000)),
        Param("swarm.dust", Kind.FLOAT, 1.0, "light of the dust floating in front of and behind the swarm; 0: none", (0.0, 8.0),
              smoothing=0.5),
        Param("swarm.streams", Kind.FLOAT, 1.0, "light of the room's spare bots, times swarm.dust: streams round a lone face, "
              "threads between a wall's neighbours; 0: none", (0.0, 4.0), smoothing=0.5),
        Param("swarm.embers", Kind.FLOAT, 0.0, "light of the embers, a warm room's spare bots rising slowly from the floor as "
              "sparks that glow and go out round the face, at their brightest (a face's stroke is about 1); 0: none", (0.0, 4.0),
              smoothing=0.5),
        Param("swarm.palette.core", Kind.COLOUR, "#7dffe3", "colour of the bots along the strokes", smoothing=1.0),
        Param("swarm.palette.edge", Kind.COLOUR, "#3a7bff", "colour the strokes shade into", smoothing=1.0),
        Param("swarm.palette.lean", Kind.FLOAT, 0.25, "how far each face's hue, its own round the wheel, leans toward its "
              "palette colour when within a quarter of the wheel: the preset's character, never two hues only", (0.0, 0.9),
              smoothing=1.0),
        Param("swarm.palette.clear_of_room", Kind.FLOAT, 50.0, "degrees of hue, as the eye spaces them (OKLab), either side "
              "of the room's own hue that no face takes: the faces spread over the rest of the wheel, so none sits on the "
              "room's colour (a magenta face on a crimson room); 0: faces ignore the room", (0.0, 80.0), smoothing=1.0),
        Param("swarm.palette.spark", Kind.COLOUR, "#e8c36a", "the gold of healing: scars an embrace gilds, the fallen's pool in it",
              smoothing=1.0),
    )

    keeps = ("buffer", "kept")  # the light and its trails (the target is resolved from it every frame), and the share of it
    # the last frame kept

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._splat = build.library.program("swarm/splat.comp")
        self._resolve = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "swarm/resolve.frag"))
        self._dust = Dust(self.ctx, build.library)
        self.target, self.buffer = self._made(build.size)
        self.kept = 0.0
        self._room = room_colours(build.layers)

    def resize(self, size: tuple[int, int]) -> None:
        if size == self.target.size:
            return
        self._release_buffers()
        self.target, self.buffer = self._made(size)
        self.kept = 0.0

    def _made(self, size: tuple[int, int]) -> tuple[Target, moderngl.Buffer]:
        """The HDR target and the light it resolves from, cleared: rgb and gold's share a pixel (shaders/swarm/splat.comp)."""
        buffer = self.ctx.buffer(reserve=size[0] * size[1] * 4 * 4)
        buffer.clear()
        return Target(self.ctx, size), buffer

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        """Every bot adds its light into the buffer, which resolves to HDR and keeps a trail of itself."""
        keep = self.splat(frame, inputs["bots"])  # which leaves the buffer bound for the resolve
        self._resolve.draw(self.target, dict(u_pixels=self.target.size, u_keep=keep, **self._gold(frame.params)))
        self.ctx.memory_barrier()
        bots = inputs["bots"]
        self._dust.draw(frame, self.target, self._palette(frame.params, bots), bots.parting, bots.threaded)
        return self.target

    def splat(self, frame: Frame, bots: Bots) -> float:
        """Add this frame's light of every bot into the buffer; returns the share of it the trail keeps. The light added
        is the share the last frame's decay let go, so a trail that shortens (a change of face) never flares."""
        p = frame.params
        width, height = self.target.size
        trail = p["swarm.trail"] * (1.0 - FLIGHT_TRAIL * bots.aloft)
        trail -= (trail - min(trail, CHANGE_TRAIL)) * bots.changing
        keep = math.exp(-frame.dt / trail) if trail > 0 else 0.0
        faults = frame.faults
        bots.state.bind()
        self.buffer.bind_to_storage_buffer(LIGHT_BINDING)
        bots.atlas.poses.bind_to_storage_buffer(POSES_BINDING)
        bots.atlas.samples.bind_to_storage_buffer(SAMPLES_BINDING)  # where a stall strikes
        bots.roster.bind_to_storage_buffer(ROSTER_BINDING)
        bots.hues.bind_to_storage_buffer(HUES_BINDING)
        core, edge = self._palette(p, bots)
        dispatch(self.ctx, self._splat, bots.state.count, dict(
            u_end=bots.state.count, u_pixels=self.target.size,
            u_aspect=width / height, u_footprint=max(p["swarm.size"] * height / 1080.0 - 1.0, 0.0) / 2.0,
            u_light=self._bot_light(p, bots, height) * (1.0 - self.kept),
            u_glyph_glow=p["swarm.glyph_glow"], u_time=bots.time, u_frame=frame.index, u_core=core, u_edge=edge,
            u_sway=self._sway(p, bots), u_lean=p["swarm.palette.lean"], u_room=room_hue(p, self._room),
            u_spark=tuple(float(v) for v in srgb_to_linear(p["swarm.palette.spark"])), u_seed=frame.seed,
            **particle_uniforms(faults, bots.between_faces),
            u_camera=view(frame.time, p, 1.0), u_streak=STREAK * (1.0 - (1.0 - BEADS) * self._moving(bots, faults)),
            u_glints=min(p["swarm.glints"] / bots.state.count, 0.05), u_glint=GLINT_LIGHT * p["swarm.brightness"] * (1.0 - self.kept),
            u_glyph=bots.glyph, u_roster_size=bots.roster_size, u_pose=bots.pose,
            u_pose_base=GlyphAtlas.sample_base(bots.glyph), u_pose_scale=bots.scale, u_count=bots.state.count,
            u_place=(*bots.centre, bots.scale), u_scar_homes=bots.scar_homes, u_crack_length=bots.atlas.crack_lengths[bots.glyph],
            u_sample_count=SAMPLES, **self._resident_light(bots), **self._face_left(p, bots),
        ))
        self.kept = keep
        return keep

    @staticmethod
    def _moving(bots: Bots, faults) -> float:
        """0..1: how far the swarm is on the move (a change of face, a flight, a fault that moves bots), so its light is beads."""
        return min(max(bots.changing, bots.aloft, 4.0 * max(faults[kind] for kind in MOVING_FAULTS)), 1.0)

    @staticmethod
    def _face_left(p, bots: Bots) -> dict:
        """The face the swarm left, whose colour and glow its bots keep until they have left it (the splat's journey):
        while it changes face; once the new one has formed, none (the splat's cheap way). And on the show's first face,
        how much of the haze it forms from is left: its bots still on their way in are dim dust, not a glow."""
        glyph, place = bots.left if bots.left is not None and bots.changing > 0.0 else (bots.glyph, (*bots.centre, bots.scale))
        return dict(u_left=glyph, u_left_place=place, u_visit_time=bots.visit_time, u_stagger=p["swarm.stagger"],
                    u_haze=bots.changing if bots.left is None else 0.0)

    @staticmethod
    def _gold(p) -> dict:
        """The resolve's gold: the spark, and the tone curve that will turn the light laid for it into it as seen
        (post/tonemap.py's parameters, read, never declared, here)."""
        spark = srgb_to_linear(p["swarm.palette.spark"])
        return dict(u_spark=tuple(float(v) for v in spark / max(float(spark.max()), 1e-6)),
                    u_exposure=2.0 ** p["post.tonemap.exposure"], u_aces=p["post.tonemap.operator"] == "aces")

    @staticmethod
    def _sway(p, bots: Bots) -> float:
        """The hue drift's turn now, in turns: a few degrees either way, so a face keeps its own colour."""
        return HUE_SWAY * math.sin(2.0 * math.pi * p["swarm.hue_drift"] * bots.time / 60.0)

    @classmethod
    def _palette(cls, p, bots: Bots) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Core and edge in linear light, swaying a little in hue (each face takes its own hue in the splat)."""
        turn = cls._sway(p, bots)
        return turn_hue(srgb_to_linear(p["swarm.palette.core"]), turn), turn_hue(srgb_to_linear(p["swarm.palette.edge"]), turn)

    @staticmethod
    def _resident_light(bots: Bots) -> dict:
        """Bots staying on visited glyphs light them at RESIDENT_GLOW of the one being formed however
        many glyphs share them: each resident's light grows as residents per glyph fall. The residents' die
        spreads them over every visited face, this one too (shaders/swarm/home.glsl): the rest are this one's."""
        if bots.residents <= 0.0 or bots.visited <= 0:
            return dict(u_residents=0.0, u_resident_light=1.0)
        faces = bots.visited + 1
        each, forming = bots.residents / faces, 1.0 - bots.residents * bots.visited / faces
        return dict(u_residents=bots.residents, u_resident_light=RESIDENT_GLOW * forming / each)

    @staticmethod
    def _bot_light(p, bots: Bots, height: int) -> float:
        """Light of one bot, shared out so that a formed glyph's ink reads the same for any
        count, footprint, glyph size and resolution: bots per ink pixel grow with the count
        and shrink with the glyph's area in pixels."""
        return p["swarm.brightness"] * INK_LIGHT * (height * bots.scale) ** 2 / bots.state.count

    def _release_buffers(self) -> None:
        self.target.release()
        self.buffer.release()

    def release(self) -> None:
        self._release_buffers()
        self._resolve.release()
        self._dust.release()


class LightOver:
    """The swarm's light laid over the murals: the scene in HDR."""

    name = "over"
    inputs = ("scene", "light")
    params = ()

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._draw = Fullscreen(self.ctx, build.library.program("common/fullscreen.vert", "swarm/light_over.frag"))
        self.target = Target(self.ctx, build.size)

    def resize(self, size: tuple[int, int]) -> None:
        if size != self.target.size:
            self.target.release()
            self.target = Target(self.ctx, size)

    def run(self, frame: Frame, inputs: Mapping[str, Any]) -> Target:
        self._draw.draw(self.target, textures={"u_scene": inputs["scene"].texture, "u_light": inputs["light"].texture})
        return self.target

    def release(self) -> None:
        self.target.release()
        self._draw.release()


def turn_hue(colour: np.ndarray, turns: float) -> tuple[float, float, float]:
    """The colour turned about the grey axis (Rodrigues' rotation of the RGB cube), kept non-negative."""
    k = np.full(3, 3 ** -0.5)
    a = turns * 2 * math.pi
    turned = colour * math.cos(a) + np.cross(k, colour) * math.sin(a) + k * k.dot(colour) * (1 - math.cos(a))
    red, green, blue = (float(v) for v in np.maximum(turned, 0.0))
    return red, green, blue


def room_colours(layers) -> tuple[str, ...]:
    """The params that colour the room before any face: its ground's colour then, and every mural layer's colours."""
    return ("murals.ground_two", *(f"{spec.prefix}.{i.name}" for spec in layers for i in spec.header.inputs if i.type == "color"))


def room_hue(p, paths: tuple[str, ...]) -> tuple[float, float]:
    """The room's own hue as the eye spaces hues (OKLab degrees), and how far (degrees either side) the faces keep from it:
    the mean of its colours in linear light, each weighed by its chroma (a dim, greyish deep counts little, a bright glow
    much), less as its hues disagree or the murals are greyed (murals.colour); none for a room with no colour (no ground,
    no layers). The splat (face_hue) spreads the faces over the wheel outside it."""
    chroma = [c - c.min() for c in (srgb_to_linear(p[path]) for path in paths
                                    if path in p and (path != "murals.ground_two" or p.get("murals.ground", 0.0) > 0.0))]
    if not chroma:
        return 0.0, 0.0
    ab = oklab_ab(np.sum(chroma, axis=0))
    opponent = np.array([[1.0, -0.5, -0.5], [0.0, 0.866, -0.866]]) @ np.transpose(chroma)  # each colour's chroma as a vector
    agree = float(np.hypot(*opponent.sum(axis=1))) / max(float(np.hypot(*opponent).sum()), 1e-9)  # 1: all one hue
    clear = min(max((agree - 0.3) / 0.3, 0.0), 1.0) * min(p.get("murals.colour", 1.0) / 0.3, 1.0)  # a room of many hues,
    # or a greyed one, has no one hue to keep from
    return math.degrees(math.atan2(ab[1], ab[0])) % 360.0, p["swarm.palette.clear_of_room"] * clear


def oklab_ab(linear: np.ndarray) -> np.ndarray:
    """A linear colour's a and b in OKLab (Ottosson 2020), where the eye spaces hues evenly."""
    return (OKLAB_M2 @ np.cbrt(OKLAB_M1 @ linear))[1:]
