"""Screen faults on known images: each changes what it should, where it should, and nothing else."""

import dataclasses

import numpy as np
import pytest

from neoterra_glow.core.frame import Faults
from neoterra_glow.glitch.screen import ScreenFaults
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from tests.conftest import SMALL, frame_at

W, H = SMALL


@pytest.fixture
def screen(ctx, library):
    faults = ScreenFaults(Build(ctx, library, SMALL))
    yield faults
    faults.release()


def upload(ctx, image: np.ndarray) -> Target:
    """An HDR target holding `image` (H, W, 4), row 0 at the bottom."""
    target = Target(ctx, SMALL)
    target.texture.write(image.astype(np.float16).tobytes())
    return target


def read(target) -> np.ndarray:
    return np.frombuffer(target.texture.read(), np.float16).reshape(H, W, 4).astype(np.float32)


def everywhere(ctx, image: Target) -> dict:
    """The stage's inputs with the swarm's light all over the frame: the faults may strike anywhere."""
    return {"image": image, "light": upload(ctx, np.ones((H, W, 4), np.float32))}


def faulty(registry, index=0, seed=1, **levels):
    frame = frame_at(registry, index, seed=seed)
    return dataclasses.replace(frame, faults=Faults(levels, seed=seed))


def coordinates() -> np.ndarray:
    """Each pixel says where it is: red = x, green = y (exact in half floats)."""
    y, x = np.mgrid[0:H, 0:W]
    return np.stack([x, y, np.zeros_like(x), np.ones_like(x)], axis=-1).astype(np.float32)


def test_no_fault_is_the_frame_itself_and_a_zero_pass_is_the_identity_bit_for_bit(ctx, screen, registry):
    rng = np.random.default_rng(3)
    image = upload(ctx, rng.random((H, W, 4)) * 4)
    assert screen.run(faulty(registry), everywhere(ctx, image)) is image
    zero = {kind: 0.0 for kind in ("split", "blocks", "tear", "crush", "static")}
    out = screen._target("screen")
    near = upload(ctx, np.ones((H, W, 4), np.float32))
    textures = {"u_image": image.texture, "u_clean": image.texture, "u_near": near.texture}
    screen._screen.draw(out, dict({f"u_{k}": v for k, v in zero.items()}, u_seed=5, u_frame=0), textures)
    assert out.texture.read() == image.texture.read()
    image.release()


def test_an_rgb_split_colours_a_white_edge_at_the_expected_offsets(ctx, screen, registry):
    edge = W // 2
    image = np.zeros((H, W, 4), np.float32)
    image[:, edge:, :] = 1.0
    out = read(screen.run(faulty(registry, split=0.5), everywhere(ctx, upload(ctx, image))))
    shift = round(0.5 * W * 0.012)
    assert shift >= 1
    row = out[H // 2]
    assert (row[edge - shift : edge, :3] == [1, 0, 0]).all()  # red arrives early, alone
    assert (row[edge : edge + shift, :3] == [1, 1, 0]).all()  # blue arrives late
    assert (row[edge + shift : W - shift, :3] == 1).all() and (row[shift : edge - shift, :3] == 0).all()


def test_a_block_displacement_moves_whole_blocks_and_leaves_the_others(ctx, screen, registry):
    out = read(screen.run(faulty(registry, seed=4, blocks=0.8), everywhere(ctx, upload(ctx, coordinates()))))
    y, x = np.mgrid[0:H, 0:W]
    dx, dy = (out[..., 0] - x) % W, (out[..., 1] - y) % H  # displacements, round the edges
    size = 8 << ((4 ^ (4 * 7919)) % 3)  # the shader's block size for the seed it is given, under 540 lines
    moved = 0
    for by in range(0, H - size + 1, size):
        for bx in range(0, W - size + 1, size):
            block_dx, block_dy = dx[by : by + size, bx : bx + size], dy[by : by + size, bx : bx + size]
            assert (block_dx == block_dx[0, 0]).all() and (block_dy == block_dy[0, 0]).all()  # moved whole
            assert block_dx[0, 0] % size == 0  # by whole blocks
            moved += bool(block_dx[0, 0] or block_dy[0, 0])
    blocks = (H // size) * (W // size)
    assert 0.1 * blocks < moved < 0.5 * blocks  # capped: most blocks stay


def test_a_scanline_tear_slides_bands_of_rows_sideways_only(ctx, screen, registry):
    out = read(screen.run(faulty(registry, seed=2, tear=0.7), everywhere(ctx, upload(ctx, coordinates()))))
    y, x = np.mgrid[0:H, 0:W]
    assert (out[..., 1] == y).all()  # no row moves up or down
    shifts = (out[..., 0] - x) % W
    assert all(len(np.unique(shifts[row])) == 1 for row in range(H))  # each row slides as one
    torn = (shifts[:, 0] != 0).mean()
    assert 0.1 < torn < 0.7


def test_bit_crush_leaves_fewer_levels_in_small_cells_and_no_more(ctx, screen, registry):
    rng = np.random.default_rng(5)
    out = read(screen.run(faulty(registry, crush=1.0), everywhere(ctx, upload(ctx, rng.random((H, W, 4))))))
    compressed = out[..., :3] / (1 + out[..., :3])
    assert 8 <= len(np.unique(np.round(compressed, 3))) <= 21  # capped: coarse, never a few flat colours
    cell = 2  # a few pixels at most, whatever the fault's level: a face stays legible through it
    assert (out[:cell, :cell] == out[0, 0]).all() and not (out[:cell + 1, :cell + 1] == out[0, 0]).all()


def test_static_is_noise_that_changes_every_frame_and_repeats_for_the_same_frame(ctx, screen, registry):
    image = upload(ctx, np.full((H, W, 4), 0.2, np.float32))
    first = read(screen.run(faulty(registry, index=3, static=0.6), everywhere(ctx, image)))
    again = read(screen.run(faulty(registry, index=3, static=0.6), everywhere(ctx, image)))
    other = read(screen.run(faulty(registry, index=4, static=0.6), everywhere(ctx, image)))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first[..., :3].std() > 0.03  # visible grain


def test_static_is_interference_that_keeps_the_pictures_light(ctx, screen, registry):
    rng = np.random.default_rng(4)
    picture = np.clip(rng.normal(0.2, 0.05, (H, W, 4)), 0, 1).astype(np.float32)
    out = read(screen.run(faulty(registry, index=5, static=1.0), everywhere(ctx, upload(ctx, picture))))
    assert abs(out[..., :3].mean() - picture[..., :3].mean()) < 0.02  # no white snow over the frame
    assert np.abs(out[..., :3] - picture[..., :3]).mean() > 0.02  # yet it is plainly there


def test_pixel_sorting_sorts_bright_runs_and_leaves_dark_pixels(ctx, screen, registry):
    rng = np.random.default_rng(9)
    image = np.zeros((H, W, 4), np.float32)
    image[..., 3] = 1.0
    image[:, 40:200, :3] = (1.0 + rng.random((H, 160, 1)) * 3.0)  # a bright run of grey levels per row
    image = image.astype(np.float16).astype(np.float32)
    out = read(screen.run(faulty(registry, sort=1.0), everywhere(ctx, upload(ctx, image))))
    assert np.array_equal(out[:, :40], image[:, :40])
    sorted_rows = 0
    for row in range(H):
        run = out[row, 40:200, 0]
        assert sorted(run) == sorted(image[row, 40:200, 0])
        if (np.diff(run) >= 0).all():  # dark to bright
            sorted_rows += 1
        else:
            assert np.array_equal(run, image[row, 40:200, 0])  # or left as it was
    assert 0.5 * H < sorted_rows < 0.9 * H  # capped: some rows keep their picture


def test_a_smear_drags_last_frames_light(ctx, screen, registry):
    dot = np.zeros((H, W, 4), np.float32)
    dot[60:84, 100:124] = 4.0
    screen.run(faulty(registry, index=0, smear=1.0), everywhere(ctx, upload(ctx, dot)))
    moved = np.zeros_like(dot)
    moved[60:84, 180:204] = 4.0
    out = read(screen.run(faulty(registry, index=1, smear=1.0), everywhere(ctx, upload(ctx, moved))))
    assert out[60:84, 95:130, :3].max() > 1.0  # the old light lingers where the dot was
    assert out[60:84, 180:204, :3].min() >= 3.9  # and the new light is all there


def test_faults_compose(ctx, screen, registry):
    image = upload(ctx, coordinates() / 100)
    split = read(screen.run(faulty(registry, split=0.8), everywhere(ctx, image)))
    both = read(screen.run(faulty(registry, split=0.8, crush=0.6), everywhere(ctx, image)))
    crushed = read(screen.run(faulty(registry, crush=0.6), everywhere(ctx, image)))
    assert not np.array_equal(both, split) and not np.array_equal(both, crushed)


def ring(radius: float, width: float) -> np.ndarray:
    """A face's stroke, roughly: a bright ring in the middle of the frame, on black."""
    y, x = np.mgrid[0:H, 0:W]
    r = np.hypot(x - W / 2, y - H / 2)
    image = np.zeros((H, W, 4), np.float32)
    image[np.abs(r - radius) < width / 2] = 2.0
    image[..., 3] = 1.0
    return image


EVERY = dict(split=1.0, blocks=1.0, tear=1.0, crush=1.0, static=1.0, sort=1.0, smear=1.0)


def test_screen_faults_strike_near_the_faces_and_leave_the_rest_of_the_picture(ctx, screen, registry):
    face = ring(30, 4)
    picture = coordinates() / 400 + 0.05  # a mural: every pixel its own
    picture[face[..., 0] > 0] = 2.0
    image, light = upload(ctx, picture), upload(ctx, face)
    for index in range(3):
        out = read(screen.run(faulty(registry, index=index, seed=index + 1, **EVERY), {"image": image, "light": light}))
    y, x = np.mgrid[0:H, 0:W]
    far = np.hypot(x - W / 2, y - H / 2) > 30 + 0.05 * H + 2 * 8 + 4  # past the reach and a texel of the coverage
    assert np.array_equal(out[far], picture.astype(np.float16).astype(np.float32)[far])
    near = np.abs(np.hypot(x - W / 2, y - H / 2) - 30) < 6
    assert np.abs(out[near] - picture[near]).mean() > 0.1  # and there they strike


def test_a_face_under_every_screen_fault_at_once_stays_legible(ctx, screen, registry):
    face = ring(40, 5)
    image = upload(ctx, face)
    stroke = face[..., 0] > 0
    for index in range(12):
        out = read(screen.run(faulty(registry, index=index, seed=index + 1, **EVERY), {"image": image, "light": image}))
        light = out[..., :3].mean(axis=2)
        assert (light[stroke] > 1.0).mean() > 0.5  # at least half of the stroke keeps half its light
        assert light[stroke].mean() > 3 * light[~stroke].mean()  # and it reads against what is around it
