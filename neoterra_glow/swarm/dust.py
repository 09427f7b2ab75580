"""Dust at depths of its own around the swarm's plane: a few large, soft, faint out-of-focus
motes in front (bokeh, at the camera's depth 1.5, so they sweep past with the most parallax),
fine specks behind (depth 0.7), and on the swarm's plane the room's spare bots: round a lone
face they drift in a few loose, churning schools that part round it and fade out long before it,
so the frame lives once a face has formed without ever crossing it (rows of equal dashes read as
stock scanlines); on a wall they flow along threads of light from each face to its
neighbours. A warm room (swarm.embers) sends a few spare bots up from the floor as embers: warm
sparks that rise slowly round the face, flicker softly and go out. Drawn as points over the
swarm's light, each a pure function of time, seed and where the faces are: nothing to simulate
or checkpoint.
"""

from __future__ import annotations

import moderngl

from neoterra_glow.core.camera import view
from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.swarm.gathering import MOST_THREADED

FRONT = 16  # bokeh motes: few, so each reads as a shape
BEHIND = 1200  # fine specks
STREAMING = 2400  # specks in the schools drifting round the face: a whisper, not rows of dashes
THREAD = 240  # specks along each thread between two faces of a wall
EMBERS = 70  # embers rising at once, when the room has them: sparse, each a spark of its own
FRONT_DEPTH, BEHIND_DEPTH = 1.5, 0.7


class Dust:
    """Out-of-focus dust in front of and behind the swarm's plane, so the picture has depth."""

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary) -> None:
        self.ctx = ctx
        self._shader = library.program("swarm/dust.vert", "swarm/dust.frag")
        self._vao = ctx.vertex_array(self._shader.program, [])

    def draw(self, frame: Frame, target: Target, palette: tuple[tuple[float, ...], tuple[float, ...]],
             parting: tuple[float, float, float] = (0.0, 0.0, 0.0), threaded: tuple = ()) -> None:
        """Add the dust's light into the target (swarm.dust sets how much; 0: none) and the embers' (swarm.embers);
        its streams part round `parting` (a face's centre and radius, frame units; radius 0: no streams), as the
        embers rise round it, and its threads join the neighbours among `threaded` (faces' centres and scales)."""
        p = frame.params
        embers = EMBERS if p["swarm.embers"] > 0.0 else 0
        if p["swarm.dust"] <= 0.0 and not embers:
            return
        width, height = target.size
        flowing = p["swarm.dust"] > 0.0 and p["swarm.streams"] > 0.0  # the room's streams and threads
        streaming = STREAMING if flowing and parting[2] > 0.0 else 0
        threaded = threaded if flowing else ()
        self._shader.set(dict(
            u_time=frame.time, u_seed=frame.seed, u_aspect=width / height, u_height=float(height), u_front=FRONT, u_behind=BEHIND,
            u_near=view(frame.time, p, FRONT_DEPTH), u_far=view(frame.time, p, BEHIND_DEPTH), u_plane=view(frame.time, p, 1.0),
            u_parting=parting, u_streaming=streaming, u_embers=embers, u_ember=p["swarm.embers"], u_threaded_count=len(threaded),
            u_threaded=[*threaded, *[(0.0, 0.0, 0.0)] * (MOST_THREADED - len(threaded))],
            u_light=p["swarm.dust"] * p["swarm.brightness"], u_streams=p["swarm.streams"], u_core=palette[0], u_edge=palette[1],
        ))
        target.fbo.use()
        self.ctx.enable(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)
        self.ctx.blend_func = moderngl.ONE, moderngl.ONE
        pairs = len(threaded) * (len(threaded) - 1) // 2
        self._vao.render(moderngl.POINTS, vertices=FRONT + BEHIND + embers + streaming + pairs * THREAD)
        self.ctx.disable(moderngl.BLEND | moderngl.PROGRAM_POINT_SIZE)

    def release(self) -> None:
        self._vao.release()
