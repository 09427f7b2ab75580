"""A soundtrack keeps its channels: a stereo track comes out stereo (AAC in .mp4 at the
bitrate asked for, PCM in .mov), its left and right as they were."""

import wave

import av
import numpy as np
import pytest

from neoterra_glow.cli import build_parser
from neoterra_glow.render import render_clip

RATE = 48_000
LEFT, RIGHT = 440.0, 1500.0  # a tone in each ear


def stereo_track(path, seconds: float = 1.0):
    """`seconds` of 440 Hz on the left and 1500 Hz on the right, as a real 16-bit WAV."""
    t = np.arange(int(seconds * RATE)) / RATE
    both = np.stack([0.5 * np.sin(2 * np.pi * LEFT * t), 0.3 * np.sin(2 * np.pi * RIGHT * t)], axis=1)
    with wave.open(str(path), "wb") as file:
        file.setnchannels(2)
        file.setsampwidth(2)
        file.setframerate(RATE)
        file.writeframes((both * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def stereo(tmp_path):
    return stereo_track(tmp_path / "stereo.wav")


def heard(path):
    """The clip's sound as (channels, samples) floats, its stream's channel count and its bytes."""
    with av.open(str(path)) as clip:
        stream = clip.streams.audio[0]
        channels, size = stream.codec_context.channels, 0
        frames = []
        for packet in clip.demux(stream):
            size += packet.size
            frames += [frame.to_ndarray() for frame in packet.decode()]
    sound = np.concatenate(frames, axis=1)
    if sound.dtype == np.int16:  # packed: left and right interleaved
        sound = sound.reshape(-1, channels).T / 32768.0
    return sound, channels, size


def loudest(samples):
    spectrum = np.abs(np.fft.rfft(samples))
    return np.argmax(spectrum) * RATE / len(samples)


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
def test_a_stereo_track_comes_out_stereo_with_its_left_and_right(ctx, tmp_path, stereo, suffix):
    out = render_clip("default", tmp_path / f"clip{suffix}", seconds=None, fps=15, size=(64, 36), progress=False, ctx=ctx,
                      audio=stereo).path
    sound, channels, _ = heard(out)
    assert channels == 2 and sound.shape[0] == 2
    middle = sound[:, 4800:4800 + 32768]  # past AAC's priming
    assert loudest(middle[0]) == pytest.approx(LEFT, abs=3) and loudest(middle[1]) == pytest.approx(RIGHT, abs=3)
    assert np.abs(middle[0]).max() == pytest.approx(0.5, abs=0.05) and np.abs(middle[1]).max() == pytest.approx(0.3, abs=0.05)


def test_the_audio_bitrate_is_what_was_asked(ctx, tmp_path, stereo):
    sizes = {}
    for bits in ("64k", "256k"):
        bitrate = build_parser().parse_args(["render", "default", "-o", "x.mp4", "--audio-bitrate", bits]).audio_bitrate
        out = render_clip("default", tmp_path / f"{bits}.mp4", seconds=None, fps=15, size=(64, 36), progress=False, ctx=ctx,
                          audio=stereo, audio_bitrate=bitrate).path
        sizes[bits] = heard(out)[2] * 8  # bits of sound in the one-second clip
    assert sizes["64k"] == pytest.approx(64_000, rel=0.2) and sizes["256k"] == pytest.approx(256_000, rel=0.2)


@pytest.mark.parametrize("text", ["12k", "1M", "abc", "0"])
def test_a_bad_audio_bitrate_is_one_clear_line(text, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["render", "default", "-o", "x.mp4", "--audio-bitrate", text])
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(
        f"argument --audio-bitrate: {text!r} is not an audio bitrate: bits a second from 32k to 512k, such as 192k")


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
def test_a_track_keeps_its_sample_rate(ctx, tmp_path, suffix):
    track = tmp_path / "cd.wav"
    with wave.open(str(track), "wb") as file:  # half a second of 440 Hz at the CD's 44.1 kHz
        file.setnchannels(2)
        file.setsampwidth(2)
        file.setframerate(44_100)
        file.writeframes(np.repeat((0.4 * np.sin(2 * np.pi * 440 * np.arange(22_050) / 44_100) * 32767).astype("<i2"), 2).tobytes())
    out = render_clip("default", tmp_path / f"cd{suffix}", seconds=None, fps=10, size=(64, 36), progress=False, ctx=ctx,
                      audio=track).path
    with av.open(str(out)) as clip:
        assert clip.streams.audio[0].rate == 44_100
    sound, channels, _ = heard(out)
    assert channels == 2 and sound.shape[1] == pytest.approx(22_050, abs=2048)  # half a second at 44.1 kHz (AAC pads a frame)
