"""The analysis on sounds whose answer is known: bands, onsets, the tempo, determinism."""

import numpy as np
import pytest

from neoterra_glow.audio.analysis import Analyser
from neoterra_glow.audio.files import BLOCK, AudioError, Soundtrack, read_audio
from tests.audio.sounds import RATE, clicks, tone, write_wav


def heard(samples, seconds=None):
    analyser = Analyser()
    end = len(samples) if seconds is None else int(seconds * RATE)
    for start in range(0, end - BLOCK + 1, BLOCK):
        analyser.feed(samples[start:start + BLOCK])
    return analyser.hearing


@pytest.mark.parametrize("hz, loud", [(60.0, "bass"), (1_000.0, "mid"), (8_000.0, "high")])
def test_a_tone_lights_its_own_band(hz, loud):
    # a second of another band first, so each band's gain has met its own peak
    quiet = {"bass": 8_000.0, "mid": 60.0, "high": 60.0}[loud]
    hearing = heard(np.concatenate([tone(quiet, 1.0, 0.3), tone(hz, 1.0)]))
    levels = {"bass": hearing.bass, "mid": hearing.mid, "high": hearing.high}
    assert levels[loud] > 0.8
    assert all(value < 0.2 for band, value in levels.items() if band != loud), levels


@pytest.mark.parametrize("bpm", [96.0, 120.0, 140.0])
def test_clicks_at_a_tempo_are_heard_as_that_tempo(bpm):
    hearing = heard(clicks(bpm, 10.0))
    assert hearing.bpm == pytest.approx(bpm, abs=1.0)
    assert hearing.confidence > 0.3


def test_an_onset_rises_at_each_click_and_falls_between():
    samples, analyser, onsets = clicks(120.0, 4.0), Analyser(), []
    for start in range(0, len(samples) - BLOCK + 1, BLOCK):
        onsets.append(analyser.feed(samples[start:start + BLOCK]).onset)
    onsets = np.array(onsets)
    times = np.arange(len(onsets)) * BLOCK / RATE
    beats = np.arange(1.25, 4.0, 0.5)  # after the first second, once the threshold has settled
    for beat in beats:
        near = onsets[(times >= beat) & (times < beat + 0.05)]
        assert near.max() > 0.5, beat
    between = onsets[np.any([(times > b + 0.3) & (times < b + 0.45) for b in beats], axis=0)]
    assert between.max() < 0.5


def test_a_file_is_heard_the_same_every_time(tmp_path):
    path = write_wav(tmp_path / "beat.wav", clicks(120.0, 3.0) + tone(60.0, 3.0, 0.3))
    runs = []
    for _ in range(2):
        track = Soundtrack.read(path)
        runs.append([track.hear(t / 30).values() for t in range(90)])
    assert runs[0] == runs[1]
    assert track.seconds == pytest.approx(3.0, abs=1e-3)


def test_a_file_at_another_rate_is_resampled(tmp_path):
    samples, kept, rate = read_audio(write_wav(tmp_path / "low.wav", tone(440.0, 1.0)[::2], rate=24_000))
    assert len(samples) == pytest.approx(RATE, abs=64)  # heard at 48 kHz
    assert rate == 24_000 and kept.shape == (1, pytest.approx(24_000, abs=32))  # kept for the clip as it was


def test_a_broken_or_silent_file_is_a_clear_error(tmp_path):
    (tmp_path / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnope")
    with pytest.raises(AudioError, match="broken.wav: not a readable sound file"):
        read_audio(tmp_path / "broken.wav")
    with pytest.raises(AudioError, match="missing.flac: not a readable sound file"):
        read_audio(tmp_path / "missing.flac")
