"""A video layer declared in a preset, as a VJ writes one: rendered by the one frame loop,
deterministic, carried by a checkpoint, and left out (one line) when its file is not there."""

import logging

import numpy as np
import pytest

from neoterra_glow.gpu.checkpoint import CheckpointError
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from tests.murals.test_video import COLOURS, encode_clip, linear

SIZE = (64, 36)
PRESET = """title = "Video under a filter"
seed = 3
glyphs = []

[swarm]
count = 10000

[murals]
hush = 0.0
ceiling = 4.0
exposure = 0.0
depth = 0.0

[[layers]]
video = "{video}"
name = "clip"

[murals.clip]
end = 0.5
"""


def murals_centre(run) -> np.ndarray:
    target = run.pipeline["murals"].output
    image = np.frombuffer(target.texture.read(), np.float16).reshape(SIZE[1], SIZE[0], 4)
    return image[SIZE[1] // 2, SIZE[0] // 2, :3].astype(np.float32)


@pytest.fixture
def preset(tmp_path):
    encode_clip(tmp_path / "clip.mp4")
    path = tmp_path / "video.toml"
    path.write_text(PRESET.format(video="clip.mp4"))
    return path


def test_a_presets_video_layer_renders_frame_n_at_n_over_fps_and_a_checkpoint_carries_its_place(ctx, preset):
    piece = load_piece(preset)
    assert piece.registry.value("murals.clip.end") == 0.5  # set by the preset, as any layer's parameter
    assert piece.registry.at_address("/murals/clip/speed").path == "murals.clip.speed"  # OSC, OSCQuery, the HUD
    run = Run(ctx, piece, SIZE, 30, 3)
    try:
        seen = []
        for _ in range(3):
            run.step()
            seen.append(murals_centre(run))
        kept = run.checkpoint()
    finally:
        run.release()
    assert np.array(seen) == pytest.approx(linear(COLOURS[:3]), abs=0.03)
    fresh = Run(ctx, load_piece(preset), SIZE, 30, 3)
    try:
        assert fresh.restore(kept) == 3
        fresh.step()
        assert murals_centre(fresh) == pytest.approx(linear(COLOURS[3]), abs=0.03)
    finally:
        fresh.release()


def test_a_presets_missing_video_is_one_line_and_the_render_goes_on(ctx, tmp_path, caplog):
    path = tmp_path / "gone.toml"
    path.write_text(PRESET.format(video="nowhere.mp4"))
    with caplog.at_level(logging.WARNING):
        run = Run(ctx, load_piece(path), SIZE, 30, 3)
        try:
            for _ in range(3):
                frame, image = run.step()
            centre = murals_centre(run)
        finally:
            run.release()
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "nowhere.mp4: no such video file" in lines[0]
    assert frame.index == 2 and image.size == SIZE and centre == pytest.approx([0, 0, 0], abs=1e-3)  # no layer: a dark stack


def test_no_checkpoint_is_taken_while_a_camera_is_in_the_stack(ctx, tmp_path, caplog):
    path = tmp_path / "camera.toml"
    path.write_text(PRESET.replace('video = "{video}"\nname = "clip"', 'camera = "/dev/video99"').replace("[murals.clip]\nend = 0.5\n", ""))
    with caplog.at_level(logging.WARNING):
        run = Run(ctx, load_piece(path), SIZE, 30, 3)
    try:
        run.step()
        with pytest.raises(CheckpointError, match="camera, whose pictures are never kept"):
            run.checkpoint()
    finally:
        run.release()
    # this machine has no such camera: one line, and the show goes on
    assert "/dev/video99: cannot open it as a video (No such file or directory)" in caplog.text
