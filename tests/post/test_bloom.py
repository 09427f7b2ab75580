import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.post.bloom import Bloom, level_sizes
from neoterra_glow.post.tonemap import Tonemap
from tests.conftest import SMALL, frame_at, pixels


@pytest.fixture
def scene(ctx, library):
    hdr = Target(ctx, SMALL)
    bloom = Bloom(Build(ctx, library, SMALL))
    tonemap = Tonemap(Build(ctx, library, SMALL))
    yield hdr, bloom, tonemap
    for thing in (hdr, bloom, tonemap):
        thing.release()


def paint(hdr: Target, box: tuple[int, int, int, int], value: float) -> None:
    """Fill a pixel box of the HDR target with grey light of `value` (scissored clear)."""
    hdr.fbo.clear(0.0, 0.0, 0.0, 1.0)
    hdr.fbo.clear(value, value, value, 1.0, viewport=box)


def glow_along_row(bloom_texture, size, row):
    w, h = bloom_texture.size
    data = np.frombuffer(bloom_texture.read(), np.float16).reshape(h, w, 4).astype(np.float32)
    return data[row * h // size[1], :, 0]


def test_levels_halve_down_to_a_few_pixels():
    assert level_sizes((256, 144)) == [(128, 72), (64, 36), (32, 18), (16, 9), (8, 4)]
    assert len(level_sizes((3840, 2160))) == 7


def test_bloom_spreads_a_bright_point_into_its_neighbourhood(scene, registry):
    hdr, bloom, _ = scene
    paint(hdr, (126, 70, 4, 4), 40.0)
    glow = bloom.run(frame_at(registry), {"image": hdr})
    row = glow_along_row(glow.texture, SMALL, 72)
    centre = row.argmax() * 2
    assert abs(centre - 128) <= 4
    near, mid, far = row[64 + 6], row[64 + 14], row[64 + 40]  # 12, 28 and 80 pixels away at full size
    assert near > mid > far > 0, (near, mid, far)
    left, right = row[64 - 14], row[64 + 14]
    assert left == pytest.approx(right, rel=0.15)


def test_light_below_the_threshold_does_not_glow(scene, registry):
    hdr, bloom, _ = scene
    registry.set("post.bloom.knee", 0.0, immediate=True)
    paint(hdr, (100, 50, 40, 40), 0.5)
    glow = bloom.run(frame_at(registry), {"image": hdr})
    assert np.abs(np.frombuffer(glow.texture.read(), np.float16).reshape(-1, 4)[:, :3]).max() == 0


def test_a_dark_frame_stays_dark(scene, registry):
    hdr, bloom, tonemap = scene
    hdr.fbo.clear(0.0, 0.0, 0.0, 1.0)
    frame = frame_at(registry, 17)
    output = tonemap.run(frame, {"image": hdr, "glow": bloom.run(frame, {"image": hdr})})
    assert pixels(output, 3).max() == 0


def test_bloom_intensity_zero_leaves_the_image_as_it_was(scene, registry):
    hdr, bloom, tonemap = scene
    paint(hdr, (120, 60, 16, 16), 30.0)
    registry.set("post.bloom.intensity", 0.0, immediate=True)
    frame = frame_at(registry)
    lit = pixels(tonemap.run(frame, {"image": hdr, "glow": bloom.run(frame, {"image": hdr})}), 3)
    assert lit[68, 128].min() > 240 and lit[68, 100].max() == 0


def test_exposure_brightens_by_stops(scene, registry):
    hdr, bloom, tonemap = scene
    paint(hdr, (0, 0, 256, 144), 0.05)
    registry.set("post.tonemap.vignette", 0.0, immediate=True)
    registry.set("post.tonemap.dither", False, immediate=True)
    means = []
    for stops in (0.0, 2.0):
        registry.set("post.tonemap.exposure", stops, immediate=True)
        frame = frame_at(registry)
        means.append(pixels(tonemap.run(frame, {"image": hdr, "glow": bloom.run(frame, {"image": hdr})}), 3).mean())
    assert means[1] > means[0] * 1.8


def test_a_governed_bloom_starts_a_level_down_and_glows_about_the_same(scene, registry):
    hdr, bloom, _ = scene
    paint(hdr, (126, 70, 4, 4), 40.0)
    full = bloom.run(frame_at(registry), {"image": hdr})
    full_row, full_mean = glow_along_row(full.texture, SMALL, 72), pixels(full, 3).mean()
    registry.set("post.bloom.governed", True)
    governed = bloom.run(frame_at(registry), {"image": hdr})
    assert governed.size == level_sizes(SMALL)[1]  # the half-size level is skipped: a quarter of its pixels
    row = glow_along_row(governed.texture, SMALL, 72)
    assert abs(row.argmax() * 4 - 128) <= 6
    near, mid, far = row[32 + 3], row[32 + 7], row[32 + 20]  # 12, 28 and 80 pixels away at full size
    assert near > mid > far > 0, (near, mid, far)
    assert far == pytest.approx(full_row[64 + 40], rel=0.35)  # the wide glow is the same glow
    assert pixels(governed, 3).mean() == pytest.approx(full_mean, rel=0.3)
