"""A virtual camera: the show's picture as a webcam that other programs open (OBS, browsers,
video calls), Linux's answer to Syphon and Spout. It is a v4l2loopback device (/dev/videoN),
fed raw YUV 4:2:0 frames by FFmpeg's v4l2 output (PyAV's wheels have it): `--stream v4l2:/dev/videoN`.

A machine without the v4l2loopback kernel module, a device that is not there, or one that
takes no pictures (a real camera, /dev/null) is refused in one line that says what is missing.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from neoterra_glow.errors import UserError
from neoterra_glow.output.encoders import send_yuv420, yuv420_stream

SCHEME = "v4l2:"
MODULE = Path("/sys/module/v4l2loopback")  # there while the kernel module is loaded
VIRTUAL = Path("/sys/devices/virtual/video4linux")  # where v4l2loopback's devices are listed


def missing(url: str, device: Path) -> str:
    """Why a virtual camera's device is not there, and what to do."""
    number = device.name.removeprefix("video") if device.name.removeprefix("video").isdigit() else "10"
    load = f"sudo modprobe v4l2loopback video_nr={number} card_label=neoterra-glow exclusive_caps=1"
    if not MODULE.exists():
        return (f"{url}: no such device, and the v4l2loopback kernel module, which makes virtual cameras, is not loaded here: "
                f"install it (apt install v4l2loopback-dkms) and load it: {load}")
    devices = sorted(f"/dev/{path.name}" for path in VIRTUAL.glob("video*")) if VIRTUAL.is_dir() else []
    return f"{url}: no such device; v4l2loopback's devices here are {', '.join(devices) or 'none'} (or make one: {load})"


class VirtualCamera:
    """A v4l2loopback device fed the picture; written from a stream's recorder thread."""

    def __init__(self, url: str, size: tuple[int, int], fps: int | Fraction) -> None:
        device = Path(url.removeprefix(SCHEME))
        if not device.is_absolute():
            raise UserError(f"{url}: a virtual camera is a v4l2loopback device, such as v4l2:/dev/video10")
        if not device.exists():
            raise UserError(missing(url, device))
        try:
            self._container = av.open(str(device), "w", format="v4l2")
            self._stream = yuv420_stream(self._container, "rawvideo", size, fps)
            self._container.start_encoding()  # the device is asked for its format now: a refusal comes before the show runs
        except (av.FFmpegError, OSError, ValueError) as error:
            raise UserError(f"{url}: it takes no pictures ({getattr(error, 'strerror', None) or error}); "
                            "a virtual camera is a v4l2loopback device") from None
        self.frames = 0

    def write(self, rgba: np.ndarray) -> None:
        send_yuv420(self._container, self._stream, rgba, self.frames)
        self.frames += 1

    def close(self) -> None:
        self._container.close()

    discard = close
