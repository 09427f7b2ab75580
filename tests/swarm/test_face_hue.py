"""A face's hue as it is seen: in the 8-bit picture, after the tone curve and the sRGB encoding, which lift a
colour's lesser channel (a linear yellow-green is seen as lime). No face is seen in gold's family, lime
included, so gold means only healing. On the real splat's light and the real tonemap."""

import numpy as np
import pytest

from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.post.tonemap import Tonemap
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import SwarmUnderTest, bots, put_bots, shine_bots

NAMES = ["Priya", "Kofi", "Hana", "Olu", "Wen", "Tomas", "Lena", "Marisol", "Bao", "Elara",
         "Kai", "Nara", "Aryn", "Ines", "Haruto", "Lucia", "Zainab", "Kwame", "Omar", "Ingrid"]
PALETTES = {  # the presets' (core, edge): default, malfunction, festival, calm
    "default": ("#7dffe3", "#8a5cff"), "malfunction": ("#7dfff0", "#ff3d8b"),
    "festival": ("#45ffd0", "#ff5fd2"), "calm": ("#7fe8ff", "#9a72ff"),
}
DRIFT = 0.5  # sways a minute: at 30 s the palette's hue is turned furthest one way, at 90 s the other


def hues(rgb: np.ndarray) -> np.ndarray:
    """HSV hue in degrees of 8-bit colours (..., 3)."""
    r, g, b = np.moveaxis(rgb.astype(np.float32), -1, 0)
    high, span = rgb.max(axis=-1), np.maximum(np.ptp(rgb, axis=-1), 1e-6)
    h = np.where(high == r, ((g - b) / span) % 6.0, np.where(high == g, (b - r) / span + 2.0, (r - g) / span + 4.0))
    return h * 60.0


@pytest.fixture
def crowd(ctx, library, quick):
    """Twenty people, every bot settled on the first one's lines and features (each face lit in turn in its own hue)."""
    made = SwarmUnderTest(Build(ctx, library, SMALL, [smile_glyph(name) for name in NAMES]))
    quick.set("swarm.trail", 0.0, immediate=True)
    quick.set("swarm.hue_drift", DRIFT, immediate=True)
    quick.set("post.tonemap.exposure", 0.4, immediate=True)  # the brightest of the presets' (festival's)
    made.simulate(frame_at(quick, 0))
    put_bots(made, bots(made)[:, 4:6])
    yield made
    made.release()


def seen_faces(ctx, library, crowd, quick, target, core: str, edge: str) -> list[np.ndarray]:
    """Each face's lit pixels (8-bit) as the tonemap shows them, at either extreme of the hue's sway."""
    quick.set("swarm.palette.core", core, immediate=True)
    quick.set("swarm.palette.edge", edge, immediate=True)
    tonemap, black = Tonemap(Build(ctx, library, SMALL)), Target(ctx, SMALL)
    try:
        black.fbo.clear(0.0, 0.0, 0.0, 0.0)
        frame = frame_at(quick, 0)
        faces = []
        for glyph in range(len(NAMES)):
            lit = []
            for time in (30.0, 90.0):
                shine_bots(crowd, frame, target, step=0.0, glyph=glyph, time=time)
                rgb = pixels(tonemap.run(frame, {"image": target, "glow": black}), 3)
                saturation = np.ptp(rgb, axis=-1) / np.maximum(rgb.max(axis=-1), 1.0)
                lit.append(rgb[(rgb.max(axis=-1) > 60) & (saturation > 0.25)])
            faces.append(np.concatenate(lit))
        return faces
    finally:
        tonemap.release()
        black.release()


@pytest.mark.parametrize("palette", list(PALETTES))
def test_no_face_is_seen_lime_or_gold_whatever_its_name_and_sway(ctx, library, crowd, quick, target, palette):
    faces = seen_faces(ctx, library, crowd, quick, target, *PALETTES[palette])
    lime = [float(((hues(face) > 45.0) & (hues(face) < 105.0)).mean()) for face in faces]
    assert min(len(face) for face in faces) > 100, "a face barely lit"
    worst = int(np.argmax(lime))
    assert max(lime) < 0.01, f"{NAMES[worst]}'s face is seen in gold's family (lime to orange): {lime[worst]:.0%} of its pixels"
