"""The nanobots: a swarm of GPU particles that forms each community member's smile in turn.

`simulate` advances the bots (compute passes); `draw` adds their light into the
scene, and the smile is that light: where bots fail, the face fails. All motion runs
on the swarm's own clock (frame time times speed), so a fixed-clock render is the
same every time.
"""

from __future__ import annotations

import math

import moderngl
import numpy as np

from neoterra_glow.core.colour import srgb_to_linear
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.glitch.faults import PARTICLE_KINDS, kinds
from neoterra_glow.glyphs.atlas import SAMPLES_BINDING, GlyphAtlas
from neoterra_glow.glyphs.glyph import SAMPLES, Glyph
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target, uniforms_for
from neoterra_glow.swarm.currents import Currents
from neoterra_glow.swarm.light import SwarmLight
from neoterra_glow.swarm.state import SwarmState
from neoterra_glow.swarm.wall import LAYOUTS, Visits, placements, smoothstep

INK_LIGHT = 0.2  # sets a formed glyph's strokes near 1.0 in HDR at brightness 1, whatever the count and size
ROSTER_BINDING = 3  # shaders/swarm/bot.glsl
RESIDENT_GLOW = 0.6  # a visited glyph's light against the one being formed
SCATTER_SECONDS = 2.4
STEP_FAULTS = kinds(stage="step")  # compiled into step.comp, not step_calm.comp


class Swarm:
    params = (
        Param("swarm.count", Kind.INT, 200_000, "how many nanobots; changes live, keeping the bots that stay", (10_000, 64_000_000)),
        Param("swarm.speed", Kind.FLOAT, 1.0, "how fast the swarm lives: all motion, morphs and currents", (0.0, 4.0), smoothing=0.5),
        Param("swarm.cohesion", Kind.FLOAT, 4.0, "how hard bots hold to their glyph; low is loose and fluttering", (0.0, 20.0),
              smoothing=0.4),
        Param("swarm.tremble", Kind.FLOAT, 0.25, "restlessness of a settled bot", (0.0, 4.0), smoothing=0.3),
        Param("swarm.flow", Kind.FLOAT, 0.8, "strength of the currents bots ride between glyphs", (0.0, 6.0), smoothing=0.5),
        Param("swarm.swing", Kind.FLOAT, 0.7, "how far bots swing sideways on their way to a glyph", (0.0, 3.0), smoothing=0.5),
        Param("swarm.brightness", Kind.FLOAT, 1.0, "light of the whole swarm", (0.0, 20.0), smoothing=0.3),
        Param("swarm.size", Kind.FLOAT, 3.0, "diameter of a bot's light in pixels at 1080p", (0.5, 24.0), smoothing=0.3),
        Param("swarm.hue_drift", Kind.FLOAT, 0.5, "turns of the palette's hue per minute", (-30.0, 30.0), smoothing=1.0),
        Param("swarm.trail", Kind.FLOAT, 0.25, "seconds a trail takes to fade to a third", (0.0, 4.0), smoothing=0.4),
        Param("swarm.hold", Kind.FLOAT, 7.0, "seconds the swarm stays with each glyph", (0.5, 600.0)),
        Param("swarm.stagger", Kind.FLOAT, 1.5, "seconds over which bots leave one glyph for the next", (0.0, 10.0)),
        Param("swarm.layout", Kind.ENUM, "centre", "where the glyphs sit: one at a time in the centre, or a grid, wall or ring",
              choices=LAYOUTS),
        Param("swarm.glyph_glow", Kind.FLOAT, 0.8, "extra light of bots settled in their glyph: a formed glyph glows", (0.0, 10.0),
              smoothing=0.4),
        Param("swarm.memory", Kind.FLOAT, 0.3, "share of the bots that stay on visited glyphs of a wall, keeping them lit", (0.0, 0.8)),
        Param("swarm.scatter", Kind.TRIGGER, False, "burst the swarm apart; it reforms by itself"),
        Param("swarm.next", Kind.TRIGGER, False, "move on to the next glyph now"),
        Param("swarm.palette.core", Kind.COLOUR, "#7dffe3", "colour of the bots along the strokes", smoothing=1.0),
        Param("swarm.palette.edge", Kind.COLOUR, "#3a7bff", "colour the strokes shade into", smoothing=1.0),
        Param("swarm.palette.spark", Kind.COLOUR, "#ffc98a", "colour of bots moving fast", smoothing=1.0),
    )

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary, size: tuple[int, int], glyphs: list[Glyph] = ()) -> None:
        self.ctx = ctx
        self.state = SwarmState(ctx, library)
        self.currents = Currents(ctx, library)
        self.light = SwarmLight(ctx, library, size)
        self._retarget = library.program("swarm/retarget.comp")
        self._step = library.program("swarm/step.comp")
        self._step_calm = library.program("swarm/step_calm.comp")
        self.time = 0.0
        self.atlas: GlyphAtlas | None = None
        self._roster = ctx.buffer(reserve=16)
        self._residents = 0.0
        self._aimed_at = None  # what the targets were last set for
        self._scatter_left = 0.0
        self.show(glyphs)

    def show(self, glyphs: list[Glyph]) -> None:
        """Form these glyphs from now on, starting with the first (a preset with none: the engine's own)."""
        glyphs = list(glyphs) or [smile_glyph("neoterra glow")]
        atlas = GlyphAtlas(self.ctx, glyphs)  # made before the old one goes, so a failure changes nothing
        if self.atlas is not None:
            self.atlas.release()
        self.atlas = atlas
        self.visits = Visits(len(glyphs))
        self._aimed_at = None

    def places(self, params, size: tuple[int, int]) -> np.ndarray:
        """Where each glyph sits for this frame's layout and aspect."""
        return placements(params["swarm.layout"], len(self.atlas), size[0] / size[1])

    def simulate(self, frame: Frame) -> None:
        p = frame.params
        aspect = frame.size[0] / frame.size[1]
        dt = frame.dt * p["swarm.speed"]
        self.time += dt
        self.state.resize(p["swarm.count"], frame.seed, aspect)
        self.state.bind()
        self.visits.advance(dt, p["swarm.hold"], p["swarm.next"])
        places = self.places(p, frame.size)
        aim = (self.visits.current, self.state.count, p["swarm.layout"], p["swarm.memory"], aspect, self.atlas)
        if aim != self._aimed_at:
            self._residents = p["swarm.memory"] if p["swarm.layout"] != "centre" else 0.0
            self._aim(places, self._residents, frame.seed)
            self._aimed_at = aim

        burst = 0.0
        if p["swarm.scatter"]:
            self._scatter_left, burst = SCATTER_SECONDS, 1.4
        self._scatter_left = max(self._scatter_left - dt, 0.0)
        hold_back = smoothstep(0.0, SCATTER_SECONDS * 0.6, self._scatter_left)

        self.currents.update(self.time, frame.seed, aspect)
        self.currents.texture.use(0)
        uniforms = uniforms_for(self.params, p)
        uniforms.update(
            u_end=self.state.count, u_dt=dt, u_aspect=aspect, u_currents=0,
            u_visit_time=self.visits.time, u_hold_back=hold_back,
            u_centre=tuple(float(v) for v in places[self.visits.current][:2]), u_burst=burst,
            **self._fault_uniforms(frame, places),
        )
        self.atlas.samples.bind_to_storage_buffer(SAMPLES_BINDING)
        faulty = any(frame.faults[kind] > 0 for kind in STEP_FAULTS)
        dispatch(self.ctx, self._step if faulty else self._step_calm, self.state.count, uniforms)

    def _fault_uniforms(self, frame: Frame, places: np.ndarray) -> dict:
        """The malfunctions the bots suffer this frame; swapped bots draw the next glyph."""
        faults = frame.faults
        wrong = (self.visits.current + 1) % len(self.atlas)
        return {
            **{f"u_fault_{kind}": faults[kind] for kind in (*PARTICLE_KINDS, *kinds(target="repair"))},
            "u_fault_front": faults.front, "u_fault_seed": faults.seed, "u_count": self.state.count,
            "u_sample_count": SAMPLES, "u_wrong_base": GlyphAtlas.sample_base(wrong),
            "u_wrong_place": tuple(float(v) for v in places[wrong]),
        }

    def draw(self, frame: Frame, target: Target) -> None:
        """Every bot adds its light (and its trail) into the target."""
        p = frame.params
        width, height = target.size
        places = self.places(p, target.size)
        self.light.resize(target.size)
        keep = math.exp(-frame.dt / p["swarm.trail"]) if p["swarm.trail"] > 0 else 0.0
        turn = p["swarm.hue_drift"] * self.time / 60.0
        self.state.bind()
        self.light.splat(
            self.state.count,
            dict(
                u_aspect=width / height, u_footprint=max(p["swarm.size"] * height / 1080.0 - 1.0, 0.0) / 2.0,
                u_light=self._bot_light(p, places[self.visits.current][2], height) * (1.0 - keep),
                u_glyph_glow=p["swarm.glyph_glow"], u_time=self.time, u_frame=frame.index,
                u_core=turn_hue(srgb_to_linear(p["swarm.palette.core"]), turn),
                u_edge=turn_hue(srgb_to_linear(p["swarm.palette.edge"]), turn),
                u_spark=tuple(float(v) for v in srgb_to_linear(p["swarm.palette.spark"])), u_seed=frame.seed,
                **self._resident_light(),
                **self._fault_uniforms(frame, places),
            ),
        )
        self.light.resolve(keep)
        self.light.add_into(target)

    def _resident_light(self) -> dict:
        """Bots staying on visited glyphs light them at RESIDENT_GLOW of a formed glyph however
        many glyphs share them: each resident's light grows as residents per glyph fall."""
        share, visited = self._residents, int(self.visits.visited.sum()) - 1
        if share <= 0.0 or visited <= 0:
            return dict(u_residents=0.0, u_resident_light=1.0)
        return dict(u_residents=share, u_resident_light=RESIDENT_GLOW * (1.0 - share) * visited / share)

    def _bot_light(self, p, scale: float, height: int) -> float:
        """Light of one bot, shared out so that a formed glyph's ink reads the same for any
        count, footprint, glyph size and resolution: bots per ink pixel grow with the count
        and shrink with the glyph's area in pixels."""
        return p["swarm.brightness"] * INK_LIGHT * (height * scale) ** 2 / self.state.count

    def _aim(self, places: np.ndarray, residents: float, seed: int) -> None:
        """Give every bot its own point on the current glyph, at its place on the wall; a
        `residents` share stays on the glyphs visited before (the roster)."""
        current = self.visits.current
        others = [i for i in np.flatnonzero(self.visits.visited) if i != current]
        roster = np.array([[*places[i], GlyphAtlas.sample_base(i)] for i in others], np.float32).reshape(-1, 4)
        if roster.nbytes > self._roster.size:
            self._roster.release()
            self._roster = self.ctx.buffer(reserve=roster.nbytes)
        if len(roster):
            self._roster.write(roster.tobytes())
        self._roster.bind_to_storage_buffer(ROSTER_BINDING)
        self.atlas.samples.bind_to_storage_buffer(SAMPLES_BINDING)
        count = self.state.count
        dispatch(
            self.ctx, self._retarget, count,
            dict(u_end=count, u_count=count, u_sample_base=GlyphAtlas.sample_base(current), u_sample_count=SAMPLES,
                 u_place=tuple(float(v) for v in places[current]), u_roster_size=len(roster),
                 u_residents=residents, u_seed=seed),
        )

    def release(self) -> None:
        for thing in (self.state, self.currents, self.light, self.atlas, self._roster):
            thing.release()


def turn_hue(colour: np.ndarray, turns: float) -> tuple[float, float, float]:
    """The colour turned about the grey axis (Rodrigues' rotation of the RGB cube), kept non-negative."""
    k = np.full(3, 3 ** -0.5)
    a = turns * 2 * math.pi
    turned = colour * math.cos(a) + np.cross(k, colour) * math.sin(a) + k * k.dot(colour) * (1 - math.cos(a))
    return tuple(float(v) for v in np.maximum(turned, 0.0))
