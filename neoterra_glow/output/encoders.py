"""Writing frames to real files: H.264 .mp4, ProRes 4444 .mov, or a folder of PNGs.

Video is written as a fragmented file beside the target (`clip.mp4.part`), which
stays playable if the process is killed; closing remuxes it into an ordinary
file with its index at the front, so it plays everywhere and opens in editors.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from neoterra_glow.errors import UserError

# BT.709, limited range: what players assume for HD video. The RGB to YUV
# conversion and the stream's tags must agree, or colours shift on playback.
_BT709 = 1
_LIMITED = 1


class VideoFile:
    """An .mp4 (H.264, yuv420p) or .mov (ProRes 4444 with alpha) file, fed RGBA frames."""

    CODECS = {
        ".mp4": ("libx264", "yuv420p", {"crf": "16", "preset": "fast", "profile": "high"}),
        ".mov": ("prores_ks", "yuva444p10le", {"profile": "4444", "vendor": "apl0"}),
    }

    def __init__(self, path: Path, size: tuple[int, int], fps: int) -> None:
        codec, self.pixel_format, options = self.CODECS[path.suffix.lower()]
        if codec == "libx264" and (size[0] % 2 or size[1] % 2):
            raise UserError(f"{path}: H.264 needs an even width and height, got {size[0]}x{size[1]}")
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.frames = 0
        # a fragment a second, each flushed to the disk as it is finished, whatever its size
        fragmented = {"movflags": "empty_moov+default_base_moof+frag_keyframe", "frag_duration": "1000000", "flush_packets": "1"}
        self._container = av.open(str(self.part), "w", format=path.suffix[1:].lower(), options=fragmented)
        self._stream = self._container.add_stream(codec, rate=fps, options=options)
        self._stream.width, self._stream.height = size
        self._stream.pix_fmt = self.pixel_format
        self._stream.time_base = Fraction(1, fps)
        context = self._stream.codec_context
        context.gop_size = fps  # a keyframe, and so a recoverable fragment, every second
        context.color_range = _LIMITED
        context.colorspace = context.color_primaries = context.color_trc = _BT709

    def write(self, rgba: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
        frame = frame.reformat(format=self.pixel_format, dst_colorspace="ITU709", dst_color_range="MPEG")
        frame.pts = self.frames
        self._container.mux(self._stream.encode(frame))
        self.frames += 1

    def close(self) -> Path:
        """Finish the file: flush the encoder, then remux the fragments into `path`."""
        self._container.mux(self._stream.encode())
        self._container.close()
        _remux_faststart(self.part, self.path)
        self.part.unlink()
        return self.path


    def discard(self) -> None:
        """Close without finishing, and remove the part file."""
        try:
            self._container.close()
        finally:
            self.part.unlink(missing_ok=True)


def _remux_faststart(source: Path, target: Path) -> None:
    with av.open(str(source)) as reader, av.open(str(target), "w", options={"movflags": "faststart"}) as writer:
        stream = reader.streams.video[0]
        out = writer.add_stream_from_template(stream)
        out.codec_tag = stream.codec_tag  # else the muxer names any ProRes 'apch' (422 HQ), not 'ap4h' (4444)
        for packet in reader.demux(stream):
            if packet.dts is None:
                continue
            packet.stream = out
            writer.mux(packet)


class PngFolder:
    """Numbered PNGs (frame_000000.png ...): lossless, and each one complete the moment it appears."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.frames = 0

    def write(self, rgba: np.ndarray) -> None:
        final = self.path / f"frame_{self.frames:06d}.png"
        temporary = final.with_suffix(".png.part")
        Image.fromarray(rgba, "RGBA").save(temporary, format="PNG", compress_level=1)
        os.replace(temporary, final)
        self.frames += 1

    def close(self) -> Path:
        return self.path

    def discard(self) -> None:
        """Frames already written stay: each is a whole file."""


def open_encoder(path: Path, size: tuple[int, int], fps: int):
    """The encoder that OUT's suffix asks for: .mp4, .mov, or no suffix for a PNG folder."""
    suffix = path.suffix.lower()
    if suffix in VideoFile.CODECS:
        path.parent.mkdir(parents=True, exist_ok=True)
        return VideoFile(path, size, fps)
    if suffix == "":
        return PngFolder(path, size, fps)
    raise UserError(f"{path}: cannot tell the format from '{suffix}'; use .mp4, .mov, or a folder name for PNGs")
