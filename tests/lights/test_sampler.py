"""The lights' sampler: its one pass of 16 taps a cell gives each region the mean the frame has
there, at any size; and the levels it publishes reach the registry in turn, a few dozen a frame."""

import moderngl
import numpy as np
import pytest

from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.lights.fixtures import Fixture, Rig
from neoterra_glow.lights.sampler import PUBLISHED, Sampler, level_params


def _busy_picture(width: int, height: int) -> np.ndarray:
    """Smooth waves, a ramp, and 3-texel specks: what a mean taken from too few texels gets wrong. Rows top first."""
    y, x = np.mgrid[0:height, 0:width]
    picture = np.zeros((height, width, 4), np.uint8)
    picture[..., 0] = 127 + 127 * np.sin(x / 37.0) * np.cos(y / 23.0)
    picture[..., 1] = (x * 7 + y * 3) % 256
    picture[..., 2] = np.where((x // 3 + y // 3) % 5 == 0, 255, 0)
    picture[..., 3] = 255
    return picture


@pytest.mark.parametrize("size, within", [((960, 544), 1.5), ((1920, 1088), 4.0)])  # whole cells, 8 and 16 texels
def test_each_region_gets_the_mean_of_its_pixels(ctx: moderngl.Context, size, within) -> None:
    width, height = size
    picture = _busy_picture(width, height)
    texture = ctx.texture(size, 4, picture[::-1].tobytes())  # GL's rows start at the bottom
    texture.filter = (moderngl.LINEAR, moderngl.LINEAR)
    regions = [(0.0, 0.0, 0.5, 0.5), (0.25, 0.25, 0.5, 0.5), (0.5, 0.5, 0.5, 0.5), (0.125, 0.75, 0.125, 0.25)]
    rig = Rig(tuple(Fixture(f"f{n}", 1, 1 + 3 * n, "rgb", region) for n, region in enumerate(regions)))
    sampler = Sampler(rig, ShaderLibrary(ctx))
    try:
        colours = sampled(sampler, texture) * 255
    finally:
        sampler.release()
        texture.release()
    for colour, (x, y, w, h) in zip(colours, regions, strict=True):  # regions on the 64-wide cells fall on whole pixels here
        exact = picture[int(y * height):int((y + h) * height), int(x * width):int((x + w) * width), :3].mean(axis=(0, 1))
        assert colour == pytest.approx(exact, abs=within), f"region {x, y, w, h}"


def sampled(sampler: Sampler, texture: moderngl.Texture) -> np.ndarray:
    """The texture's colours, as the frame after it reads them back."""
    sampler.sample(texture)
    return sampler.sample(texture)


def test_the_colours_arrive_a_frame_late_so_the_render_thread_never_waits_for_the_gpu(ctx: moderngl.Context) -> None:
    rig = Rig((Fixture("all", 1, 1, "rgb", (0.0, 0.0, 1.0, 1.0)),))
    sampler = Sampler(rig, ShaderLibrary(ctx))
    red, blue = (ctx.texture((256, 144), 4, bytes(colour) * (256 * 144)) for colour in ((255, 0, 0, 255), (0, 0, 255, 255)))
    try:
        first, second, third = sampler.sample(red), sampler.sample(blue), sampler.sample(blue)
    finally:
        sampler.release()
        red.release()
        blue.release()
    assert first is None, "nothing is read back in the frame that drew the cells"
    assert second[0] == pytest.approx([1.0, 0.0, 0.0]), "the next frame gets the frame before's colours"
    assert third[0] == pytest.approx([0.0, 0.0, 1.0])


def test_levels_reach_the_registry_a_few_dozen_a_frame_in_turn(ctx: moderngl.Context) -> None:
    count = 2 * PUBLISHED + 10
    rig = Rig(tuple(Fixture(f"f{n}", 1 + n // 170, 1 + 3 * (n % 170), "rgb", (0.0, 0.0, 1.0, 1.0)) for n in range(count)))
    sampler = Sampler(rig, ShaderLibrary(ctx))
    registry = Registry(level_params(rig))
    levels = np.linspace(0.1, 0.9, count)
    colours = np.repeat(levels[:, None], 3, axis=1)
    published = []
    for _ in range(3):
        sampler.publish(registry, colours)
        published.append(sum(registry.value(f"lights.f{n}") != 0.0 for n in range(count)))
    assert published == [PUBLISHED, 2 * PUBLISHED, count]
    assert [registry.value(f"lights.f{n}") for n in range(count)] == pytest.approx(levels)
    colours[[3, count - 1]] = 1.0  # two change: the next frame sets them, the rest are as they were
    sampler.publish(registry, colours)
    assert registry.value("lights.f3") == registry.value(f"lights.f{count - 1}") == 1.0
    sampler.release()
