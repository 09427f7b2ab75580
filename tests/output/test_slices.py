"""A wall of two projectors from one canvas: each slice shows its region through its keystone,
the soft edges add up to even light across the overlap, and the black lift stays outside it."""

import json

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.output.venue import read_venue
from neoterra_glow.output.warp import Warp
from neoterra_glow.render import render_clip
from tests.conftest import frame_at

CANVAS = (448, 144)  # two 256-wide slices that share 64 columns
VENUE = {"version": 2, "canvas": list(CANVAS), "slices": [
    {"name": "left", "region": [0, 0, 256, 144], "monitor": 0},
    {"name": "right", "region": [192, 0, 256, 144], "monitor": 1}]}


@pytest.fixture
def venue_file(tmp_path):
    path = tmp_path / "venue.json"
    path.write_text(json.dumps(VENUE))
    return path


def keystoned(ctx, library, registry, venue, canvas_image):
    warp = Warp(Build(ctx, library, CANVAS))
    frame = frame_at(registry, size=CANVAS)
    out = []
    for piece in venue.slices:
        target = Target(ctx, piece.region[2:], "f1")
        warp.keystone(frame.params, piece.prefix, canvas_image, target, piece.uv(CANVAS), frame.params[f"{piece.prefix}.black"])
        out.append(np.frombuffer(target.texture.read(), np.uint8).reshape(144, 256, 4)[::-1, :, :3].astype(float))
        target.release()
    warp.release()
    return out


def canvas_of(ctx, pixels):
    image = Target(ctx, CANVAS, "f1")
    image.texture.write(np.ascontiguousarray(pixels[::-1]).tobytes())
    return image


def test_each_slice_shows_its_region_of_the_canvas(ctx, library, registry, venue_file):
    venue = read_venue(venue_file, registry)
    y, x = np.mgrid[0:144, 0:448]
    pixels = np.stack([x * 255 // 447, y * 255 // 143, np.full_like(x, 90), np.full_like(x, 255)], -1).astype(np.uint8)
    left, right = keystoned(ctx, library, registry, venue, canvas_of(ctx, pixels))
    assert np.abs(left - pixels[:, :256, :3]).max() <= 1
    assert np.abs(right - pixels[:, 192:, :3]).max() <= 1


def test_soft_edges_add_up_to_even_light_and_the_black_lift_stays_outside_the_overlap(ctx, library, registry, venue_file):
    venue = read_venue(venue_file, registry)
    registry.set("output.slices.left.blend.right", 0.25, immediate=True)  # 64 of 256 columns: the overlap
    registry.set("output.slices.right.blend.left", 0.25, immediate=True)
    grey = np.full((144, 448, 4), 200, np.uint8)
    left, right = keystoned(ctx, library, registry, venue, canvas_of(ctx, grey))
    light = lambda signal: (signal / 255.0) ** 2.2  # noqa: E731 (what a projector makes of a signal)
    wall = np.zeros(448)
    wall[:256] += light(left[72, :, 0])
    wall[192:] += light(right[72, :, 0])
    assert wall == pytest.approx(light(200.0), rel=0.02)  # even across the overlap, within 2 %
    registry.set("output.slices.left.black", 0.05, immediate=True)
    lifted, _ = keystoned(ctx, library, registry, venue, canvas_of(ctx, np.zeros((144, 448, 4), np.uint8)))
    assert lifted[72, 20, 0] > 40 and lifted[72, 250, 0] == 0  # lifted outside the overlap only


@pytest.mark.parametrize("change, says", [
    (lambda v: v["slices"][1].update(region=[300, 0, 256, 144]), "outside the 448x144 canvas"),
    (lambda v: v["slices"][1].update(monitor=0), "two slices go to monitor 0"),
    (lambda v: v.update(version=1), "a venue file of version 1; this engine reads version 2"),
])
def test_a_wrong_venue_file_says_what_is_wrong(registry, tmp_path, change, says):
    venue = json.loads(json.dumps(VENUE))
    change(venue)
    path = tmp_path / "venue.json"
    path.write_text(json.dumps(venue))
    with pytest.raises(ValueError, match=says):
        read_venue(path, registry)


def test_a_sliced_render_writes_one_file_per_projector(ctx, tmp_path, venue_file):
    import av

    result = render_clip("default", tmp_path / "wall.mp4", seconds=0.5, fps=10, size=(16, 16), progress=False, ctx=ctx,
                         slices=venue_file)
    assert [p.name for p in result.slices] == ["wall-left.mp4", "wall-right.mp4"]
    for path in result.slices:
        with av.open(str(path)) as clip:
            stream = clip.streams.video[0]
            assert (stream.width, stream.height, stream.frames) == (256, 144, 5)


def test_a_live_wall_shows_each_slice_in_its_share_of_the_window(ctx, venue_file):
    from neoterra_glow.live.show import Listening, LiveShow
    from neoterra_glow.piece import load_piece

    piece = load_piece("default")
    venue = read_venue(venue_file, piece.registry)
    live = LiveShow(ctx, piece, (512, 144), 3, Listening(port=0, query_port=None), screen=True, venue=venue)
    try:
        for _ in range(3):
            window = live.step((512, 144))
        canvas = live.pipeline.products["output"]
        assert canvas.size == CANVAS and window.size == (512, 144)  # the piece at the canvas; the wall its own size
        shown = np.frombuffer(window.texture.read(), np.uint8).reshape(144, 512, 4)[::-1, :, :3].astype(int)
        piece_of_it = np.frombuffer(canvas.texture.read(), np.uint8).reshape(144, 448, 4)[::-1, :, :3].astype(int)
        assert np.abs(shown[:, :256] - piece_of_it[:, :256]).mean() < 1.0  # the left projector: the canvas's left
        assert np.abs(shown[:, 256:] - piece_of_it[:, 192:]).mean() < 1.0  # the right: the canvas's right, overlap and all
    finally:
        live.close()


def test_a_walls_calibration_is_saved_whole_and_read_back(registry, venue_file):
    from neoterra_glow.output.venue import save_venue
    from neoterra_glow.pipeline import declare_params

    venue = read_venue(venue_file, registry)
    registry.set("output.slices.right.corners.top_left", (0.04, 0.97), immediate=True)
    registry.set("output.slices.left.blend.right", 0.25, immediate=True)
    save_venue(venue_file, venue, registry)
    fresh = declare_params()  # a restart
    again = read_venue(venue_file, fresh)
    assert again == venue
    assert fresh.value("output.slices.right.corners.top_left") == (0.04, 0.97)
    assert fresh.value("output.slices.left.blend.right") == 0.25
