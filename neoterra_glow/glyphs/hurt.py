"""Where the faults break a face, as the shaders pick it (shaders/swarm/fault.glsl), in glyph units: the cascade's
reach from its start off the upper right, and the stall's patch. Only these two leave wounds (a scatter and a swap
shake the face; nothing breaks), so a face's crack (glyphs/crack.py) runs there: the seam follows the break.

The shader's integer hash (pcg3d, Jarzynski and Olano, JCGT 2020) and gradient noise are written again here with numpy,
bit for bit where it matters: the same dice pick the same stall patch.
"""

from __future__ import annotations

import numpy as np

from neoterra_glow.glyphs.glyph import SAMPLES, Glyph

BREAK = np.array([0.7, 1.9])  # fault.glsl's: where the cascade starts, in the glyph's scale from its centre,
NEAREST, FURTHEST = 1.0, 3.2  # the face's nearest and furthest ink from there,
WARP, VEINS = 0.45, 0.18  # how far the noise bends its front and how far its veins run ahead,
CASCADE_REACH = 0.35  # and how much of the face it reaches at the most
PATCH = 0.4  # a stall's patch's radius (fault.glsl's PATCH and PATCH_GROWTH at a middling stall of 0.3)
LAUGH_MOVE = 0.02  # fault.glsl's moves(): a target moving in a blink, or this far in a laugh, is an eye or the mouth


def hurt(glyph: Glyph, index: int) -> np.ndarray:
    """(SAMPLES,) bool: which of the glyph's targets a cascade or a stall breaks when the glyph is atlas glyph `index`
    (the stall's patch is picked by its first sample); the eyes and mouth, which faults spare, never."""
    points = glyph.samples[:, :2].astype(np.float64)
    spared = moves(glyph)
    first = index * SAMPLES
    k = 0
    for n in range(4):
        k = min(int(hash33(first, 61, n)[0] * SAMPLES), SAMPLES - 1)
        if not spared[k]:
            break
    stalled = np.linalg.norm(points - points[k], axis=1) < PATCH
    return ((reached(points) < CASCADE_REACH) | stalled) & ~spared


def moves(glyph: Glyph) -> np.ndarray:
    """Which targets light an eye or the mouth: they move in a blink, or far in a laugh."""
    assert glyph.poses is not None  # filled when the glyph is made
    blink, laugh = glyph.poses[:, 0], glyph.poses[:, 1]
    return ((blink**2).sum(axis=1) > 1e-8) | ((laugh**2).sum(axis=1) > LAUGH_MOVE**2)


def reached(points: np.ndarray) -> np.ndarray:
    """How far (0..1, the share of the face crossed) the cascade's front must come to reach each point."""
    bend = np.column_stack([gradient_noise(np.column_stack([points * 1.4, np.full(len(points), z)])) for z in (3.1, 9.7)])
    vein = 1.0 - np.abs(gradient_noise(np.column_stack([points * 3.2 + bend, np.full(len(points), 5.3)])))
    t = (np.linalg.norm(points + WARP * bend - BREAK, axis=1) - NEAREST) / (FURTHEST - NEAREST)
    return t - np.sin(2.0 * np.pi * t) / (2.0 * np.pi) - VEINS * vein**8


def pcg3d(x, y, z) -> np.ndarray:
    """(3, ...) uint32: common/hash.glsl's pcg3d of integer cells (negative ones wrap, as uvec3() casts them)."""
    v = [np.asarray(c, np.int64).astype(np.uint64) & 0xFFFFFFFF for c in np.broadcast_arrays(x, y, z)]
    mask = np.uint64(0xFFFFFFFF)
    v = [(c * np.uint64(1664525) + np.uint64(1013904223)) & mask for c in v]
    for n in range(2):
        v[0] = (v[0] + v[1] * v[2]) & mask
        v[1] = (v[1] + v[2] * v[0]) & mask
        v[2] = (v[2] + v[0] * v[1]) & mask
        if n == 0:
            v = [c ^ (c >> np.uint64(16)) for c in v]
    return np.array(v)


def hash33(x, y, z) -> np.ndarray:
    """(3, ...) in [0, 1): common/hash.glsl's hash33."""
    return pcg3d(x, y, z).astype(np.float64) / 4294967296.0


def gradient_noise(p: np.ndarray) -> np.ndarray:
    """common/noise.glsl's gradient noise at each (N, 3) point."""
    cell = np.floor(p).astype(np.int64)
    f = p - cell
    fade = f * f * f * (f * (f * 6.0 - 15.0) + 10.0)
    corners = []
    for c in range(8):
        offset = np.array([c & 1, (c >> 1) & 1, (c >> 2) & 1])
        at = cell + offset
        gradient = hash33(at[:, 0], at[:, 1], at[:, 2]).T * 2.0 - 1.0
        corners.append((gradient * (f - offset)).sum(axis=1))
    x = [corners[n] + (corners[n + 1] - corners[n]) * fade[:, 0] for n in (0, 2, 4, 6)]
    y = [x[n] + (x[n + 1] - x[n]) * fade[:, 1] for n in (0, 2)]
    return (y[0] + (y[1] - y[0]) * fade[:, 2]) * 1.6
