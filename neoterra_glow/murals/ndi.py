"""Pictures for a video layer from an NDI source on the network (the [ndi] extra: cyndilib,
with NewTek's NDI runtime), received on a thread of its own as decode.py's readers are: the
render thread only uploads the latest picture, and never waits for one in a live show.

The thread asks NDI's frame sync for the newest picture a few times per source frame: NDI's
own thread receives and decodes, and a picture is copied once, when it is new. (Capturing
each frame as it comes, NDIlib_recv_capture, handed over about one frame in four on loopback.)

A source is named as the NDI finder lists it ("HOST (NAME)") or by its NAME alone. One that is
not on the network is said once and looked for until it comes; one that goes quiet is said
once, its last picture holds, and NDI's receiver connects to it again when its sender comes back. Its pictures
live only in memory, as a camera's do.
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np

from neoterra_glow.murals.decode import WAIT, Picture, VideoError

log = logging.getLogger(__name__)

MISSING = 5.0  # seconds a named source may take to answer discovery before it is said to be missing
QUIET = 2.0  # seconds without a picture before a connected source is said to have gone quiet
POLL = 1 / 120  # seconds between asks for the newest picture: a 60 fps source's is picked up within half a frame
LOOK = 0.25  # seconds between looks at the finder's list (its own thread keeps it; waiting on NDI's finder would hold the GIL)


def matches(wanted: str, found: str) -> bool:
    """Whether a finder's name ("HOST (NAME)") is the source asked for, by its full name or its NAME."""
    return found == wanted or found.endswith(f" ({wanted})")


class NdiReader:
    """An NDI source's latest picture, RGBA bottom row first; `error` is set if NDI fails while receiving (said once by the layer)."""

    def __init__(self, layer: str, name: str) -> None:
        try:
            from cyndilib.finder import Finder
            from cyndilib.receiver import Receiver
            from cyndilib.video_frame import VideoFrameSync
            from cyndilib.wrapper.ndi_recv import RecvBandwidth, RecvColorFormat
        except (ImportError, OSError):
            raise VideoError(f"NDI source {name!r}: NDI needs the optional extra: pip install 'neoterra-glow[ndi]'") from None
        self.layer, self.name = layer, name
        self.what = f"NDI source {name!r}"
        self.error: str | None = None
        self.picture: Picture | None = None
        self.received = 0
        self._finder = Finder()
        self._receiver = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest, recv_name="neoterra-glow")
        self._frame = VideoFrameSync()
        self._receiver.frame_sync.set_video_frame(self._frame)
        self._stamp: float | None = None  # the sender's time of the picture held
        self._stop = False
        self._missing = False  # said to be missing: an offline frame stops waiting for it
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._guarded, name=f"ndi {name}", daemon=True)
        self._thread.start()

    def latest(self, wait: bool) -> Picture | None:
        """The newest picture; `wait`: for the first one (offline), unless the source is missing."""
        with self._ready:
            if wait:
                self._ready.wait_for(lambda: self.picture is not None or self._missing or self.error is not None, timeout=WAIT)
            return self.picture

    def _guarded(self) -> None:
        try:
            self._run()
        except Exception as error:  # NDI failing inside its runtime: said once by the layer; the show goes on
            with self._ready:
                self.error = f"{self.what}: NDI stopped receiving ({error})"
                self._ready.notify_all()

    def _run(self) -> None:
        self._finder.open()
        try:
            began = time.monotonic()
            while not self._stop and not self._connect():
                if not self._missing and time.monotonic() - began > MISSING:
                    self._say_missing()
                time.sleep(LOOK)
            self._receive()
        finally:
            self._finder.close()

    def _receive(self) -> None:
        """Publish each new picture. A sender that goes quiet is said once; when its listing leaves the finder and comes
        back, a sender started again, it is connected to anew (NDI would, but only after seconds). A listing that never
        left is not connected to again: connecting to a sender that is gone holds the GIL a quarter second."""
        heard, quiet, listed = time.monotonic(), False, True
        while not self._stop:
            self._receiver.frame_sync.capture_video()
            now = time.monotonic()
            if self._publish():
                heard = now
                if quiet:
                    quiet = False
                    log.warning("layer %s: %s is back", self.layer, self.what)
            elif not quiet and now - heard > QUIET:
                quiet, looked = True, now
                log.warning("layer %s: %s went quiet: its last picture holds until it is back", self.layer, self.what)
            elif quiet and now - looked > LOOK:
                looked, was_listed = now, listed
                listed = self._find() is not None
                if listed and not was_listed:
                    self._receiver.disconnect()
                    self._connect()
            time.sleep(POLL)

    def _find(self) -> str | None:
        """The source's name as the finder lists it now, or None."""
        return next((name for name in sorted(self._finder.get_source_names()) if matches(self.name, name)), None)

    def _connect(self) -> bool:
        """Connect to the source if the finder lists it."""
        found = self._find()
        if found is None:
            return False
        self._receiver.set_source(self._finder.get_source(found))
        if self._missing:
            log.warning("layer %s: %s is on the network now (%s)", self.layer, self.what, found)
        with self._ready:
            self._missing = False
        return True

    def _say_missing(self) -> None:
        seen = ", ".join(sorted(self._finder.get_source_names())) or "none"
        log.warning("layer %s: %s is not on the network (sources seen: %s): it is left out until it comes", self.layer, self.what, seen)
        with self._ready:
            self._missing = True
            self._ready.notify_all()

    def _publish(self) -> bool:
        """Copy the frame sync's picture once, if it is a new one (NDI repeats the last while none has come)."""
        frame = self._frame
        width, height = frame.get_resolution()
        stamp = frame.get_timestamp_posix()
        if not width or not height or stamp == self._stamp:
            return False
        data = np.frombuffer(frame, np.uint8)  # NDI's own buffer, until the view goes
        if data.size < width * height * 4:
            return False
        self._stamp = stamp
        rows = data.reshape(height, -1)[:, : width * 4].reshape(height, width, 4)
        pixels = np.ascontiguousarray(rows[::-1])  # one copy, bottom row first, as a texture takes them
        del data, rows
        with self._ready:
            self.received += 1
            self.picture = Picture(self.received, pixels)
            self._ready.notify_all()
        return True

    def close(self) -> None:
        with self._ready:
            self._stop = True
            self._ready.notify_all()
        self._thread.join(timeout=WAIT)
        self._receiver.disconnect()
