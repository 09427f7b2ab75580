"""Real OpenGL for every test: Mesa llvmpipe through EGL where there is no GPU."""

from __future__ import annotations

import numpy as np
import pytest

from neoterra_glow.core.clock import FixedClock
from neoterra_glow.core.frame import Frame, advance
from neoterra_glow.gpu.context import Headless
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Target
from neoterra_glow.pipeline import declare_params

SMALL = (256, 144)


@pytest.fixture(scope="session")
def gpu():
    context = Headless()
    yield context
    context.release()


@pytest.fixture
def ctx(gpu):
    return gpu.ctx


@pytest.fixture
def library(ctx):
    shaders = ShaderLibrary(ctx)
    yield shaders
    shaders.release()


@pytest.fixture
def registry():
    return declare_params()


def frame_at(registry, index: int = 0, *, fps: int = 30, seed: int = 1, size=SMALL) -> Frame:
    """The frame a fixed clock gives at `index`, with the registry's values."""
    clock = FixedClock(fps)
    clock.index = index - 1
    return advance(clock, registry, seed, size)


def pixels(target: Target, components: int = 4) -> np.ndarray:
    """A target's pixels as floats (HDR) or bytes (8-bit), bottom row first as OpenGL stores them."""
    dtype = np.float16 if target.texture.dtype == "f2" else np.uint8
    data = target.texture.read()
    array = np.frombuffer(data, dtype).reshape(target.size[1], target.size[0], 4)
    return array[..., :components].astype(np.float32)
