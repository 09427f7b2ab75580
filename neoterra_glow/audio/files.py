"""A soundtrack from a file (WAV, FLAC, MP3 ... whatever PyAV decodes): its samples, heard
on the frame's clock, so a render with `--audio` moves the same way every time, and its
channels kept for the clip that carries it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from neoterra_glow.audio.analysis import RATE, Analyser, Hearing
from neoterra_glow.errors import UserError

BLOCK = 512  # samples the analyser takes at a time: about 11 ms
MAX_SECONDS = 4 * 3600  # a soundtrack longer than this is refused, not decoded into memory


class AudioError(UserError):
    """A soundtrack that cannot be used; the message names the file and why."""


def read_audio(path: Path) -> np.ndarray:
    """The file's sound as float samples at RATE, a row a channel: mono stays mono, two or
    more channels come out stereo (a surround mix folded down), as a clip carries them."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError(f"{path}: no sound in this file")
            stream = container.streams.audio[0]
            layout = "mono" if stream.codec_context.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=RATE)
            chunks, total = [], 0
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray()
                    chunks.append(chunk)
                    total += chunk.shape[1]
                if total > MAX_SECONDS * RATE:
                    raise AudioError(f"{path}: longer than {MAX_SECONDS // 3600} hours")
            chunks += [out.to_ndarray() for out in resampler.resample(None)]
    except (av.FFmpegError, OSError, ValueError) as error:
        if isinstance(error, AudioError):
            raise
        raise AudioError(f"{path}: not a readable sound file: {error}") from None
    samples = np.concatenate(chunks, axis=1).astype(np.float32) if chunks else np.zeros((1, 0), np.float32)
    if not samples.shape[1]:
        raise AudioError(f"{path}: the sound is empty")
    return np.nan_to_num(np.clip(samples, -1.0, 1.0))


class Soundtrack:
    """Samples heard on the frame's clock: `hear(time)` analyses every block up to it; a
    session's recorded sound is heard up to the samples each frame had (`hear_until`).
    `channels`: the sound as the clip carries it (a row a channel); `samples`: their mix, heard."""

    keeps = ("_analyser", "_heard")

    def __init__(self, sound: np.ndarray) -> None:
        """`sound`: mono samples, or a row of samples a channel, at RATE."""
        self.channels = np.atleast_2d(sound)
        self.samples = self.channels[0] if len(self.channels) == 1 else self.channels.mean(axis=0, dtype=np.float32)
        self._analyser = Analyser()
        self._heard = 0  # samples analysed so far

    @classmethod
    def read(cls, path: Path) -> Soundtrack:
        return cls(read_audio(path))

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
