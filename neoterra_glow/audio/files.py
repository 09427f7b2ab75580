"""A soundtrack from a file (WAV, FLAC, MP3 ... whatever PyAV decodes): its samples, heard
on the frame's clock, so a render with `--audio` moves the same way every time, and its
channels kept for the clip that carries it."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import av
import numpy as np

from neoterra_glow.audio.analysis import RATE, Analyser, Hearing
from neoterra_glow.errors import UserError

BLOCK = 512  # samples the analyser takes at a time: about 11 ms
MAX_SECONDS = 4 * 3600  # a soundtrack longer than this is refused, not decoded into memory
KEPT_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000)  # what AAC takes


class AudioError(UserError):
    """A soundtrack that cannot be used; the message names the file and why."""


def read_audio(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """The file's sound, heard (mono float samples at RATE) and kept for the clip (a row a
    channel at the file's own rate): mono stays mono, two or more channels come out stereo (a
    surround mix folded down); a rate AAC does not take is resampled to RATE."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: no sound in this file")
            stream = container.streams.audio[0]
            rate = stream.codec_context.sample_rate if stream.codec_context.sample_rate in KEPT_RATES else RATE
            layout = "mono" if stream.codec_context.channels == 1 else "stereo"
            hear = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            keep = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            heard, kept, total = [], [], 0
            for frame in chain(container.decode(stream), [None]):  # None: what the resamplers still hold
                for out in hear.resample(frame):
                    heard.append(out.to_ndarray().reshape(-1))
                    total += len(heard[-1])
                kept += [out.to_ndarray() for out in keep.resample(frame)]
                if total > MAX_SECONDS * RATE:
                    raise AudioError(f"{path}: longer than {MAX_SECONDS // 3600} hours")
    except (av.FFmpegError, OSError, ValueError) as error:
        if isinstance(error, AudioError):
            raise
        raise AudioError(f"{path}: not a readable sound file: {error}") from None
    if not total:
        raise AudioError(f"{path}: the sound is empty")
    samples, channels = np.concatenate(heard), np.concatenate(kept, axis=1)
    return (np.nan_to_num(np.clip(samples, -1.0, 1.0)).astype(np.float32),
            np.nan_to_num(np.clip(channels, -1.0, 1.0)).astype(np.float32), rate)


class Soundtrack:
    """Samples heard on the frame's clock: `hear(time)` analyses every block up to it; a
    session's recorded sound is heard up to the samples each frame had (`hear_until`).
    `samples`: mono at RATE, what the piece hears; `channels` at `rate`: what the clip carries."""

    keeps = ("_analyser", "_heard")

    def __init__(self, samples: np.ndarray, channels: np.ndarray | None = None, rate: int = RATE) -> None:
        """Without `channels`, the clip carries `samples` as they are (mono at RATE)."""
        self.samples = samples
        self.channels = samples[None] if channels is None else channels
        self.rate = rate
        self._analyser = Analyser()
        self._heard = 0  # samples analysed so far

    @classmethod
    def read(cls, path: Path) -> Soundtrack:
        return cls(*read_audio(path))

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE

    def hear(self, time: float) -> Hearing:
        """The analysis at `time` seconds (times must not go back); silence after the end."""
        return self.hear_until(int(time * RATE))

    def hear_until(self, until: int) -> Hearing:
        """The analysis once `until` samples have been heard, in blocks as they arrived live."""
        while self._heard + BLOCK <= until:
            block = self.samples[self._heard:self._heard + BLOCK]
            self._analyser.feed(np.pad(block, (0, BLOCK - len(block))))
            self._heard += BLOCK
        return self._analyser.hearing
