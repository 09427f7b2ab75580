"""Sounds made for the tests: tones in each band, and clicks at a known tempo, as real WAV files."""

import wave
from pathlib import Path

import numpy as np

RATE = 48_000


def tone(hz: float, seconds: float, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def clicks(bpm: float, seconds: float, start: float = 0.25) -> np.ndarray:
    """A short burst of noise on every beat, over a quiet hum."""
    out = tone(110.0, seconds, 0.02)
    burst = np.random.default_rng(1).uniform(-0.8, 0.8, 480).astype(np.float32) * np.exp(-np.arange(480) / 120)
    for beat in np.arange(start, seconds, 60.0 / bpm):
        at = int(beat * RATE)
        out[at:at + len(burst)] += burst[: len(out) - at]
    return out


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
