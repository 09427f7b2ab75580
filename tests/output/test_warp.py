import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.warp import CORNERS, Warp, homography, load_calibration, save_calibration
from tests.conftest import SMALL, frame_at

W, H = SMALL


@pytest.fixture
def warp(ctx, library):
    made = Warp(Build(ctx, library, SMALL))
    yield made
    made.release()


def coordinate_image(ctx) -> Target:
    """An 8-bit image whose red and green say where each pixel is (0..255 across), blue 255."""
    y, x = np.mgrid[0:H, 0:W]
    image = np.stack([x * 255 // (W - 1), y * 255 // (H - 1), np.full_like(x, 255), np.full_like(x, 255)], -1)
    target = Target(ctx, SMALL, "f1")
    target.texture.write(image.astype(np.uint8).tobytes())
    return target


def test_the_homography_takes_the_corners_where_they_are_asked(registry):
    src = np.array(list(CORNERS.values()))
    dst = np.array([[0.1, 0.2], [0.8, 0.05], [0.95, 0.9], [0.05, 0.7]])
    h = homography(src, dst)
    mapped = (h @ np.c_[src, np.ones(4)].T).T
    assert mapped[:, :2] / mapped[:, 2:] == pytest.approx(dst)


def test_a_corner_pin_maps_a_known_grid_to_its_keystoned_place(ctx, warp, registry):
    pinned = {"bottom_left": (0.1, 0.05), "bottom_right": (0.85, 0.15), "top_right": (0.9, 0.95), "top_left": (0.2, 0.8)}
    for name, at in pinned.items():
        registry.set(f"output.corners.{name}", at, immediate=True)
    image = coordinate_image(ctx)
    screen = warp.run(frame_at(registry), {"image": image})
    shown = np.frombuffer(screen.texture.read(), np.uint8).reshape(H, W, 4).astype(int)
    h = homography(np.array(list(CORNERS.values())), np.array(list(pinned.values())))
    for u, v in [(0.25, 0.25), (0.5, 0.5), (0.75, 0.3), (0.3, 0.8), (0.9, 0.9)]:
        p = h @ [u, v, 1.0]
        x, y = int(p[0] / p[2] * W), int(p[1] / p[2] * H)
        assert shown[y, x, 0] == pytest.approx(u * 255, abs=4) and shown[y, x, 1] == pytest.approx(v * 255, abs=5)
    outside = h @ [-0.05, 0.5, 1.0]
    assert shown[int(outside[1] / outside[2] * H), max(int(outside[0] / outside[2] * W), 0)].tolist() == [0, 0, 0, 255]
    image.release()


def test_soft_edges_ramp_evenly_in_light_for_overlapping_projectors(ctx, warp, registry):
    registry.set("output.blend.right", 0.25, immediate=True)
    white = Target(ctx, SMALL, "f1")
    white.fbo.clear(1.0, 1.0, 1.0, 1.0)
    screen = warp.run(frame_at(registry), {"image": white})
    row = np.frombuffer(screen.texture.read(), np.uint8).reshape(H, W, 4)[H // 2, :, 0] / 255.0
    assert (row[: int(W * 0.74)] == 1.0).all()
    light = row[int(W * 0.75) :] ** 2.2  # what the projector makes of the signal
    expected = 1.0 - (np.arange(int(W * 0.75), W) + 0.5 - W * 0.75) / (W * 0.25)
    assert light == pytest.approx(np.clip(expected, 0, 1), abs=0.03)  # a straight ramp of light
    white.release()


def test_with_nothing_pinned_the_frame_is_copied_untouched(ctx, warp, registry):
    image = coordinate_image(ctx)
    assert warp.run(frame_at(registry), {"image": image}) is image  # handed on as it is
    image.release()


def test_a_calibration_is_saved_and_loaded(tmp_path, registry):
    registry.set("output.corners.top_left", (0.1, 0.9), immediate=True)
    registry.set("output.blend.left", 0.2, immediate=True)
    path = tmp_path / "wall.json"
    save_calibration(path, registry)
    from neoterra_glow.pipeline import declare_params

    fresh = declare_params()
    load_calibration(path, fresh)
    assert fresh.value("output.corners.top_left") == (0.1, 0.9) and fresh.value("output.blend.left") == 0.2
    path.write_text('{"swarm.count": 5}')
    with pytest.raises(ValueError, match="wall.json: not a usable calibration file"):
        load_calibration(path, fresh)


def test_the_hud_is_drawn_only_when_on_and_shows_its_lines(ctx, library):
    from neoterra_glow.output.hud import Hud

    hud, wall = Hud(Build(ctx, library, (640, 360))), Target(ctx, (640, 360), "f1")
    wall.fbo.clear(0.0, 0.0, 0.0, 1.0)
    hud.update(0.0, ["Festival   60.0 fps", "error: shaders/murals/field.fs:12: oops"])
    screen = hud.run(None, {"image": wall})
    assert np.frombuffer(screen.texture.read(), np.uint8).reshape(360, 640, 4)[..., :3].max() == 0  # off: nothing drawn
    hud.on = True
    hud.update(1.0, ["Festival   60.0 fps", "error: shaders/murals/field.fs:12: oops"])
    screen = hud.run(None, {"image": wall})
    image = np.frombuffer(screen.texture.read(), np.uint8).reshape(360, 640, 4)[::-1]  # top row first
    corner = image[12:60, 12:300, :3].astype(int)
    assert (corner[..., 1] > 150).any()  # green text
    assert ((corner[..., 0] > 200) & (corner[..., 1] < 160)).any()  # the error line in red
    assert image[200:, 400:, :3].max() == 0  # and nothing else on the wall
    hud.release(), wall.release()


def test_the_test_card_shows_the_audience_pages_qr_code_module_for_module(ctx, library, registry):
    import io

    import segno

    warp = Warp(Build(ctx, library, (640, 360)))
    url = "http://192.168.1.20:8080/"
    code = segno.make(url, error="m")
    png = io.BytesIO()
    code.save(png, kind="png", scale=10, border=2)
    warp.card_code(png.getvalue())
    registry.set("output.test_card", True, immediate=True)
    black = Target(ctx, (640, 360), "f1")
    shown = np.frombuffer(warp.run(frame_at(registry, size=(640, 360)), {"image": black}).texture.read(), np.uint8)
    shown = shown.reshape(360, 640, 4)[::-1, :, 0]  # top row first
    warp.release(), black.release()
    modules = np.array(list(code.matrix_iter(border=2)), bool)  # True: a dark module
    side, n = 0.25 * 360, len(modules)
    left, top = 640 - side - 0.08 * 360, 360 - 0.08 * 360 - side
    centres = (np.arange(n) + 0.5) * side / n
    sampled = shown[np.ix_((top + centres).astype(int), (left + centres).astype(int))] < 128
    assert (sampled == modules).mean() > 0.97
