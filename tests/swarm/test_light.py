"""The swarm's light is its bots' light: read back from the splat buffer and the resolved HDR light."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from neoterra_glow.glitch.faults import PARTICLE_KINDS
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import GLYPHS, glyph_mask, off_crack, run

SECONDS = 30  # frames a second in these tests


def shine(swarm, registry, index, target, **faults):
    """Step and draw one frame (with particle faults at these levels); the swarm's light,
    summed over colour, top row first."""
    frame = frame_at(registry, index)
    if faults:
        frame = dataclasses.replace(frame, faults=Faults(faults, front=faults.get("front", 0.0), seed=index))
    swarm.simulate(frame)
    target.fbo.clear(0.0, 0.0, 0.0, 0.0)
    swarm.draw(frame, target)
    return pixels(target, 3).sum(axis=2)[::-1]


def overlap(light, glyph=GLYPHS[0], where=True) -> float:
    """Intersection over union of where the light is (a tenth of its brightest) and the glyph's ink, `where` asked."""
    where = np.broadcast_to(where, light.shape)
    lit = (light > 0.1 * np.percentile(light[where], 99.5)) & where
    ink = glyph_mask(glyph)[::-1] & where
    return float((lit & ink).sum() / (lit | ink).sum())


def damage(light, face) -> float:
    """How much of the face's light is gone or moved: the difference as a share of the face's
    light, each seen a little blurred (5x5), so a bot's light landing a pixel or two away this
    frame (the splat samples its footprint; bots gather in knots) is not counted as damage."""
    def blurred(image):
        padded = np.pad(image, 2)
        return sum(padded[y:y + image.shape[0], x:x + image.shape[1]] for y in range(5) for x in range(5))
    return float(np.abs(blurred(light) - blurred(face)).sum() / blurred(face).sum())


@pytest.fixture
def formed(swarm, quick, target):
    """A swarm that has formed its first glyph; its light then, and the next frame's index."""
    quick.set("swarm.trail", 0.1, immediate=True)
    index = run(swarm, quick, 150)  # settled: its glow has come up
    start = index
    for index in range(start, start + 15):  # and its trail has filled in
        face = shine(swarm, quick, index, target)
    return face, index + 1


def test_the_formed_face_is_made_of_the_bots_light(swarm, quick, target, formed):
    face, _ = formed
    assert overlap(face) > 0.7
    ink = glyph_mask(GLYPHS[0])[::-1]
    assert face[ink].mean() > 10 * face[~ink].mean()


def test_with_no_lit_bots_the_swarm_adds_no_light(swarm, quick, target, formed):
    _, index = formed
    quick.set("swarm.brightness", 0.0, immediate=True)
    quick.set("swarm.trail", 0.0, immediate=True)
    shine(swarm, quick, index, target)  # what the trail kept shows once more
    assert shine(swarm, quick, index + 1, target).max() == 0.0
    assert not np.frombuffer(swarm.light.buffer.read(), np.uint32).any()


def test_bots_moved_off_the_glyph_leave_its_strokes_dark(swarm, quick, target, formed):
    _, index = formed
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.speed", 0.0, immediate=True)  # nobody moves
    raw = np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24).copy()
    pos = raw[:, 0:8].view(np.float32)
    pos[:, 0] = np.where(np.arange(len(pos)) % 2, -1.6, 1.6)  # every bot to the frame's far edges
    swarm.state.bots.write(raw.tobytes())
    shine(swarm, quick, index, target)
    light = shine(swarm, quick, index + 1, target)
    ink = glyph_mask(GLYPHS[0])[::-1]
    assert light[ink].max() == 0.0
    assert light.sum() > 0.0  # the light went with the bots


def test_the_splat_is_deterministic_and_adds_up_to_the_bots_light(ctx, library, swarm, quick, target):
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.glyph_glow", 0.0, immediate=True)
    quick.set("swarm.hue_drift", 0.0, immediate=True)
    for name in ("core", "edge", "spark"):
        quick.set(f"swarm.palette.{name}", (1.0, 1.0, 1.0), immediate=True)
    index = run(swarm, quick, 62)  # past the first face's forming (its haze dims the bots still on their way in)
    frame = frame_at(quick, index)
    swarm.simulate(frame)
    swarm.light.buffer.clear()
    swarm.draw(frame, target)
    first = pixels(target, 3)

    # every bot's light as splat.comp works it out, summed in numpy: white, not settled-boosted
    raw = np.frombuffer(swarm.state.bots.read(), np.uint8).reshape(-1, 24)
    phase = raw[:, 16:18].view(np.uint16)[:, 0] / 65535.0
    health = raw[:, 18:20].view(np.uint16)[:, 0] / 65535.0
    variation = raw[:, 22:24].view(np.uint16)[:, 0] / 65535.0
    twinkle = 0.7 + 0.3 * np.sin(2 * np.pi * (phase * 13.0 + swarm.time * (0.4 + phase)))
    brightness = 0.55 + 0.45 * np.modf(variation * 61.7)[0]
    light = swarm.light._bot_light(frame.params, swarm.bots, SMALL[1])  # the centre glyph, at CENTRE_SCALE
    pos = raw[:, 0:8].view(np.float32)
    inside = (np.abs(pos[:, 0]) < SMALL[0] / SMALL[1] - 0.02) & (np.abs(pos[:, 1]) < 0.98)
    each = light * brightness * twinkle * np.maximum(health**2, 0.05) * 0.5
    assert first.sum(axis=(0, 1)) == pytest.approx([each[inside].sum()] * 3, rel=0.01)

    swarm.light.buffer.clear()
    target.fbo.clear(0.0, 0.0, 0.0, 0.0)
    swarm.draw(frame, target)
    assert np.array_equal(pixels(target, 3), first)  # the same bots give the same bytes
    assert np.frombuffer(swarm.light.buffer.read(), np.uint32).max() < 2**31  # far from overflowing


def test_a_scatter_breaks_the_face_and_it_reforms(swarm, quick, target, formed):
    face, index = formed
    start = index
    for index in range(start, start + SECONDS):
        during = shine(swarm, quick, index, target, scatter=1.0)
    assert overlap(during) < 0.65, overlap(during)  # it throws half the face out at most (fault.glsl), eyes and mouth kept
    start = index + 1
    for index in range(start, start + 5 * SECONDS):
        after = shine(swarm, quick, index, target)
    healed = off_crack()[::-1]  # the few it hurt badly fill the glyph's crack with gold: kintsugi, test_faults.py
    assert overlap(after, where=healed) > 0.7, overlap(after, where=healed)


@pytest.mark.parametrize("kind", [kind for kind in PARTICLE_KINDS if kind not in ("colour", "flicker")])  # those two: test_faults.py
def test_every_particle_fault_visibly_breaks_the_face_and_it_heals(swarm, quick, target, formed, kind):
    face, index = formed
    start = index
    for n, index in enumerate(range(start, start + 2 * SECONDS)):
        during = shine(swarm, quick, index, target, **{kind: 0.5, "front": n / (2 * SECONDS)})
    start = index + 1
    for index in range(start, start + 5 * SECONDS):
        after = shine(swarm, quick, index, target)
    # a stall is the subtlest, and spares the eyes and mouth: its patch dims to still dots (0.19 of the bust's light; as
    # hot-white dead pixels it was 0.30, and bloomed)
    assert damage(during, face) > (0.15 if kind == "stall" else 0.25), f"{kind} at 0.5 leaves the face much as it was"
    healed = off_crack()[::-1]  # the few it hurt badly fill the glyph's crack with gold: kintsugi, test_faults.py
    assert damage(after * healed, face * healed) < 0.2, f"the face does not heal after {kind}"

