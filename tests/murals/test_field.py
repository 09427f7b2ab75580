import numpy as np

from neoterra_glow.pipeline import Pipeline
from tests.conftest import SMALL, frame_at, pixels


def render(ctx, library, registry, index, seed=1):
    pipeline = Pipeline(ctx, library, SMALL)
    try:
        return pixels(pipeline.render(frame_at(registry, index, seed=seed)), 3)
    finally:
        pipeline.release()


def test_the_field_has_dark_water_and_glowing_light(ctx, library, registry):
    registry.set("murals.exposure", 0.0, immediate=True)  # the field as drawn, not the venue's lift (which tone-maps its veins
    # to about twice the sea's median, not three times: a cost of the brighter rooms for the look issue)
    image = render(ctx, library, registry, 90)
    brightness = image.max(axis=2)
    assert np.mean(brightness < 40) > 0.15, "some of the sea should stay dark"
    assert np.percentile(brightness, 99) > 3 * np.median(brightness), "veins and cells should glow over the sea"
    green_blue = image[..., 1:].mean() - image[..., 0].mean()
    assert green_blue > 10, "the default palette is bioluminescent blue-green"


def test_the_field_moves_and_breathes(ctx, library, registry):
    early, later = render(ctx, library, registry, 0), render(ctx, library, registry, 60)
    assert np.abs(early - later).mean() > 4


def test_each_seed_is_another_stretch_of_sea(ctx, library, registry):
    one, other = render(ctx, library, registry, 30, seed=1), render(ctx, library, registry, 30, seed=2)
    assert np.abs(one - other).mean() > 8
