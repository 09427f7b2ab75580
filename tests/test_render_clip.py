import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest

from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_clip, render_frames
from tests.conftest import SMALL, preset_with_bots

ROOT = Path(__file__).resolve().parents[2]
FPS = 30


def reference_frames(ctx, count, seed=7, preset="default"):
    return [rgba for _, rgba in render_frames(ctx, load_piece(preset), SMALL, FPS, count, seed)]


def decode(path: Path, pixel_format: str = "rgb24") -> list[np.ndarray]:
    """Every frame a player would show; a file cut short by a kill plays up to where it was cut."""
    frames = []
    with av.open(str(path)) as container:
        try:
            for frame in container.decode(video=0):
                frames.append(frame.to_ndarray(format=pixel_format))
        except av.error.InvalidDataError:
            pass
    return frames


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0**2 / max(error, 1e-12))


def test_an_mp4_render_decodes_to_the_frames_that_were_rendered(ctx, tmp_path):
    result = render_clip("default", tmp_path / "clip.mp4", seconds=0.4, fps=FPS, size=SMALL, progress=False, ctx=ctx)
    assert result.frames == 12 and not result.interrupted
    assert not (tmp_path / "clip.mp4.part").exists()
    with av.open(str(result.path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.codec_context.pix_fmt) == ("h264", "yuv420p")
        assert (stream.width, stream.height) == SMALL
    decoded = decode(result.path)
    rendered = reference_frames(ctx, 12)
    assert len(decoded) == 12
    # yuv420p halves colour resolution: on these frames (the swarm still a dust of single
    # pixels) that alone costs ~35 dB; H.264 at crf 16 ~3 dB more.
    quality = [psnr(d, r[..., :3]) for d, r in zip(decoded, rendered, strict=True)]
    assert min(quality) > 30, quality
    for d, r in zip(decoded, rendered, strict=True):
        assert np.abs(d.astype(int) - r[..., :3]).mean() < 5
        assert np.abs(d.reshape(-1, 3).mean(0) - r[..., :3].reshape(-1, 3).mean(0)).max() < 2.5


def test_a_mov_render_is_prores_4444_with_alpha(ctx, tmp_path):
    result = render_clip("default", tmp_path / "clip.mov", seconds=0.2, fps=FPS, size=SMALL, progress=False, ctx=ctx)
    with av.open(str(result.path)) as container:
        stream = container.streams.video[0]
        context = stream.codec_context
        assert context.name == "prores" and context.pix_fmt.startswith("yuva444p")
        assert stream.codec_tag == "ap4h"  # 4444 in the container too, after the faststart remux
        assert (context.color_primaries, context.color_trc, context.colorspace) == (1, 1, 1)  # BT.709
    decoded = decode(result.path, "rgba")
    rendered = reference_frames(ctx, 6)
    assert len(decoded) == 6
    assert min(psnr(d, r) for d, r in zip(decoded, rendered, strict=True)) > 40


def test_a_png_folder_holds_the_exact_frames(ctx, tmp_path):
    result = render_clip("default", tmp_path / "frames", seconds=0.1, fps=FPS, size=SMALL, progress=False, ctx=ctx)
    files = sorted(result.path.glob("*.png"))
    assert [f.name for f in files] == ["frame_000000.png", "frame_000001.png", "frame_000002.png"]
    from PIL import Image

    for file, rendered in zip(files, reference_frames(ctx, 3), strict=True):
        assert np.array_equal(np.asarray(Image.open(file)), rendered)


def test_the_same_preset_and_seed_give_identical_frames(ctx):
    def hashes(seed):
        return [hashlib.sha256(rgba.tobytes()).hexdigest() for rgba in reference_frames(ctx, 5, seed)]

    first = hashes(7)
    assert first == hashes(7)
    assert len(set(first)) == 5, "frames should change over time"
    assert not set(first) & set(hashes(8)), "another seed gives other frames"


def test_an_odd_size_is_refused_for_h264_before_rendering(ctx, tmp_path):
    with pytest.raises(ValueError, match="H.264 needs an even width and height, got 255x144"):
        render_clip("default", tmp_path / "odd.mp4", seconds=1, fps=FPS, size=(255, 144), progress=False, ctx=ctx)
    assert not list(tmp_path.iterdir())


def start_long_render(out: Path, size: str = "256x144") -> subprocess.Popen:
    """The default preset, with a tenth of its bots: what is asked is how a render ends, not what it costs."""
    preset = preset_with_bots(out.parent, "default", 20_000)
    command = [sys.executable, "-m", "neoterra_glow", "render", str(preset), "-o", str(out), "--seconds", "60", "--size", size]
    return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def wait_for_frames(process: subprocess.Popen, at_least: int) -> None:
    """Read the progress lines until `at_least` frames are done."""
    deadline = time.monotonic() + 120
    for line in process.stderr:
        done = int(line.split("]")[1].split("/")[0]) if "frames" in line else 0
        if done >= at_least or time.monotonic() > deadline:
            return


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_mid_render_leaves_a_finished_playable_file(tmp_path, stop):
    out = tmp_path / "cut.mp4"
    process = start_long_render(out)
    wait_for_frames(process, 180)
    process.send_signal(stop)
    try:
        _, errors = process.communicate(timeout=60)
    finally:
        process.kill()  # one that did not stop must not spin on through the rest of the suite
    assert process.returncode == 130, errors
    assert "interrupted: the" in errors
    assert not out.with_name("cut.mp4.part").exists()
    assert 180 <= len(decode(out)) < 1800


@pytest.mark.parametrize("size", ["256x144", "160x90"])
def test_a_hard_kill_leaves_a_recoverable_part_file(tmp_path, size):
    out = tmp_path / "killed.mp4"
    process = start_long_render(out, size)
    wait_for_frames(process, 180)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    part = out.with_name("killed.mp4.part")
    assert not out.exists() and part.exists()
    # the encoder runs some way behind the renderer (its queue and x264's lookahead), so of the
    # 180 frames rendered, the fragments finished before the kill are at least the first three
    # seconds, however small the frames (small fragments must reach the disk too)
    assert len(decode(part)) >= 3 * FPS, "the fragments finished before the kill play back"


def test_the_output_folder_is_made_when_missing(ctx, tmp_path):
    out = tmp_path / "new" / "deeper" / "clip.mp4"
    result = render_clip("default", out, seconds=0.1, fps=FPS, size=SMALL, progress=False, ctx=ctx)
    assert result.path == out and len(decode(out)) == 3


def test_an_unwritable_output_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "neoterra_glow", "render", "default", "-o", str(blocker / "clip.mp4"), "--seconds", "0.1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("neoterra-glow: error: ") and "Traceback" not in result.stderr


def test_a_transparent_render_carries_the_lights_coverage_as_alpha(ctx, tmp_path):
    (tmp_path / "light.toml").write_text('glyphs = ["Elara"]\n[output]\ntransparent = true\n[swarm]\ncount = 60000\nspeed = 2.0\n')
    opaque = decode(render_clip("default", tmp_path / "opaque.mov", seconds=0.1, fps=FPS, size=SMALL, progress=False,
                                ctx=ctx).path, "rgba")
    assert all((frame[..., 3] == 255).all() for frame in opaque)  # the murals cover everything
    frames = decode(render_clip(tmp_path / "light.toml", tmp_path / "light.mov", seconds=3, fps=FPS, size=SMALL,
                                progress=False, ctx=ctx).path, "rgba")
    alpha = frames[-1][..., 3]
    assert (alpha < 8).mean() > 0.5  # empty background
    assert alpha.max() > 200 and (alpha > 100).mean() > 0.005  # the smile, opaque where it glows
