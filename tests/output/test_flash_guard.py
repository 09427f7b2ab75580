"""The flash guard on real frames: strobing is held to three flashes a second, and nothing
else is touched."""

import logging

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.flash_guard import FlashGuard
from tests.conftest import SMALL, frame_at

FPS = 30


@pytest.fixture
def guard(ctx, library):
    made = FlashGuard(Build(ctx, library, SMALL))
    yield made
    made.release()


@pytest.fixture
def image(ctx):
    made = Target(ctx, SMALL, dtype="f1")
    yield made
    made.release()


def shown(guard, registry, image, grey_levels) -> list[float]:
    """The mean luminance shown for each frame of grey levels (0..1 in sRGB)."""
    means = []
    for index, level in enumerate(grey_levels):
        image.fbo.clear(level, level, level, 1.0)
        out = guard.run(frame_at(registry, index, fps=FPS), {"image": image})
        srgb = np.frombuffer(out.texture.read(), np.uint8).reshape(-1, 4)[:, 0].mean() / 255.0
        means.append(srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4)
    return means


def most_flashes_in_a_second(means: list[float]) -> int:
    """Flashes (pairs of opposing changes of a tenth of full luminance) in the worst second."""
    turns, anchor, trend = [], means[0], 0
    for index, value in enumerate(means):
        if trend >= 0 and value <= anchor - 0.1 or trend <= 0 and value >= anchor + 0.1:
            trend, anchor = (1 if value > anchor else -1), value
            turns.append(index)
        elif trend > 0 and value > anchor or trend < 0 and value < anchor:
            anchor = value
    return max((sum(1 for t in turns if start <= t < start + FPS) // 2 for start in range(len(means))), default=0)


def test_a_strobe_is_held_to_three_flashes_a_second(guard, registry, image):
    strobe = [1.0 if (index // 2) % 2 else 0.0 for index in range(3 * FPS)]  # 7.5 flashes a second
    assert most_flashes_in_a_second(strobe) > 3
    means = shown(guard, registry, image, strobe)
    assert most_flashes_in_a_second(means) <= 3
    assert guard.held > 0


def test_an_operator_may_lower_the_limit(guard, registry, image):
    registry.set("output.flashes", 1.0, immediate=True)
    strobe = [1.0 if (index // 4) % 2 else 0.0 for index in range(3 * FPS)]
    assert most_flashes_in_a_second(shown(guard, registry, image, strobe)) <= 1


def test_fades_and_single_cuts_pass_untouched(guard, registry, image):
    fade = [index / (2 * FPS) for index in range(2 * FPS)] + [0.0] * 10 + [1.0] * 10  # a fade, a cut, a cut back
    means = shown(guard, registry, image, fade)
    expected = [(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4) for v in fade]
    assert np.allclose(means, expected, atol=0.01)
    assert guard.held == 0


def test_switching_the_guard_off_is_said_in_the_log(guard, registry, image, caplog):
    registry.set("output.flash_guard", False, immediate=True)
    strobe = [float(index % 2) for index in range(FPS)]
    with caplog.at_level(logging.WARNING):
        means = shown(guard, registry, image, strobe)
    assert most_flashes_in_a_second(means) > 3
    assert "flash guard is off" in caplog.text
