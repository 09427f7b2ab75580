"""The camera in a process of its own: frames are read and measured there, and only a few numbers
a frame cross the pipe (no pixel ever leaves that process, and it writes no file).

A v4l2 device (/dev/videoN) or a video file (looped: a rehearsal's stand-in) is read with
OpenCV. A camera that is missing or unplugged is said once; the room's values fall to rest and
the show goes on; the process looks for it again every few seconds and carries on when it returns.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from dataclasses import dataclass

from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class Seen:
    """The room as the camera last saw it; all zero at rest."""

    faces: int = 0
    smiling: int = 0
    level: float = 0.0
    width: float = 0.0  # the strongest smile's shape, in eye distances
    lift: float = 0.0
    asymmetry: float = 0.0
    openness: float = 0.0
    strength: float = 0.0

    @property
    def room(self) -> tuple[int, int, float]:
        """What the room's parameters are made of (mirror/levels.py), as a session records it."""
        return self.faces, self.smiling, self.level


REST = Seen()


def _watch(source: str, pipe) -> None:
    """The camera process: read, measure, send numbers; say once when the camera is gone."""
    import cv2

    from neoterra_glow.mirror.measure import measure

    cv2.setNumThreads(1)  # one core: the show's process keeps the others
    capture, absent = None, None
    while True:
        if capture is None:
            capture = cv2.VideoCapture(source)
            if not capture.isOpened():
                capture = None
                if absent is None:
                    absent = f"camera {source}: cannot be opened"
                    pipe.send(("absent", absent))
                time.sleep(RETRY_SECONDS)
                continue
            absent = None
            pipe.send(("live", source))
            # a file stands in for a camera at its own frame rate; a device paces itself
            period = 0.0 if source.startswith("/dev/") else 1.0 / (capture.get(cv2.CAP_PROP_FPS) or 30.0)
            due = time.monotonic()
        due += period
        time.sleep(max(0.0, due - time.monotonic()))
        ok, frame = capture.read()
        captured = time.monotonic()
        if not ok:
            capture.release()
            capture = None  # a file's end loops; a device's loss is said when it cannot be opened again
            continue
        room = measure(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        del frame
        best = max(room.smiles, key=lambda s: s.strength, default=None)
        shape = (best.width, best.lift, best.asymmetry, best.openness, best.strength) if best else (0.0,) * 5
        # the frame's capture time (CLOCK_MONOTONIC, shared by processes), the room, the best smile
        pipe.send(("seen", (captured, room.faces, room.smiling, room.level, *shape)))


class CameraWatch:
    """`take()` at a frame boundary: what the camera last saw (REST while it is gone)."""

    def __init__(self, source: str) -> None:
        try:
            import cv2  # noqa: F401  (said here, in the show's process, rather than lost in the camera's)
        except ImportError:
            raise UserError("the smile mirror needs the optional extra: pip install 'neoterra-glow[camera]'") from None
        self.source = source
        self.absent: str | None = None  # why there is no camera now, for the HUD
        self.latency = 0.0  # seconds from the latest frame's capture to the boundary that took it
        self.seen = REST
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no GL context or window is inherited
        self._pipe, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_watch, args=(source, child), daemon=True, name="neoterra-camera")
        self._process.start()
        child.close()

    def take(self) -> Seen:
        latest = None
        while self._pipe.poll():
            kind, body = self._pipe.recv()
            if kind == "absent":
                log.warning("%s; the show goes on without it and looks for it again", body)
                self.absent, self.seen = body, REST
            elif kind == "live":
                log.info("camera %s is live", body)
                self.absent = None
            else:
                latest = body
        if latest is not None and self.absent is None:
            captured, *values = latest
            self.latency = time.monotonic() - captured
            self.seen = Seen(int(values[0]), int(values[1]), *map(float, values[2:]))
        return self.seen

    def close(self) -> None:
        self._process.terminate()
        self._process.join(2.0)
        self._pipe.close()
