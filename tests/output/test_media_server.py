"""DXV (and HAP where FFmpeg has it) in a .mov, for media servers such as Resolume."""

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from neoterra_glow.errors import UserError
from neoterra_glow.output.encoders import media_server_codecs, open_encoder
from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_clip, render_frames
from tests.conftest import SMALL

ROOT = Path(__file__).resolve().parents[2]
COLOURS = [(250, 20, 30), (20, 240, 60), (30, 40, 230), (255, 255, 255), (120, 90, 10)]


def decoded(path: Path) -> tuple[str, str, list[np.ndarray]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [frame.to_ndarray(format="rgba") for frame in container.decode(stream)]
        return stream.codec_context.name, stream.codec_tag, frames


def flat_frames(size=(64, 48)) -> list[np.ndarray]:
    """A frame a colour, its left half grey: DXT's 4x4 blocks hold two colours each, so flat areas stay exact."""
    frames = []
    for colour in COLOURS:
        rgba = np.full((size[1], size[0], 4), 255, np.uint8)
        rgba[..., :3] = colour
        rgba[:, : size[0] // 2, :3] = 128
        frames.append(rgba)
    return frames


def test_dxv_frames_reopen_as_resolume_dxv_with_their_colours(tmp_path):
    encoder = open_encoder(tmp_path / "clip.mov", (64, 48), 30, codec="dxv")
    for rgba in flat_frames():
        encoder.write(rgba)
    name, tag, frames = decoded(encoder.close())
    assert (name, tag) == ("dxv", "DXD3") and len(frames) == len(COLOURS)
    for got, sent in zip(frames, flat_frames(), strict=True):
        # DXT1 keeps colours as RGB 5:6:5: within 4 levels of 255 a channel
        assert np.abs(got[..., :3].astype(int) - sent[..., :3]).max() <= 4


def test_a_dxv_render_carries_the_rendered_frames(ctx, tmp_path):
    result = render_clip("default", tmp_path / "clip.mov", seconds=0.2, fps=30, size=SMALL, progress=False, ctx=ctx, codec="dxv")
    name, _, frames = decoded(result.path)
    rendered = [rgba for _, rgba in render_frames(ctx, load_piece("default"), SMALL, 30, 6, 7)]
    assert name == "dxv" and len(frames) == 6 and frames[0].shape == (*SMALL[::-1], 4)
    for got, made in zip(frames, rendered, strict=True):
        difference = np.abs(got[..., :3].astype(int) - made[..., :3])
        # single bright bots over a dim, living ground (a mean of about 20 of 255), which DXT1 spreads over
        # their 4x4 block (about 2 a pixel on average); a black or wrong frame is off by the whole picture
        assert difference.mean() < 3
        assert np.abs(got[..., :3].reshape(-1, 3).mean(0) - made[..., :3].reshape(-1, 3).mean(0)).max() < 1.5


def test_hap_is_written_where_ffmpeg_has_it_and_else_refused_in_one_line(tmp_path):
    if "hap" in media_server_codecs():
        encoder = open_encoder(tmp_path / "clip.mov", (64, 48), 30, codec="hap")
        for rgba in flat_frames():
            encoder.write(rgba)
        name, _, frames = decoded(encoder.close())
        assert name == "hap" and len(frames) == len(COLOURS)
        return
    with pytest.raises(UserError, match=r"clip\.mov: this FFmpeg build .* has no HAP encoder; use --codec dxv") as refusal:
        open_encoder(tmp_path / "clip.mov", (64, 48), 30, codec="hap")
    assert "\n" not in str(refusal.value) and not (tmp_path / "clip.mov.part").exists()


def test_a_media_server_codec_needs_a_mov(tmp_path):
    with pytest.raises(UserError, match=r"clip\.mp4: DXV is written in a QuickTime file; name the output \.mov"):
        open_encoder(tmp_path / "clip.mp4", (64, 48), 30, codec="dxv")


def test_render_codec_dxv_from_the_command_line(tmp_path):
    out = tmp_path / "set.mov"
    result = subprocess.run([sys.executable, "-m", "neoterra_glow", "render", "default", "-o", str(out), "--codec", "dxv",
                             "--seconds", "0.1", "--size", "64x48"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    name, _, frames = decoded(out)
    assert name == "dxv" and len(frames) == 3
