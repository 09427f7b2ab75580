"""What the music is doing, block by block: band levels, loudness, spectral flux, onsets and
a beat tracker, all in numpy, each smoothed with an attack and a release.

The analyser is fed blocks of mono samples in order and holds everything it needs, so the
same samples give the same values: a render with a soundtrack is the same every time.
Levels are scaled by a slowly adapting peak (automatic gain), so a quiet room and a loud
festival both move the swarm across 0..1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 48_000  # samples a second, of every source
WINDOW = 2048  # samples in one spectrum: 43 ms, 23 Hz a bin
BANDS = {"bass": (20.0, 250.0), "mid": (250.0, 4_000.0), "high": (4_000.0, 16_000.0)}
FFT_BINS = 256  # of the spectrum handed to ISF audioFFT inputs (log-spaced, 20 Hz to 16 kHz)
TEMPO_SECONDS = 8.0  # of onset history the beat tracker reads
TEMPO_RANGE = (70.0, 180.0)  # beats a minute the tracker considers
ATTACK, RELEASE = 0.01, 0.25  # seconds a level takes to rise, and to fall, most of the way
GAIN_SECONDS = 20.0  # how long the automatic gain remembers a peak
ONSET_GATE = 0.08  # how far spectral flux must jump over its recent median to be an onset


@dataclass(frozen=True)
class Hearing:
    """One moment of analysis: what the registry's audio.* values and the ISF inputs show."""

    bass: float
    mid: float
    high: float
    level: float  # RMS loudness, 0..1 after gain
    flux: float  # how much the spectrum just changed, 0..1
    onset: float  # 1 at an onset, falling away over the release
    bpm: float  # 0 while there is no tempo yet
    confidence: float  # 0..1: how clearly the onsets keep that tempo
    waveform: np.ndarray  # the last WINDOW samples, -1..1
    spectrum: np.ndarray  # FFT_BINS magnitudes, 0..1 after gain

    def values(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in ("bass", "mid", "high", "level", "flux", "onset", "bpm", "confidence")}


SILENCE = Hearing(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, np.zeros(WINDOW, np.float32), np.zeros(FFT_BINS, np.float32))


class Analyser:
    """Turns blocks of sound into what the piece hears (bands, loudness, onsets, tempo); its state
    is kept in checkpoints so a resumed render hears on as before."""

    keeps = ("_samples", "_previous", "_peaks", "_smooth", "_fluxes", "_since_onset", "_tempo", "_blocks", "hearing")

    def __init__(self) -> None:
        freqs = np.fft.rfftfreq(WINDOW, 1.0 / RATE)
        self._window = np.hanning(WINDOW).astype(np.float32)
        self._bands = {name: (freqs >= low) & (freqs < high) for name, (low, high) in BANDS.items()}
        edges = np.geomspace(20.0, 16_000.0, FFT_BINS + 1)
        self._fft_bins = np.clip(np.searchsorted(freqs, edges), 1, len(freqs) - 1)
        self._samples = np.zeros(WINDOW, np.float32)
        self._previous: np.ndarray = np.zeros(len(freqs), np.float32)
        self._peaks = dict.fromkeys((*BANDS, "level", "flux", "spectrum"), 1e-6)
        self._smooth = dict.fromkeys((*BANDS, "level", "flux", "onset"), 0.0)
        self._fluxes: list[float] = []  # one per block, for the onset threshold and the tempo
        self._since_onset = 1e9
        self._tempo = (0.0, 0.0)
        self._blocks = 0
        self.hearing = SILENCE

    def feed(self, block: np.ndarray) -> Hearing:
        """Analyse the next block of mono samples (any length up to WINDOW) at RATE."""
        block = np.asarray(block, np.float32)[-WINDOW:]
        self._samples = np.concatenate([self._samples[len(block):], block])
        dt = len(block) / RATE
        magnitude = np.abs(np.fft.rfft(self._samples * self._window)) / (WINDOW / 4)
        flux = float(np.maximum(magnitude - self._previous, 0.0).sum())
        self._previous = magnitude
        raw = {name: float(np.sqrt(np.mean(magnitude[mask] ** 2))) for name, mask in self._bands.items()}
        raw["level"] = float(np.sqrt(np.mean(block ** 2))) if len(block) else 0.0
        raw["flux"] = flux
        onset = self._onset(flux, dt)
        levels = {name: self._gained(name, value, dt) for name, value in raw.items()}
        levels["onset"] = 1.0 if onset else 0.0
        for name, target in levels.items():
            current = self._smooth[name]
            seconds = ATTACK if target > current else RELEASE
            self._smooth[name] = current + (target - current) * (1.0 - np.exp(-dt / seconds))
        self._blocks += 1
        if self._blocks % 8 == 0:
            self._tempo = self._track_tempo(dt)
        spectrum = np.maximum.reduceat(magnitude, self._fft_bins[:-1])
        self._peaks["spectrum"] = max(float(spectrum.max()), self._peaks["spectrum"] * np.exp(-dt / GAIN_SECONDS))
        s = self._smooth
        self.hearing = Hearing(s["bass"], s["mid"], s["high"], s["level"], s["flux"], s["onset"], *self._tempo,
                               waveform=self._samples.copy(), spectrum=(spectrum / self._peaks["spectrum"]).astype(np.float32))
        return self.hearing

    def _gained(self, name: str, value: float, dt: float) -> float:
        """The value against the loudest it has been lately: 0..1 in any room."""
        peak = max(value, self._peaks[name] * float(np.exp(-dt / GAIN_SECONDS)), 1e-6)
        self._peaks[name] = peak
        return min(value / peak, 1.0)

    def _onset(self, flux: float, dt: float) -> bool:
        """An onset: flux well over its recent median, at most one per 100 ms."""
        recent = self._fluxes[-int(0.5 / dt) - 1:] if dt > 0 else []
        self._fluxes = (self._fluxes + [flux])[-int(TEMPO_SECONDS / max(dt, 1e-3)) - 1:]
        self._since_onset += dt
        threshold = (float(np.median(recent)) if recent else 0.0) * 1.5 + ONSET_GATE * self._peaks["flux"]
        if flux > threshold and self._since_onset > 0.1 and len(recent) > 4:
            self._since_onset = 0.0
            return True
        return False

    def _track_tempo(self, dt: float) -> tuple[float, float]:
        """The tempo whose beat period best matches the onset envelope's autocorrelation, and
        how much that peak stands above the others."""
        envelope = np.asarray(self._fluxes, np.float32)
        if len(envelope) * dt < 3.0:
            return self._tempo
        envelope = np.maximum(envelope - np.convolve(envelope, np.ones(9) / 9, mode="same"), 0.0)  # the rises only
        spectrum = np.fft.rfft(envelope, 2 * len(envelope))
        correlation = np.fft.irfft(spectrum * np.conj(spectrum))[: len(envelope)]
        if correlation[0] <= 0:
            return (0.0, 0.0)
        lags = np.arange(len(correlation)) * dt
        bpms = np.where(lags > 0, 60.0 / np.maximum(lags, 1e-9), 0.0)
        usable = (bpms >= TEMPO_RANGE[0]) & (bpms <= TEMPO_RANGE[1])
        if not usable.any():
            return self._tempo
        scores = np.where(usable, correlation, -np.inf)
        best = int(np.argmax(scores))
        if 1 <= best < len(correlation) - 1:  # a parabola through the peak: a fraction of a block
            a, b, c = correlation[best - 1], correlation[best], correlation[best + 1]
            shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
        else:
            shift = 0.0
        bpm = 60.0 / ((best + shift) * dt)
        confidence = float(np.clip(correlation[best] / correlation[0], 0.0, 1.0))
        return (round(float(bpm), 1), confidence)
