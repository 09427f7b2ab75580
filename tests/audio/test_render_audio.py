"""Renders with a soundtrack: the picture moves with the sound, the file carries it in step,
and the same track gives the same frames."""

import av
import numpy as np
import pytest

from neoterra_glow.audio.files import Soundtrack
from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_clip, render_frames
from tests.audio.sounds import clicks, tone, write_wav
from tests.conftest import SMALL, preset_with_bots

PRESET = """
title = "bass test"
seed = 3
"swarm.count" = 20000
"swarm.brightness" = 0.3
"murals.field.brightness" = 0.0

[[drive]]
source = "audio.bass"
param = "swarm.brightness"
to = 6.0
"""


@pytest.fixture
def track(tmp_path):
    """A second of a quiet hum, then a second of loud bass."""
    return write_wav(tmp_path / "track.wav", np.concatenate([tone(4_000.0, 1.0, 0.05), tone(60.0, 1.0, 0.8)]))


def test_the_swarm_brightens_with_the_bass_the_same_way_every_time(ctx, tmp_path, track):
    (tmp_path / "bass.toml").write_text(PRESET)
    runs = []
    for _ in range(2):
        piece = load_piece(tmp_path / "bass.toml")
        frames = [rgba for _, rgba in render_frames(ctx, piece, SMALL, 15, 30, 3, soundtrack=Soundtrack.read(track))]
        runs.append(frames)
        assert piece.registry.value("audio.bass") > 0.8  # the registry shows what was heard
    assert all(np.array_equal(a, b) for a, b in zip(*runs, strict=True))
    light = [frame[..., :3].mean() for frame in runs[0]]
    assert np.mean(light[20:]) > 1.5 * np.mean(light[5:14])


@pytest.mark.parametrize("suffix, codec", [(".mp4", "aac"), (".mov", "pcm_s16le")])
def test_the_clip_carries_its_soundtrack_in_step(ctx, tmp_path, track, suffix, codec):
    out, preset = tmp_path / f"clip{suffix}", preset_with_bots(tmp_path, "default", 20000)  # the sound is what is asked of it
    result = render_clip(preset, out, seconds=None, fps=15, size=SMALL, progress=False, ctx=ctx, audio=track)
    assert result.frames == 30  # the track's length
    with av.open(str(out)) as clip:
        video, sound = clip.streams.video[0], clip.streams.audio[0]
        assert sound.codec_context.name == codec and sound.rate == 48_000
        video_seconds = float(video.duration * video.time_base)
        heard = np.concatenate([frame.to_ndarray().reshape(-1) for frame in clip.decode(sound)])
    if heard.dtype == np.int16:
        heard = heard / 32768.0
    sound_seconds = len(heard) / 48_000
    assert sound_seconds == pytest.approx(video_seconds, abs=1 / 15 + 1024 / 48_000)  # a frame, and an AAC frame's priming
    assert np.abs(heard[: len(heard) // 3]).max() < 0.2 and np.abs(heard[-len(heard) // 3:]).max() > 0.5


def test_png_frames_refuse_a_soundtrack(ctx, tmp_path, track):
    with pytest.raises(ValueError, match="PNG frames carry no sound"):
        render_clip("default", tmp_path / "frames", seconds=1, fps=15, size=SMALL, progress=False, ctx=ctx, audio=track)


def test_the_resonance_preset_plays_to_clicks(ctx, tmp_path):
    track = write_wav(tmp_path / "clicks.wav", clicks(120.0, 3.0) + tone(60.0, 3.0, 0.3))
    piece = load_piece("resonance")
    frames = [rgba for _, rgba in render_frames(ctx, piece, SMALL, 15, 45, 808, soundtrack=Soundtrack.read(track))]
    assert piece.registry.value("audio.bpm") == 0.0 or 100 < piece.registry.value("audio.bpm") < 140
    assert max(frame[..., :3].mean() for frame in frames) > 10  # it lights up
