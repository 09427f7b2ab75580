"""Streams: the show's picture sent on to a URL, for a recorder or a second machine, each at
its own size and frame rate: MPEG-TS over UDP or TCP (udp://host:port, tcp://host:port),
or RTMP (rtmp://server/app/key), H.264 tuned for latency; or NDI (ndi://Name) to the
video software on the network (the [ndi] extra: cyndilib, with NewTek's NDI runtime); or a
virtual camera (v4l2:/dev/videoN, output/vcam.py); or a PipeWire video node (pipewire://NAME, output/pipewire.py).

The frame is scaled on the GPU and read back a frame late (as renders are), and encoding
runs on its own thread; when the encoder falls behind, frames are dropped and counted
rather than the show waiting. A stream whose receiver is gone is said once and closed;
the show goes on.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from urllib.parse import urlsplit

import av
import moderngl
import numpy as np

from neoterra_glow.core.frame import Frame
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen, Target
from neoterra_glow.output.encoders import send_yuv420, yuv420_stream
from neoterra_glow.output.pipewire import SCHEME as PIPEWIRE
from neoterra_glow.output.pipewire import PipeWireNode
from neoterra_glow.output.readback import Readback
from neoterra_glow.output.recorder import Recorder
from neoterra_glow.output.vcam import SCHEME, VirtualCamera

log = logging.getLogger(__name__)

FORMATS = {"udp": "mpegts", "tcp": "mpegts", "rtmp": "flv"}


class StreamEncoder:
    """H.264 into a network muxer; written from the recorder's thread."""

    def __init__(self, url: str, size: tuple[int, int], fps: int | Fraction) -> None:
        scheme = urlsplit(url).scheme
        if scheme not in FORMATS:
            raise UserError(f"{url}: a stream goes to udp://, tcp:// or rtmp://")
        if size[0] % 2 or size[1] % 2:
            raise UserError(f"{url}: H.264 needs an even width and height, got {size[0]}x{size[1]}")
        try:
            self._container = av.open(url, "w", format=FORMATS[scheme], timeout=5.0)
        except (av.FFmpegError, OSError) as error:
            raise UserError(f"{url}: cannot open the stream: {error}") from None
        self._stream = yuv420_stream(self._container, "libx264", size, fps, {"preset": "ultrafast", "tune": "zerolatency"})
        self._stream.codec_context.gop_size = max(round(fps), 1)  # a receiver that joins late waits a second at most
        self.frames = 0

    def write(self, rgba: np.ndarray) -> None:
        send_yuv420(self._container, self._stream, rgba, self.frames)
        self.frames += 1

    def close(self) -> None:
        try:
            self._container.mux(self._stream.encode())
        finally:
            self._container.close()

    def discard(self) -> None:
        self._container.close()


class NdiSender:
    """An NDI source named on the network; fed RGBA frames, top row first."""

    def __init__(self, name: str, size: tuple[int, int], fps: int | Fraction) -> None:
        try:
            from cyndilib.sender import Sender
            from cyndilib.video_frame import VideoSendFrame
            from cyndilib.wrapper.ndi_structs import FourCC
        except ImportError:
            raise UserError("NDI needs the optional extra: pip install 'neoterra-glow[ndi]'") from None
        self._sender = Sender(name)
        frame = VideoSendFrame()
        frame.set_resolution(*size)
        frame.set_fourcc(FourCC.RGBA)
        frame.set_frame_rate(Fraction(fps))
        self._sender.set_video_frame(frame)
        self._sender.open()

    def write(self, rgba: np.ndarray) -> None:
        self._sender.write_video(rgba.reshape(-1))

    def close(self) -> None:
        self._sender.close()

    discard = close


def open_sink(url: str, size: tuple[int, int], fps: int | Fraction):
    """Where a stream goes: ndi://Name to NDI, v4l2:/dev/videoN to a virtual camera, pipewire://NAME to a PipeWire node,
    anything else to a network muxer."""
    if url.startswith("ndi://"):
        return NdiSender(url.removeprefix("ndi://"), size, fps)
    if url.startswith(PIPEWIRE):
        return PipeWireNode(url, size, fps)
    if url.startswith(SCHEME):
        return VirtualCamera(url, size, fps)
    return StreamEncoder(url, size, fps)


class Stream:
    """One stream of the show: `send(frame, image)` after each frame; it keeps its own frame rate."""

    def __init__(self, ctx: moderngl.Context, library: ShaderLibrary, url: str, size: tuple[int, int], fps: int | Fraction) -> None:
        self.url, self.size, self.fps = url, size, fps
        self.closed = False
        self._recorder = Recorder(open_sink(url, size, fps))
        self._scale = Fullscreen(ctx, library.program("common/fullscreen.vert", "output/region.frag"))
        self._target = Target(ctx, size, "f1")
        self._readback = Readback(ctx, size)
        self._next = 0.0
        self._sent = 0

    @property
    def dropped(self) -> int:
        return self._recorder.dropped

    def send(self, frame: Frame, image: Target) -> None:
        if self.closed or frame.time < self._next:
            return
        self._next = max(self._next + 1.0 / self.fps, frame.time)  # its own rate, never a burst to catch up
        self._scale.draw(self._target, {"u_region": (0.0, 0.0, 1.0, 1.0)}, {"u_image": image.texture})
        finished = self._readback.push(self._sent, self._target)
        self._sent += 1
        if finished is not None:
            try:
                self._recorder.offer(finished[1])
            except Exception as error:  # the receiver went away: the stream ends, the show does not
                log.warning("stream %s ended: %s", self.url, error)
                self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._recorder.close()
        except Exception as error:
            log.debug("closing stream %s: %s", self.url, error)
        for thing in (self._readback, self._target, self._scale):
            thing.release()
