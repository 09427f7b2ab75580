"""The shipped murals' look: behind a face, none reads as stock wallpaper or a music visualiser."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.audio.analysis import Analyser
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.pipeline import declare_params
from neoterra_glow.resources import data_dir
from tests.audio.sounds import tone
from tests.conftest import SMALL, frame_at, pixels

LUMA = np.array([0.2126, 0.7152, 0.0722])


@pytest.fixture
def mural(ctx, library):
    """Render one shipped mural alone, uncapped, at frame 40 (and hearing `audio`, if given)."""
    made = []

    def render(shader: str, audio=None) -> np.ndarray:
        spec = layer_spec({"shader": shader}, data_dir("shaders"))
        registry = declare_params([spec])
        registry.set("murals.ceiling", 4.0, immediate=True)  # the mural's own light
        stack, target = MuralStack(Build(ctx, library, SMALL, layers=[spec])), Target(ctx, SMALL)
        made.extend((stack, target))
        stack.compose(dataclasses.replace(frame_at(registry, 40), audio=audio), target, stack._black)
        return pixels(target, 3)[::-1] @ LUMA  # top row first

    yield render
    for thing in made:
        thing.release()


def dark_share(light: np.ndarray) -> float:
    return float((light < 0.05 * np.percentile(light, 99.5)).mean())


def test_the_aurora_has_no_hard_edged_band(mural):
    light = mural("aurora")
    steps = np.abs(np.diff(light, axis=0))  # from row to row: a flat band's hard lower edge is one big step
    assert np.percentile(steps, 99.5) < 0.1 * np.percentile(light, 99.5)
    assert light[: SMALL[1] // 3].mean() > 4 * light[-SMALL[1] // 3:].mean()  # still hanging from the top of the sky


@pytest.mark.parametrize("shader, dark", [("cells", 0.6), ("tapestry", 0.7)])
def test_cells_and_tapestry_leave_most_of_the_dark_open_not_a_fence_or_a_screen(mural, shader, dark):
    light = mural(shader)
    assert dark_share(light) > dark
    assert light.max() > 0.1  # and there is something there


def test_resonance_plays_with_the_sound_without_bars_or_a_horizon(mural):
    analyser = Analyser()
    sound = tone(60.0, 1.0) + 0.5 * tone(440.0, 1.0) + 0.3 * tone(3000.0, 1.0)
    for start in range(0, 48_000, 512):
        hearing = analyser.feed(sound[start:start + 512])
    quiet, loud = mural("resonance"), mural("resonance", hearing)
    assert loud.mean() > 3 * quiet.mean()
    rows = loud.mean(axis=1)
    assert np.abs(np.diff(rows)).max() < 0.3 * rows.max()  # no horizon: no row where the light begins
