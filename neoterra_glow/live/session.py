"""Session record and replay: a live set as its frames' clock and the control it received,
so that an offline render can play it again frame for frame, at any size.

A .oscrec file is JSON lines: a header (preset, seed, size), then one line per
frame with its index, time, step and the messages applied at its boundary.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

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


class SessionRecorder:
    """Writes a session as the show runs, appending a line a frame and handing it to the
    system at once: a show killed in any way leaves its set up to the last frame boundary."""

    def __init__(self, path: Path, preset: Path, seed: int, size: tuple[int, int], epoch: float = RENDER_EPOCH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = path.open("w", encoding="utf-8")
        self._write({"format": FORMAT, "preset": str(preset.resolve()), "seed": seed, "size": list(size), "epoch": epoch})

    def _write(self, record: dict) -> None:
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")  # a NaN a command took is written as NaN
        self._file.flush()

    def record(self, index: int, time: float, dt: float, controls: Iterable) -> None:
        messages = [[c.address, _encode(list(c.args))] for c in controls]
        self._write({"i": index, "t": time, "dt": dt, "m": messages})

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Session:
    path: Path
    preset: Path
    seed: int
    size: tuple[int, int]
    frames: tuple[SessionFrame, ...]
    epoch: float = RENDER_EPOCH  # the date the show began (ISF's DATE), when it said


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
            record = json.loads(line)
            controls = tuple(Control(str(address), _decode(args)) for address, args in record["m"])
            frames.append(SessionFrame(int(record["i"]), float(record["t"]), float(record["dt"]), controls))
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

    def __init__(self, frames: tuple[SessionFrame, ...], epoch: float = RENDER_EPOCH) -> None:
        self.epoch = epoch
        self._frames = iter(frames)
        self.current: SessionFrame | None = None

    def tick(self) -> tuple[int, float, float]:
        self.current = next(self._frames)
        return self.current.index, self.current.time, self.current.dt
