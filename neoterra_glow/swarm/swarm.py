"""The nanobots: a swarm of GPU particles that forms each community member's smile in turn.

This stage moves the bots (compute passes) and hands them on; the light stage
(swarm/light.py) makes their light, and the smile is that light: where bots fail, the
face fails. All motion runs on the swarm's own clock (frame time times speed), in fixed
steps of STEP whatever the output's frame rate, so a 2 fps preview, a 24 fps render and a
60 fps show form the same faces, and a fixed-clock render is the same every time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import moderngl
import numpy as np

from neoterra_glow.control.beat import crossed
from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Kind, Param
from neoterra_glow.glitch.faults import kinds, particle_uniforms
from neoterra_glow.glyphs.atlas import CRACK_BINDING, POSES_BINDING, SAMPLES_BINDING, GlyphAtlas
from neoterra_glow.glyphs.glyph import SAMPLES, Glyph
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import uniforms_for
from neoterra_glow.swarm.currents import Currents
from neoterra_glow.swarm.gathering import FORMED, GOLDEN, LAYOUTS, Visits, joined, parting, placements, smoothstep, threaded
from neoterra_glow.swarm.life import name_die, pose_weights
from neoterra_glow.swarm.state import SwarmState

ROSTER_BINDING = 3  # shaders/swarm/bot.glsl
HUES_BINDING = 6
STEP = 1.0 / 60.0  # the simulation's own step, in the swarm's seconds
MOST_STEPS = 60  # a frame's most steps: slower than 1 fps (at speed 1), the steps grow instead of the frame's cost
WHEEL_JITTER = 0.02  # of the wheel a face's own name moves it from its place in the roster's walk
SCATTER_SECONDS = 2.4
SEAM_SEEN = 9.0  # seconds (the show's) a face an embrace heals stays from the embrace on, and while it lasts: its seam grows in a
                 # second, is seen 8
SEAM_DRAWN = 2.0  # seconds (the show's) a seam takes to be drawn in along its crack from one end, from its embrace's first step
STEP_FAULTS = kinds(stage="step")  # compiled into step.comp, not step_calm.comp


@dataclass(frozen=True)
class Bots:
    """The swarm stage's product: the bots on the GPU, and what their light depends on."""

    state: SwarmState
    scale: float  # of the glyph being formed, in frame units
    centre: tuple[float, float]  # and where it sits
    time: float  # the swarm's own clock
    residents: float  # share of the bots whose die keeps them on a wall's faces (resident_share), 0 with none but this one
    visited: int  # glyphs visited before this one
    step: float  # the swarm's seconds simulated this frame: how far back a bot's streak reaches
    glyph: int  # the glyph being formed
    pose: tuple[float, float, float]  # its pose weights (blink, laugh, tender), as the last step moved its targets
    atlas: GlyphAtlas  # the glyphs' targets and poses
    roster: Any  # the visited glyphs' places, this one's too (buffer at ROSTER_BINDING), which residents light
    roster_size: int
    hues: Any  # each glyph's own colour: place on the wheel of hues and blend (buffer at HUES_BINDING)
    parting: tuple[float, float, float] = (0.0, 0.0, 0.0)  # where the room's dust parts round the face (wall.parting)
    threaded: tuple = ()  # the faces a wall's threads of light join (wall.threaded)
    aloft: float = 0.0  # 0..1, rising and falling over a flight from one face's place to the next (flight_seconds)
    changing: float = 0.0  # 1 while the swarm changes from one face (or the show's first haze) to the next, 0 once it has formed
    scar_homes: tuple[int, int] = (0, 0)  # the faces whose scars show, as bits of their index (shaders/swarm/fault.glsl's at_home)
    left: tuple | None = None  # the face it left for this one: (glyph, (x, y, scale)); None on the show's first
    visit_time: float = 0.0  # seconds since it set off for this one
    between_faces: float = 0.0  # `changing`, but 0 on the show's first face: how much the bots' faults wait (Swarm._between_faces)


STEERING = (  # the step shader's own uniforms (swarm.flow feeds u_flow)
    Param("swarm.cohesion", Kind.FLOAT, 4.0, "how hard bots hold to their glyph; low is loose and fluttering", (0.0, 20.0),
          smoothing=0.4),
    Param("swarm.tremble", Kind.FLOAT, 0.25, "restlessness of a settled bot", (0.0, 4.0), smoothing=0.3),
    Param("swarm.flow", Kind.FLOAT, 0.8, "strength of the currents bots ride between glyphs", (0.0, 6.0), smoothing=0.5),
    Param("swarm.swing", Kind.FLOAT, 0.7, "how far bots swing sideways on their way to a glyph", (0.0, 3.0), smoothing=0.5),
    Param("swarm.stagger", Kind.FLOAT, 1.5, "seconds over which bots leave one glyph for the next", (0.0, 10.0)),
)
LIFE = (
    Param("swarm.expression", Kind.FLOAT, 0.0, "what a formed face shows, from joy (0) to tenderness, its vulnerability (1)",
          (0.0, 1.0), smoothing=1.5),
)


class Swarm:
    """The swarm's motion stage: bots seek their glyph's targets, ride the currents, suffer faults."""

    name = "swarm"
    inputs = ()
    atlas: GlyphAtlas  # the glyphs' targets and poses, and each glyph's own colour (made by show)
    _hues: moderngl.Buffer
    params = (
        Param("swarm.count", Kind.INT, 200_000, "how many nanobots; changes live, keeping the bots that stay", (10_000, 64_000_000),
              steps=True),
        Param("swarm.speed", Kind.FLOAT, 1.0, "how fast the swarm lives: all motion, morphs and currents", (0.0, 4.0), smoothing=0.5),
        *STEERING,
        *LIFE,
        Param("swarm.hold", Kind.FLOAT, 7.0, "seconds the swarm stays with each glyph", (0.5, 600.0)),
        Param("swarm.layout", Kind.ENUM, "centre", "where the glyphs sit: one at a time in the centre, or a grid, wall or ring",
              choices=LAYOUTS),
        Param("swarm.memory", Kind.FLOAT, 0.3, "share of the bots that stay on visited glyphs of a wall, keeping them lit", (0.0, 0.8)),
        Param("swarm.scatter", Kind.TRIGGER, False, "burst the swarm apart; it reforms by itself"),
        Param("swarm.next", Kind.TRIGGER, False, "move on to the next glyph now"),
    )

    keeps = ("glyphs", "_atlas_number", "_own", "_arrivals", "visits", "time", "_residents", "_aimed_at", "_scatter_left", "_position",
             "state", "_owed", "_pose", "_burst", "_forming", "_came_from", "_left", "_seam_began")

    def __init__(self, build: Build) -> None:
        self.ctx = ctx = build.ctx
        library = build.library
        self.state = SwarmState(ctx, library)
        self.currents = Currents(ctx, library)
        self._retarget = library.program("swarm/retarget.comp")
        self._step = library.program("swarm/step.comp")
        self._step_calm = library.program("swarm/step_calm.comp")
        self.time = 0.0
        self._atlas_number = 0  # which atlas the targets were aimed with (0: none made yet)
        self._roster = ctx.buffer(reserve=16)
        self._roster_size = 0
        self._owed = 0.0  # the swarm's seconds not yet simulated: less than half a step either way
        self._pose = (0.0, 0.0, 0.0)
        self._burst = 0.0  # a scatter's burst, given with the next step
        self._residents = 0.0
        self._aimed_at: tuple | None = None  # what the targets were last set for
        self._scatter_left = 0.0
        self._position = 0.0  # the beat clock's, at the last frame
        self._forming = 0  # the glyph the steps last formed,
        self._came_from: tuple | None = None  # and the place of the one before it, which the swarm flies from (None: no flight),
        self._left = 0  # and which glyph that was, whose colour its bots wear until they have left it
        self._seam_began: float | None = None  # the swarm's time an embrace first healed the face being formed (None: not yet)
        self.show(build.glyphs)

    def show(self, glyphs: Sequence[Glyph]) -> None:
        """Form these glyphs from now on, starting with the first (a preset with none: the engine's own)."""
        glyphs = list(glyphs) or [smile_glyph("neoterra glow")]
        self._use(glyphs)
        self.visits = Visits(len(glyphs))
        self._own = len(glyphs)  # the preset's: the glyphs visitors add come after them
        self._arrivals: list[int] = []  # the visitors' glyphs' places in the atlas, the oldest first

    def add(self, glyph: Glyph, keep: int) -> None:
        """A visitor's glyph joins the wall and the swarm forms it next; beyond `keep` visitors'
        glyphs, it takes the oldest's place. Every other face keeps its place on the wall, and its
        place in the atlas, so its crack is not found again (a 24-face wall froze a show for 6 s)."""
        glyphs = list(self.atlas.glyphs)
        if len(self._arrivals) < keep:
            glyphs.append(glyph)
            slot = len(glyphs) - 1
        else:
            slot = self._arrivals.pop(0)
            glyphs[slot] = glyph
        self._use(glyphs)
        self._arrivals.append(slot)
        self.visits = joined(self.visits, len(glyphs), slot)

    @property
    def glyphs(self) -> list[Glyph]:
        return self.atlas.glyphs

    @glyphs.setter
    def glyphs(self, glyphs: list[Glyph]) -> None:  # from a checkpoint: visitors' glyphs included
        self._use(glyphs)

    def _use(self, glyphs: list[Glyph]) -> None:
        atlas = GlyphAtlas(self.ctx, glyphs)  # made before the old one goes, so a failure changes nothing
        if self._atlas_number:
            self.atlas.release()
            self._hues.release()
        self.atlas = atlas
        self._hues = self.ctx.buffer(np.array(face_colours([glyph.name for glyph in glyphs]), np.float32).tobytes())
        self._atlas_number += 1
        self._aimed_at = None

    def places(self, params, size: tuple[int, int]) -> np.ndarray:
        """Where each glyph sits for this frame's layout and aspect."""
        return placements(params["swarm.layout"], len(self.atlas), size[0] / size[1])

    def resize(self, size: tuple[int, int]) -> None:
        """The bots live in frame units; only the light follows the render size."""

    def run(self, frame: Frame, inputs: Mapping[str, Any] = {}) -> Bots:
        """Simulate the frame's time in fixed steps of STEP (at most MOST_STEPS, larger past that),
        each one dispatch; the visits, a scatter and the face's life advance with every step."""
        p = frame.params
        aspect = frame.size[0] / frame.size[1]
        self._owed += frame.dt * p["swarm.speed"]
        steps = math.floor(self._owed / STEP + 0.5 + 1e-6)  # rounded (halves up), so a live show's jittery 1/60 s steps once
        dt = STEP if steps <= MOST_STEPS else self._owed / MOST_STEPS
        steps = min(steps, MOST_STEPS)
        self._owed -= steps * dt
        self.state.resize(p["swarm.count"], frame.seed, aspect)
        self.state.bind()
        on_beat = crossed(self._position, p["tempo.position"], p["tempo.morphs"], p["tempo.bpm"])
        self._position = p["tempo.position"]
        places = self.places(p, frame.size)
        if p["swarm.scatter"]:
            self._scatter_left, self._burst = SCATTER_SECONDS, 1.4
        if steps == 0:  # a frame shorter than half a step: a move asked for now still counts
            self.visits.advance(0.0, p["swarm.hold"], p["swarm.next"], on_beat)

        self.currents.update(self.time, frame.seed, aspect)
        self.currents.texture.use(0)
        uniforms = uniforms_for(STEERING, p)
        uniforms.update(u_end=self.state.count, u_dt=dt, u_aspect=aspect, u_currents=0, u_seed=frame.seed,
                        **self._fault_uniforms(frame, places))
        faulty = any(frame.faults[kind] > 0 for kind in STEP_FAULTS)
        program = self._step if faulty else self._step_calm
        self.atlas.samples.bind_to_storage_buffer(SAMPLES_BINDING)  # retargeting binds the same: bound once a frame
        self.atlas.poses.bind_to_storage_buffer(POSES_BINDING)
        self.atlas.cracks.bind_to_storage_buffer(CRACK_BINDING)
        self._roster.bind_to_storage_buffer(ROSTER_BINDING)  # a wall's scars keep to their faces: the step finds them here
        for step in range(steps):
            self.time += dt
            self.visits.advance(dt, p["swarm.hold"], p["swarm.next"] and step == 0, on_beat)
            aim = (self.visits.current, self.state.count, p["swarm.layout"], p["swarm.memory"], aspect, self._atlas_number)
            if aim != self._aimed_at:
                faces = int(self.visits.visited.sum())
                self._residents = resident_share(p["swarm.memory"], faces) if p["swarm.layout"] != "centre" else 0.0
                self._aim(places, self._residents, frame.seed)
                self._aimed_at = aim
                uniforms.update(self._fault_uniforms(frame, places))
            self._stay_healed(frame)
            if self.visits.current != self._forming:
                self._came_from = tuple(float(v) for v in places[self._forming % len(places)])
                self._left = self._forming % len(places)
                self._forming = self.visits.current
                self._seam_began = None
            if frame.faults["embrace"] > 0.0 and self._seam_began is None:
                self._seam_began = self.time
            self._scatter_left = max(self._scatter_left - dt, 0.0)
            pose = self._life(p)
            uniforms.update(
                u_visit_time=self.visits.time, u_hold_back=smoothstep(0.0, SCATTER_SECONDS * 0.6, self._scatter_left),
                u_centre=tuple(float(v) for v in places[self.visits.current][:2]), u_burst=self._burst,
                u_pose=pose, u_pose_was=self._pose, u_residents=self._residents,
                u_came_from=self._came_from or tuple(float(v) for v in places[self.visits.current]),
                u_flight=self._flight(places), u_seam_front=self._seam_front(p),
                **self._pose_place(places),
            )
            dispatch(self.ctx, program, self.state.count, uniforms)
            self._pose, self._burst = pose, 0.0
            uniforms = dict(u_dt=dt)  # the rest stay set on the program
        here = places[self.visits.current]
        flight = self._flight(places)
        aloft = math.sin(math.pi * min(self.visits.time / flight, 1.0)) if flight > 0 else 0.0
        return Bots(self.state, float(here[2]), (float(here[0]), float(here[1])), self.time, self._residents,
                    int(self.visits.visited.sum()) - 1, steps * dt, self.visits.current, self._pose, self.atlas,
                    self._roster, self._roster_size, self._hues, parting(p["swarm.layout"], places, self.visits),
                    threaded(p["swarm.layout"], places, self.visits), aloft, self._changing(p), self._scar_homes(),
                    None if self._came_from is None else (self._left, self._came_from), self.visits.time, self._between_faces(p))

    def _stay_healed(self, frame: Frame) -> None:
        """Keep a face an embrace heals SEAM_SEEN seconds from the embrace's first step on it, and while the embrace lasts,
        past the hold if need be: one face at a time (no residents), a scar leaves with its face and the next starts whole,
        so a seam healed near the end of its face's hold was seen for a moment (festival's, from 14 s until its face left at
        16.25 s), or never; and a long embrace, a piece's ending, holds its healed face to the end (Visits.heal)."""
        if frame.faults["embrace"] > 0.0 and self._residents == 0.0:
            self.visits.heal(SEAM_SEEN * frame.params["swarm.speed"])

    def _seam_front(self, p) -> float:
        """How far along its crack the face's seam is drawn in, 0..1: from one end over SEAM_DRAWN seconds from the first
        embrace on it, so the gold is seen to run along the break (seated bots settled all along it at once); 1 before any
        embrace, so a seam healed on an earlier visit, or on another of a wall's faces, is whole."""
        if self._seam_began is None:
            return 1.0
        return min((self.time - self._seam_began) / max(SEAM_DRAWN * p["swarm.speed"], 1e-6), 1.0)

    def _changing(self, p) -> float:
        """1 while the swarm leaves one face for the next (or, for the show's first, the haze it starts as), falling to 0
        as the new one forms: its light is beads with short trails meanwhile, so the first face forms crisp, not in a glow."""
        return 1.0 - smoothstep(FORMED, FORMED + p["swarm.stagger"], self.visits.time)

    def _between_faces(self, p) -> float:
        """`_changing`, but 0 on the show's first face: the bots' faults wait while one face changes into the next (a
        change never reads as a fault's mess), not while the first forms out of its haze."""
        return 0.0 if self._came_from is None else self._changing(p)

    def _flight(self, places: np.ndarray) -> float:
        """Seconds the flight to the current glyph's place takes (0: none: the first, or one in the same place)."""
        return 0.0 if self._came_from is None else flight_seconds(self._came_from, places[self.visits.current])

    def _life(self, p) -> tuple[float, float, float]:
        """The pose weights of the face being formed, at the swarm's time now."""
        return pose_weights(self.visits.time, self.time, self.atlas.glyphs[self.visits.current].name, p["emotion.joy"],
                            p["tempo.position"], p["tempo.bpm"], p["swarm.expression"])

    def _pose_place(self, places: np.ndarray) -> dict:
        """Whose poses the step reads: the current glyph's targets, at its scale."""
        return dict(u_pose_base=GlyphAtlas.sample_base(self.visits.current), u_pose_scale=float(places[self.visits.current][2]))

    def _scar_homes(self) -> tuple[int, int]:
        """The faces whose scars show, as bits of their index's low six (the scar's own record of its face): the one
        being formed, and on a wall (with residents) every visited one. A scar stays with the face that earned it, so in
        the centre layout the next face starts whole."""
        faces = np.flatnonzero(self.visits.visited) if self._residents > 0.0 else np.zeros(0, np.int64)
        bits = 0
        for face in [*faces, self.visits.current]:
            bits |= 1 << (int(face) & 63)
        return bits & 0xFFFFFFFF, bits >> 32

    def _fault_uniforms(self, frame: Frame, places: np.ndarray) -> dict:
        """The malfunctions the bots suffer this frame; swapped bots draw the next glyph, and healed scarred bots fill
        their own face's crack while it is shown (on a wall, found in the roster)."""
        faults = frame.faults
        wrong = (self.visits.current + 1) % len(self.atlas)
        return {
            **particle_uniforms(faults, self._between_faces(frame.params)), "u_count": self.state.count,
            "u_sample_count": SAMPLES, "u_wrong_base": GlyphAtlas.sample_base(wrong),
            "u_wrong_place": tuple(float(v) for v in places[wrong]),
            "u_crack_base": GlyphAtlas.crack_base(self.visits.current), "u_place": tuple(float(v) for v in places[self.visits.current]),
            "u_roster_size": self._roster_size, "u_scar_homes": self._scar_homes(),
        }

    def _aim(self, places: np.ndarray, residents: float, seed: int) -> None:
        """Give every bot its own point on the current glyph, at its place on the wall; a
        `residents` share stays on the glyphs visited (the roster, this one included: shaders/swarm/home.glsl)."""
        current = self.visits.current
        roster = np.array([[*places[i], GlyphAtlas.sample_base(int(i))] for i in np.flatnonzero(self.visits.visited)],
                          np.float32).reshape(-1, 4)
        if roster.nbytes > self._roster.size:
            self._roster.release()
            self._roster = self.ctx.buffer(reserve=roster.nbytes)
        if len(roster):
            self._roster.write(roster.tobytes())
        self._roster_size = len(roster)
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
        for thing in (self.state, self.currents, self.atlas, self._roster, self._hues):
            thing.release()


def resident_share(memory: float, faces: int) -> float:
    """The share of the bots whose die keeps them on a wall's `faces` (the visited ones, the one being formed included):
    spread evenly over all of them (shaders/swarm/home.glsl), so the one being formed keeps 1 - `memory` of the swarm and
    each other face memory / (faces - 1), as the swarm's memory says; at most all of them (a memory over a half with two
    faces gives the one being formed more). None while only one face has been visited."""
    return 0.0 if faces < 2 else min(memory * faces / (faces - 1), 1.0)


def flight_seconds(came_from, place) -> float:
    """Seconds the swarm takes to fly as one flock from one face's place to the next's (shaders/swarm/step.glsl's
    carrier): longer the further, eased in for a short hop; none for a face in the same place."""
    far = math.dist(came_from[:2], place[:2])
    return 0.0 if far < 1e-3 else 0.4 * smoothstep(0.0, 0.2, far) + 0.7 * far


def face_colours(names: list[str]) -> list[tuple[float, float]]:
    """Each face's own colour, stable from run to run: its place round the wheel of hues (0..1,
    which the splat lays over the wheel outside gold's family, leaning to the palette's hues) and
    where it sits between the preset's two colours (0 its core, 1 its edge), which gives it the
    palette's saturation and light. The first eleven places are first_places', turned by the
    first name; the rest, and the blends, are golden-ratio walks, the place nudged by each face's own
    name: faces spread over the whole wheel however many join, and two in a row are always far apart
    in hue and in blend, so no neighbours share a colour."""
    start = name_die(names[0], 4) if names else 0.0
    turn = name_die(names[0], 5) if names else 0.0
    walk = [2.0 * ((start + k * GOLDEN) % 1.0) - 1.0 for k in range(len(names))]
    ends = [0.5 + 0.5 * math.copysign(abs(w) ** 0.7, w) for w in walk]  # a little towards either colour: few sit halfway
    places = first_places(turn)[:len(names)]
    places += [(places[-1] + (k - len(places) + 1) * GOLDEN + WHEEL_JITTER * (2.0 * name_die(name, 3) - 1.0)) % 1.0
               for k, name in enumerate(names) if k >= len(places)]
    return list(zip(places, ends, strict=True))


def first_places(turn: float) -> list[float]:
    """The first eleven faces' places on the arc of hues (0 and 1 its two ends, either side of gold): six in even
    steps over the whole arc, then five between them, each lot in an order that keeps two in a row far apart,
    turned by `turn`. A golden walk put its nearest two of six a tenth of the wheel apart: three of a wall's six pink."""
    six = [((j + int(turn * 6)) % 6) / 5 for j in (0, 3, 1, 5, 2, 4)]
    return six + [(2 * ((m + int(turn * 5)) % 5) + 1) / 10 for m in (0, 3, 1, 4, 2)]
