"""A PipeWire video node: the show's picture as a Video/Source that PipeWire clients link to
(OBS's PipeWire camera source, browsers with PipeWire cameras, `pw-link`), without a kernel
module: `--stream pipewire://NAME`.

GStreamer's pipewiresink makes the node; it runs in a `gst-launch-1.0` process fed raw RGBA
frames on its stdin (gstreamer1.0-pipewire and gstreamer1.0-tools from the distribution: no
Python package). A leaky queue in front of the sink drops frames while nothing is linked, so
the stream's thread never waits on a viewer. A machine without those tools, or with no PipeWire
running for this user, is refused in one line that says what is missing and what to use instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

from neoterra_glow.errors import UserError

SCHEME = "pipewire://"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # a node name that needs no quoting in GStreamer's properties
INSTEAD = "or use --stream v4l2:/dev/videoN (v4l2loopback) or ndi://NAME"
CLOSING = 5.0  # seconds GStreamer has to finish after its input ends, before it is stopped
CHECK = 1.0  # seconds between looks at whether PipeWire still answers (pipewiresink 0.3 goes on without it, silently)


def pipewire_socket() -> Path:
    """Where the PipeWire daemon listens for this user: $PIPEWIRE_REMOTE in $PIPEWIRE_RUNTIME_DIR or $XDG_RUNTIME_DIR."""
    remote = Path(os.environ.get("PIPEWIRE_REMOTE") or "pipewire-0")
    runtime = os.environ.get("PIPEWIRE_RUNTIME_DIR") or os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return remote if remote.is_absolute() else Path(runtime) / remote


def reach(path: Path) -> None:
    """Connect to the PipeWire daemon's socket and leave: an OSError if nothing answers there."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.connect(str(path))


def check_pipewire(url: str) -> None:
    """Refuse, in one line, a machine that cannot make the node: no GStreamer tools, no pipewiresink, no daemon."""
    if shutil.which("gst-launch-1.0") is None or shutil.which("gst-inspect-1.0") is None:
        raise UserError(f"{url}: GStreamer's tools are not installed (apt install gstreamer1.0-tools gstreamer1.0-pipewire), {INSTEAD}")
    inspect = subprocess.run(["gst-inspect-1.0", "pipewiresink"], capture_output=True, timeout=30)
    if inspect.returncode != 0:
        raise UserError(f"{url}: GStreamer has no pipewiresink (apt install gstreamer1.0-pipewire), {INSTEAD}")
    path = pipewire_socket()
    try:
        reach(path)
    except OSError as error:
        raise UserError(f"{url}: no PipeWire running for this user ({path}: {error.strerror}); start it "
                        f"(systemctl --user start pipewire), {INSTEAD}") from None


class PipeWireNode:
    """A Video/Source node named NAME, fed RGBA frames (top row first) from a stream's recorder thread."""

    def __init__(self, url: str, size: tuple[int, int], fps: int | Fraction) -> None:
        name = url.removeprefix(SCHEME)
        if not NAME.match(name):
            raise UserError(f"{url}: a PipeWire node's name is letters, digits, '.', '_' and '-' (64 at most), such as pipewire://neoterra")
        check_pipewire(url)
        width, height = size
        rate = Fraction(fps)
        self.size = size
        command = [
            "gst-launch-1.0", "-q", "fdsrc", "fd=0", f"blocksize={width * height * 4}",
            "!", "rawvideoparse", f"width={width}", f"height={height}", "format=rgba", f"framerate={rate.numerator}/{rate.denominator}",
            "!", "queue", "leaky=downstream", "max-size-buffers=2", "!", "videoconvert",  # whole frames: pipewiresink 0.3 crashes on a
            # buffer of several pieces, as rawvideoparse makes of a pipe's reads
            "!", "pipewiresink", "mode=provide", "sync=false", f"client-name={name}",
            f"stream-properties=props,media.class=Video/Source,node.name={name},node.description={name}",
        ]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert self._process.stdin is not None and self._process.stderr is not None  # both piped
        self._frames_in, self._errors = self._process.stdin, self._process.stderr
        self.url = url
        self.frames = 0
        self._socket = pipewire_socket()
        self._checked = time.monotonic()

    def write(self, rgba: np.ndarray) -> None:
        if rgba.shape != (self.size[1], self.size[0], 4):
            raise ValueError(f"{self.url}: a frame of {rgba.shape[1]}x{rgba.shape[0]} for a {self.size[0]}x{self.size[1]} node")
        if time.monotonic() - self._checked > CHECK:
            self._checked = time.monotonic()
            try:
                reach(self._socket)
            except OSError as error:
                raise OSError(f"PipeWire stopped answering ({self._socket}: {error.strerror})") from None
        try:
            self._frames_in.write(np.ascontiguousarray(rgba, np.uint8).data)
        except (BrokenPipeError, ValueError):
            raise OSError(f"PipeWire's GStreamer process stopped: {self._why()}") from None
        self.frames += 1

    def _why(self) -> str:
        self._process.wait(timeout=CLOSING)
        lines = self._errors.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"it exited with {self._process.returncode}"

    def close(self) -> None:
        try:
            self._frames_in.close()
        except BrokenPipeError:
            pass
        try:
            self._process.wait(timeout=CLOSING)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._errors.close()

    discard = close
