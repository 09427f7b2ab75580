"""Session record and replay: a live set as its frames' clock and the control it received,
so that an offline render can play it again frame for frame, at any size.

A .oscrec file is JSON lines: a header (preset, seed, size, the rate the show aimed at), then
one line per frame with its index, time, step and the messages applied at its boundary. A
show makes what frames it manages, so a replay shows each at the time it was shown. A show
restarted on the same file appends a restart line (its own header) and goes on. A show with a
camera (the smile mirror) writes the room's smile (faces, smiling, level) on each line where it
changed, so a replay's drives follow the smile the show saw. A show chasing timecode writes its
lock and the timecode it followed on each line (the HUD's LOCKED, `timecode.*`), so a replay's
registry, and whatever a preset maps from it, are the live show's. A show that
hears live sound also writes the sound beside it (S.oscrec.pcm: float32 mono at 48 kHz,
as it arrived, about 690 MB an hour), and each line says how many samples its frame had
heard: the replay hears them in the same blocks, so its analysis, and its picture, are
the live show's.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from time import monotonic
from typing import Any, Protocol

import numpy as np

from neoterra_glow.control.message import Control
from neoterra_glow.core.clock import RENDER_EPOCH
from neoterra_glow.core.presets import find_preset
from neoterra_glow.errors import UserError
from neoterra_glow.output.rate import frame_rate
from neoterra_glow.resources import data_dir
from neoterra_glow.timecode.lock import DAY

FORMAT = "neoterra-glow session 1"
LINE_CAP = 16 * 1024  # bytes of controls in one frame's line: a busy frame's are a few hundred, a story's a kilobyte
RETRY_SECONDS = 2.0  # while the disk is full, how often recording tries again

log = logging.getLogger(__name__)


class SessionError(UserError):
    """A session file that cannot be replayed; the message says where and why."""


@dataclass(frozen=True)
class SessionFrame:
    """One recorded frame: its clock and the controls it received, all a replay needs to make it again."""

    index: int
    time: float
    dt: float
    controls: tuple[Control, ...]
    samples: int | None = None  # of live sound heard by this frame, when the show heard any
    seen: tuple[int, int, float] | None = None  # the room's smile from this frame on (faces, smiling, level), where it changed
    timecode: tuple[bool, float] | None = None  # chasing timecode: whether it was locked, and the timecode followed


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


def session_line(index: int, time: float, dt: float, controls: Iterable, seen: tuple | None = None,
                 timecode: tuple[bool, float] | None = None) -> dict:
    """A frame as a session records it (and a wall's leader sends it): clock and controls, the
    room's smile where the camera saw it change, and the timecode's lock where the show chases one."""
    line = {"i": index, "t": time, "dt": dt, "m": [[c.address, _encode(list(c.args))] for c in controls]}
    if seen is not None:
        line["c"] = list(seen)
    if timecode is not None:
        line["k"] = [bool(timecode[0]), float(timecode[1])]
    return line


def session_frame(record: dict) -> SessionFrame:
    """A session line read back (KeyError, TypeError or ValueError when it is not one)."""
    controls = tuple(Control(str(address), _decode(args)) for address, args in record["m"])
    samples = int(record["s"]) if "s" in record else None
    seen = (int(record["c"][0]), int(record["c"][1]), float(record["c"][2])) if "c" in record else None
    timecode = (_flag(record["k"][0]), _seconds(record["k"][1])) if "k" in record else None
    return SessionFrame(int(record["i"]), float(record["t"]), float(record["dt"]), controls, samples, seen, timecode)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"a lock is true or false, not {value!r}")
    return value


def _seconds(value: Any) -> float:
    seconds = float(value)
    if not 0.0 <= seconds <= DAY:  # NaN fails too
        raise ValueError(f"a timecode is 0 to {DAY:g} seconds, not {value!r}")
    return seconds


class SessionRecorder:
    """Writes a session as the show runs, appending a line a frame and handing it to the
    system at once: a show killed in any way leaves its set up to the last frame boundary.

    A set that exists is continued, never truncated: a restarted show (a service restart)
    writes a restart line and its frames after the first show's. Each write is whole or
    undone, so a full disk leaves no half line: it is said once, recording pauses while the
    show goes on, and it resumes when a later try finds room. A frame's line holds at most
    LINE_CAP bytes of controls; a control past that is left out and counted."""

    def __init__(self, path: Path, preset: Path, seed: int, size: tuple[int, int], epoch: float = RENDER_EPOCH,
                 report: Callable[[str], None] = log.error, fps: float | Fraction | None = None) -> None:
        """`fps`: the rate the show aims at (None where a window's vsync paces it), the replay's own."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.report = report
        self.dropped = 0  # controls left out of their frame's line for its size
        self.lost = 0  # frames not recorded while the disk was full
        self._paused: float | None = None  # when the last write failed
        self._file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self._sound: int | None = None
        self._samples = 0
        header = {"format": FORMAT, "preset": recorded_as(preset), "seed": seed, "size": list(size), "epoch": epoch}
        if fps is not None:
            header["fps"] = str(frame_rate(fps))
        try:
            self._pending = self._opening(header)  # written with the first frame's line
        except SessionError:
            os.close(self._file)
            raise

    def _opening(self, header: dict) -> bytes:
        """The header of a new set, or the restart line of one that is continued."""
        with self.path.open("rb") as existing:
            first = existing.readline(1 << 16)
            existing.seek(0, os.SEEK_END)
            ends = existing.tell()
            if ends:
                existing.seek(ends - 1)
            cut = ends > 0 and existing.read(1) != b"\n"  # a line the show was killed in
        if not first:
            return _line(header)
        try:
            continued = json.loads(first).get("format") == FORMAT
        except (ValueError, AttributeError):
            continued = False
        if not continued:
            raise SessionError(f"{self.path}: not a neoterra-glow session, so it is not appended to; record to another file")
        return (b"\n" if cut else b"") + _line({"restart": header})

    def record(self, index: int, time: float, dt: float, controls: Iterable, sound: list[np.ndarray] | None = None,
               seen: tuple | None = None, timecode: tuple[bool, float] | None = None) -> None:
        """One frame: its clock, the controls applied, (when the show hears) the sound that arrived,
        (when it has a camera) the room's smile where it changed, and (chasing) the timecode's lock."""
        line = session_line(index, time, dt, self._capped(index, controls), seen, timecode)
        if self._paused is not None and monotonic() - self._paused < RETRY_SECONDS:
            self.lost += 1
            return
        heard = b"" if sound is None else b"".join(np.asarray(block, "<f4").tobytes() for block in sound)
        try:
            if sound is not None:
                if self._sound is None:
                    self._sound = self._open_sound()
                _append(self._sound, heard)  # before the line that counts it
                line["s"] = self._samples + len(heard) // 4
            try:
                _append(self._file, self._pending + _line(line))
            except OSError:
                if heard:
                    assert self._sound is not None  # opened above, for what was heard
                    os.ftruncate(self._sound, os.fstat(self._sound).st_size - len(heard))
                raise
        except OSError as error:
            self.lost += 1
            if self._paused is None:
                self.report(f"error: recording {self.path}: {error.strerror}; recording pauses and the show goes on "
                            f"(it tries again every {RETRY_SECONDS:.0f} s)")
            self._paused = monotonic()
            return
        self._samples += len(heard) // 4
        self._pending = b""
        if self._paused is not None:
            self._paused = None
            log.warning("recording %s resumes (%d frames in all were not recorded)", self.path, self.lost)

    def _open_sound(self) -> int:
        """The sound beside the set, continued: its sample count goes on from what it holds."""
        sound = os.open(sound_path(self.path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        size = os.fstat(sound).st_size
        self._samples = -(-size // 4)
        if size % 4:
            _append(sound, bytes(4 - size % 4))  # a sample cut short is filled out, not removed
        return sound

    def _capped(self, index: int, controls: Iterable) -> list:
        """The frame's controls that fit its line; the rest are counted, and the first is said."""
        kept, used = [], 0
        for control in controls:
            size = len(json.dumps([control.address, _encode(list(control.args))], separators=(",", ":")))
            if used + size > LINE_CAP:
                if not self.dropped:
                    self.report(f"error: recording {self.path}: frame {index}'s {control.address} ({size:,} bytes) is past "
                                f"the session line's {LINE_CAP:,}; it is left out of the recording (and counted)")
                self.dropped += 1
                continue
            kept.append(control)
            used += size
        return kept

    def close(self) -> None:
        os.close(self._file)
        if self._sound is not None:
            os.close(self._sound)


def _line(record: dict) -> bytes:
    return (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8")  # a NaN a command took is written as NaN


def _append(file: int, data: bytes) -> None:
    """All of `data` at the end of `file`, or nothing: a write the disk stops is undone."""
    start = os.fstat(file).st_size
    try:
        written = 0
        while written < len(data):
            written += os.write(file, data[written:])
    except OSError:
        os.ftruncate(file, start)
        raise


def sound_path(session: Path) -> Path:
    return session.with_name(session.name + ".pcm")


@dataclass(frozen=True)
class Session:
    """A recorded live set: a preset, a seed, a size and its frames, so a render replays it byte for byte."""

    path: Path
    preset: Path
    seed: int
    size: tuple[int, int]
    frames: tuple[SessionFrame, ...]
    epoch: float = RENDER_EPOCH  # the date the show began (ISF's DATE), when it said
    fps: Fraction | None = None  # the rate the show aimed at, when it said

    def shown(self, fps: Fraction) -> np.ndarray:
        """How many frames of a clip at `fps` each recorded frame fills, so that each is seen at
        the time it was shown live and the clip lasts as long as the set (a frame the clip's
        rate passes over fills none)."""
        times = np.array([frame.time for frame in self.frames])
        last = self.frames[-1]
        count = max(round((last.time + (last.dt or 1 / fps)) * fps), 1)
        moments = np.arange(count) * fps.denominator / fps.numerator
        which = np.searchsorted(times, moments + 1e-6, "right") - 1  # 1 µs: a frame due at a moment is shown at it
        return np.bincount(np.maximum(which, 0), minlength=len(times))

    def sound(self) -> np.ndarray | None:
        """The live sound the show heard, when it heard any (samples past the last frame's are dropped)."""
        path = sound_path(self.path)
        if self.frames[-1].samples is None or not path.is_file():
            return None
        return np.fromfile(path, "<f4")[: self.frames[-1].samples].astype(np.float32)


def read_session(path: Path) -> Session:
    """Read a recorded session; a line cut short by a crash ends it (or its show, when a restart
    follows), anything else wrong is an error. A restarted show's frames go on from the first's:
    numbered after its last, at the time on the set's clock they were shown."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SessionError(f"{path}: cannot read: {error}") from None
    try:
        header = json.loads(lines[0]) if lines else {}
    except (json.JSONDecodeError, RecursionError):
        header = {}
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SessionError(f"{path}: not a neoterra-glow session (its first line should name {FORMAT!r})")
    epoch = float(header.get("epoch", RENDER_EPOCH))
    try:
        fps = frame_rate(header["fps"]) if "fps" in header else None
    except ValueError as error:
        raise SessionError(f"{path}:1: fps: {error}") from None
    frames: list[SessionFrame] = []
    shift = (0, 0.0)  # frames and seconds a restarted show's own clock is behind the set's
    for number, line in enumerate(lines[1:], 2):
        restarted = number < len(lines) and lines[number].startswith('{"restart":')
        try:
            record = json.loads(line)
            if isinstance(record, dict) and "restart" in record:
                shift = _restart(frames, float(record["restart"].get("epoch", epoch)) - epoch)
                continue
            frame = session_frame(record)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            if number == len(lines) or restarted:
                continue  # the show stopped mid-line
            raise SessionError(f"{path}:{number}: not a session frame: {error}") from None
        frames.append(replace(frame, index=frame.index + shift[0], time=frame.time + shift[1]))
    if not frames:
        raise SessionError(f"{path}: no frames were recorded: the show it comes from ended before its first frame")
    return Session(path, recorded_preset(str(header["preset"])), int(header["seed"]), tuple(header["size"]), tuple(frames), epoch, fps)


def recorded_as(preset: Path) -> str:
    """How a set names its preset: a bundled one by its name, so the set replays on another
    install (another folder, another machine) without a warning; any other by its full path."""
    preset = preset.resolve()
    return preset.stem if preset.parent == data_dir("presets").resolve() else str(preset)


def recorded_preset(name: str) -> Path:
    """The preset a set names, on this install: a bundled one's file here (as given, where this
    install has none of that name, so the replay says so)."""
    if Path(name).is_absolute():
        return Path(name)
    try:
        return find_preset(name).resolve()
    except UserError:
        return Path(name)


def _restart(frames: list[SessionFrame], began: float) -> tuple[int, float]:
    """Where a restarted show's frames go on: after the last frame, at the moment it began (seconds
    after the set's first show began), or a step after the last frame when the clocks disagree."""
    if not frames:
        return 0, max(began, 0.0)
    last = frames[-1]
    return last.index + 1, max(began, last.time + (last.dt or 1 / 60))


class Recorded(Protocol):
    """What a run replays: a Session, or a wall follower's Feed (wall/feed.py), which grows frame by frame."""

    @property
    def path(self) -> Path: ...

    @property
    def epoch(self) -> float: ...

    @property
    def frames(self) -> Sequence[SessionFrame] | Mapping[int, SessionFrame]: ...


class ReplayClock:
    """Gives back the recorded frames' clock, frame by frame, from the date the show began."""

    keeps = ("ticked",)

    def __init__(self, frames: Sequence[SessionFrame] | Mapping[int, SessionFrame], epoch: float = RENDER_EPOCH) -> None:
        self.epoch = epoch
        self._frames = frames
        self.ticked = 0  # frames given so far

    def tick(self) -> tuple[int, float, float]:
        current = self._frames[self.ticked]
        self.ticked += 1
        return current.index, current.time, current.dt
