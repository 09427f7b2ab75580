"""Session record and replay: a live set as its frames' clock and the control it received,
so that an offline render can play it again frame for frame, at any size.

A .oscrec file is JSON lines: a header (preset, seed, size), then one line per
frame with its index, time, step and the messages applied at its boundary. A show that
hears live sound also writes the sound beside it (S.oscrec.pcm: float32 mono at 48 kHz,
as it arrived, about 690 MB an hour), and each line says how many samples its frame had
heard: the replay hears them in the same blocks, so its analysis, and its picture, are
the live show's.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from neoterra_glow.control.message import Control
from neoterra_glow.core.clock import RENDER_EPOCH
from neoterra_glow.errors import UserError

FORMAT = "neoterra-glow session 1"


class SessionError(UserError):
    """A session file that cannot be replayed; the message says where and why."""


@dataclass(frozen=True)
class SessionFrame:
    index: int
    time: float
    dt: float
    controls: tuple[Control, ...]
    samples: int | None = None  # of live sound heard by this frame, when the show heard any


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"blob": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "blob" in value:
        return base64.b64decode(value["blob"])
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def session_line(index: int, time: float, dt: float, controls: Iterable) -> dict:
    """A frame as a session records it (and a wall's leader sends it): clock and controls."""
    return {"i": index, "t": time, "dt": dt, "m": [[c.address, _encode(list(c.args))] for c in controls]}


def session_frame(record: dict) -> SessionFrame:
    """A session line read back (KeyError, TypeError or ValueError when it is not one)."""
    controls = tuple(Control(str(address), _decode(args)) for address, args in record["m"])
    samples = int(record["s"]) if "s" in record else None
    return SessionFrame(int(record["i"]), float(record["t"]), float(record["dt"]), controls, samples)


class SessionRecorder:
    """Writes a session as the show runs, appending a line a frame and handing it to the
    system at once: a show killed in any way leaves its set up to the last frame boundary."""

    def __init__(self, path: Path, preset: Path, seed: int, size: tuple[int, int], epoch: float = RENDER_EPOCH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = path.open("w", encoding="utf-8")
        self._sound = None
        self._samples = 0
        self._write({"format": FORMAT, "preset": str(preset.resolve()), "seed": seed, "size": list(size), "epoch": epoch})

    def _write(self, record: dict) -> None:
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")  # a NaN a command took is written as NaN
        self._file.flush()

    def record(self, index: int, time: float, dt: float, controls: Iterable, sound: list[np.ndarray] | None = None) -> None:
        """One frame: its clock, the controls applied, and (when the show hears) the sound that arrived."""
        line = session_line(index, time, dt, controls)
        if sound is not None:
            if self._sound is None:
                self._sound = sound_path(self.path).open("wb")
            for block in sound:
                self._sound.write(np.asarray(block, "<f4").tobytes())
                self._samples += len(block)
            self._sound.flush()  # before the line that counts it
            line["s"] = self._samples
        self._write(line)

    def close(self) -> None:
        self._file.close()
        if self._sound is not None:
            self._sound.close()


def sound_path(session: Path) -> Path:
    return session.with_name(session.name + ".pcm")


@dataclass(frozen=True)
class Session:
    path: Path
    preset: Path
    seed: int
    size: tuple[int, int]
    frames: tuple[SessionFrame, ...]
    epoch: float = RENDER_EPOCH  # the date the show began (ISF's DATE), when it said

    def sound(self) -> np.ndarray | None:
        """The live sound the show heard, when it heard any (samples past the last frame's are dropped)."""
        path = sound_path(self.path)
        if self.frames[-1].samples is None or not path.is_file():
            return None
        return np.fromfile(path, "<f4")[: self.frames[-1].samples].astype(np.float32)


def read_session(path: Path) -> Session:
    """Read a recorded session; a line cut short by a crash ends it, anything else wrong is an error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SessionError(f"{path}: cannot read: {error}") from None
    try:
        header = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        header = {}
    if header.get("format") != FORMAT:
        raise SessionError(f"{path}: not a neoterra-glow session (its first line should name {FORMAT!r})")
    frames = []
    for number, line in enumerate(lines[1:], 2):
        try:
            frames.append(session_frame(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            if number == len(lines):
                break  # the show stopped mid-line
            raise SessionError(f"{path}:{number}: not a session frame: {error}") from None
    if not frames:
        raise SessionError(f"{path}: no frames were recorded: the show it comes from ended before its first frame")
    return Session(path, Path(header["preset"]), int(header["seed"]), tuple(header["size"]), tuple(frames),
                   float(header.get("epoch", RENDER_EPOCH)))


class ReplayClock:
    """Gives back the recorded frames' clock, frame by frame, from the date the show began."""

    keeps = ("ticked",)

    def __init__(self, frames: tuple[SessionFrame, ...], epoch: float = RENDER_EPOCH) -> None:
        self.epoch = epoch
        self._frames = frames
        self.ticked = 0  # frames given so far

    def tick(self) -> tuple[int, float, float]:
        current = self._frames[self.ticked]
        self.ticked += 1
        return current.index, current.time, current.dt
