"""The swarm's test fixtures, and helpers that read the bots back from the GPU."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.glyphs.crack import crack_points
from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.swarm.gathering import placements
from neoterra_glow.swarm.light import SwarmLight
from neoterra_glow.swarm.swarm import Swarm
from tests.conftest import SMALL, frame_at, pixels

GLYPHS = [smile_glyph("Elara"), smile_glyph("Kai")]
ASPECT = SMALL[0] / SMALL[1]
PER_UNIT = SMALL[1] / 2  # pixels to one frame unit


class SwarmUnderTest:
    """The swarm's two stages as the frame graph runs them: `simulate` moves the bots (the
    swarm stage), `draw` puts their light into a target (the light stage). The motion stage's
    own state (bots, visits, atlas) reads through."""

    def __init__(self, build: Build) -> None:
        self.motion, self.light = Swarm(build), SwarmLight(build)
        self.bots = None

    def __getattr__(self, name):
        return getattr(self.motion, name)

    def simulate(self, frame) -> None:
        self.bots = self.motion.run(frame, {})

    def draw(self, frame, target) -> None:
        """Into a cleared target: the light stage's image, copied."""
        self.light.ctx.copy_framebuffer(target.fbo, self.light.run(frame, {"bots": self.bots}).fbo)

    def release(self) -> None:
        self.motion.release()
        self.light.release()


@pytest.fixture
def swarm(ctx, library):
    created = SwarmUnderTest(Build(ctx, library, SMALL, GLYPHS))
    yield created
    created.release()


def run(swarm, registry, frames: int, start: int = 0, seed: int = 1) -> int:
    for index in range(start, start + frames):
        swarm.simulate(frame_at(registry, index, seed=seed))
    return start + frames


def bots(swarm) -> np.ndarray:
    """(count, 8) floats per bot: pos xy, vel xy, target xy, phase, health, unpacked from
    the compact layout of shaders/swarm/bot.glsl (pos float, vel and target half, life unorm16)."""
    raw = np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24)
    pos = raw[:, 0:8].view(np.float32)
    halves = raw[:, 8:16].view(np.float16).astype(np.float32)
    life = raw[:, 16:20].view(np.uint16) / np.float32(65535.0)
    return np.column_stack([pos, halves, life]).astype(np.float32)


def features(count: int) -> np.ndarray:
    """Which bots light Elara's eyes or mouth: their target sample moves in a blink or a laugh."""
    moves = np.linalg.norm(GLYPHS[0].poses, axis=2)
    moving = (moves[:, 0] > 1e-4) | (moves[:, 1] > 0.02)
    return moving[np.minimum(np.arange(count) * len(moves) // count, len(moves) - 1)]


def density_mask(positions: np.ndarray, least: int = 2) -> np.ndarray:
    """Pixels of the test frame holding at least `least` bots (row 0 at the bottom)."""
    counts, _, _ = np.histogram2d(
        positions[:, 1], positions[:, 0], bins=(SMALL[1], SMALL[0]), range=[[-1, 1], [-ASPECT, ASPECT]]
    )
    return counts >= least


def glyph_mask(glyph, place=None, shade: bool = True) -> np.ndarray:
    """Where the glyph's ink falls on the test frame, from its SDF, and its shade's stipple (a face's targets off
    its lines, glyphs/shade.py) unless `shade` is false; by default, where the centre layout puts it."""
    if place is None:
        place = placements("centre", len(GLYPHS), ASPECT)[next(i for i, g in enumerate(GLYPHS) if g is glyph)]
    xs = ((np.arange(SMALL[0]) + 0.5) / SMALL[0] * 2 - 1) * ASPECT
    ys = (np.arange(SMALL[1]) + 0.5) / SMALL[1] * 2 - 1
    gx, gy = np.meshgrid((xs - place[0]) / place[2], (ys - place[1]) / place[2])
    col = np.clip(((gx + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    row = np.clip(((gy + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    inside = (np.abs(gx) < EXTENT) & (np.abs(gy) < EXTENT)
    targets = glyph.samples[:, :2]
    cell = np.clip(((targets + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int), 0, SDF_SIZE - 1)
    off = place[:2] + place[2] * targets[glyph.sdf[cell[:, 1], cell[:, 0]] >= 0]
    stipple, _, _ = np.histogram2d(off[:, 1], off[:, 0], bins=(SMALL[1], SMALL[0]), range=[[-1, 1], [-ASPECT, ASPECT]])
    return inside & (glyph.sdf[row, col] < 0) | (shade & (stipple > 0))


def crack_in_frame(glyph_index: int) -> np.ndarray:
    """The glyph's crack (kintsugi) where the centre layout puts it, densely: (N, 2) frame units."""
    place = placements("centre", len(GLYPHS), ASPECT)[glyph_index]
    crack = crack_points(GLYPHS[glyph_index], glyph_index)
    between = np.linspace(0.0, 1.0, 8, endpoint=False)[None, :, None]
    return place[:2] + place[2] * (crack[:, None, :2] + between * crack[:, None, 2:]).reshape(-1, 2)


def in_pixels(points: np.ndarray) -> np.ndarray:
    """Frame units to the test frame's pixels (x, row from the bottom), as the splat maps them with a still camera."""
    return (points / [ASPECT, 1.0] * 0.5 + 0.5) * SMALL - 0.5


def off_crack(glyph_index: int = 0, reach: int = 2) -> np.ndarray:
    """Pixels of the test frame (row 0 at the bottom) more than `reach` from the glyph's crack,
    which healed scarred bots fill: where a healed face is judged against its old self."""
    cells = np.round(in_pixels(crack_in_frame(glyph_index))).astype(int)
    cells = cells[(cells >= 0).all(axis=1) & (cells < SMALL).all(axis=1)]
    near = np.zeros((SMALL[1] + 2 * reach, SMALL[0] + 2 * reach), bool)
    for dy in range(2 * reach + 1):
        for dx in range(2 * reach + 1):
            near[cells[:, 1] + dy, cells[:, 0] + dx] = True
    return ~near[reach:-reach, reach:-reach]


def grown(mask: np.ndarray, reach: int) -> np.ndarray:
    """The mask and every pixel within `reach` of it (a square reach)."""
    padded = np.pad(mask, reach)
    out = np.zeros_like(mask)
    for dy in range(2 * reach + 1):
        for dx in range(2 * reach + 1):
            out |= padded[dy : dy + mask.shape[0], dx : dx + mask.shape[1]]
    return out


def formed(positions: np.ndarray, glyph) -> tuple[float, float]:
    """How well bots at `positions` draw `glyph` on the test frame: the share of their dense pixels
    on its ink, and the share of its ink they reach, each within a pixel (a face's lines are
    about three pixels wide here, so an exact overlap would judge the line's edge, not the face)."""
    dense, ink = density_mask(positions), glyph_mask(glyph)
    return float((dense & grown(ink, 1)).sum() / max(dense.sum(), 1)), float((ink & grown(dense, 1)).sum() / ink.sum())


def iou(a, b) -> float:
    return float((a & b).sum() / (a | b).sum())


@pytest.fixture
def quick(registry):
    """A small, brisk swarm that forms a glyph in about two seconds, seen by a still camera and
    with no dust (tests/swarm/test_depth.py has both), so all the light is the bots', where they are."""
    registry.set("swarm.count", 30_000, immediate=True)  # about 18 bots to a pixel of the face (its ink and shade) at this size
    registry.set("swarm.dust", 0.0, immediate=True)
    registry.set("swarm.glints", 0, immediate=True)
    registry.set("camera.drift", 0.0, immediate=True)
    registry.set("camera.zoom", 0.0, immediate=True)
    registry.set("swarm.speed", 2.0, immediate=True)
    registry.set("swarm.hold", 600.0)
    return registry




def put_bots(swarm, pos, vel=(0.0, 0.0), target=None) -> None:
    """Every bot at `pos` ((count, 2) or one point) moving at `vel`, its target `target` (by
    default where it is: settled); phase, health and look stay as they were."""
    raw = np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24).copy()
    count = len(raw)
    pos = np.broadcast_to(np.asarray(pos, np.float32), (count, 2))
    raw[:, 0:8] = np.ascontiguousarray(pos).view(np.uint8)
    raw[:, 8:12] = np.ascontiguousarray(np.broadcast_to(np.asarray(vel, np.float16), (count, 2))).view(np.uint8)
    target = pos if target is None else np.broadcast_to(np.asarray(target, np.float32), (count, 2))
    raw[:, 12:16] = np.ascontiguousarray(target.astype(np.float16)).view(np.uint8)
    raw[:, 18:20] = np.frombuffer(np.uint16(65535).tobytes() * count, np.uint8).reshape(count, 2)  # well
    swarm.state.bots.write(raw.tobytes())


@pytest.fixture
def target(ctx):
    made = Target(ctx, SMALL)
    yield made
    made.release()


def shine_bots(swarm, frame, target, **fields) -> np.ndarray:
    """The light of the bots as they are (with these Bots fields), row 0 at the bottom: of a swarm no longer forming a
    face unless `changing` says so (the tests' swarm has stepped once: its first face's haze is 1)."""
    swarm.light.buffer.clear()
    target.fbo.clear(0.0, 0.0, 0.0, 0.0)
    bots = dataclasses.replace(swarm.bots, **{"changing": 0.0, **fields})
    swarm.light.ctx.copy_framebuffer(target.fbo, swarm.light.run(frame, {"bots": bots}).fbo)
    return pixels(target, 3)
