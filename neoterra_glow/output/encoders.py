"""Writing frames to real files: H.264 .mp4, ProRes 4444 .mov (or, for media servers, DXV or HAP
in the .mov), or a folder of PNGs; with a
soundtrack, its sound muxed beside the picture (AAC in .mp4, PCM in .mov), in step with it,
with its channels. A rate is exact (30000/1001 for 29.97): frame N is at N / fps.

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

# BT.709, limited range: what players assume for HD video (files and streams alike). The RGB to YUV
# conversion and the stream's tags must agree, or colours shift on playback.
BT709 = 1
LIMITED = 1
RGB = 0  # the matrix tag of RGB pixels: no YUV matrix to undo
AUDIO_BITRATE = 192_000  # AAC's bits a second for a stereo track unless asked otherwise: transparent for most music


def yuv420_stream(container, codec: str, size: tuple[int, int], fps: int | Fraction, options: dict | None = None):
    """A live sink's video stream (a network stream, a virtual camera): 4:2:0 at an exact rate
    (30000/1001 for 29.97), tagged BT.709 limited range, as send_yuv420 converts its frames."""
    stream = container.add_stream(codec, rate=fps, options=options or {})
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    stream.time_base = 1 / Fraction(fps)
    context = stream.codec_context
    context.color_range = LIMITED  # tagged as it is converted, so a player shows full green as it is
    context.colorspace = context.color_primaries = context.color_trc = BT709
    return stream


def send_yuv420(container, stream, rgba: np.ndarray, pts: int) -> None:
    """One RGBA frame to a live sink (a stream, a virtual camera): 4:2:0, converted as BT.709
    limited range, the way such a stream is tagged."""
    frame = av.VideoFrame.from_ndarray(rgba, format="rgba").reformat(format="yuv420p", dst_colorspace="ITU709",
                                                                     dst_color_range="MPEG")
    frame.pts = pts
    container.mux(stream.encode(frame))


class VideoFile:
    """An .mp4 (H.264, yuv420p) or .mov (ProRes 4444 with alpha) file, fed RGBA frames; with
    `sound` (float samples at `rate`, mono or a row a channel), each frame brings its own span of it."""

    CODECS = {
        ".mp4": ("libx264", "yuv420p", {"crf": "16", "preset": "fast", "profile": "high"}),
        ".mov": ("prores_ks", "yuva444p10le", {"profile": "4444", "vendor": "apl0"}),
    }
    # in a .mov, for media servers: texture-compressed frames their GPU decodes, every frame a keyframe
    MEDIA_SERVER = {
        "dxv": ("dxv", "rgba", {}),  # Resolume DXV: FFmpeg encodes its DXT1 kind (normal quality, no alpha)
        "hap": ("hap", "rgba", {"format": "hap_alpha"}),  # where FFmpeg was built with Snappy
    }
    SOUND = {".mp4": ("aac", "fltp"), ".mov": ("pcm_s16le", "s16")}

    def __init__(self, path: Path, size: tuple[int, int], fps: int | Fraction, sound: np.ndarray | None = None,
                 rate: int = 48_000, joinable: bool = False, audio_bitrate: int | None = None, codec: str | None = None) -> None:
        """`joinable`: a part of a longer clip, to be joined to others without encoding again
        (farm/join.py): no B-frames, so each part's frames are stored in the order they show.
        `audio_bitrate`: bits a second of compressed sound (AAC; PCM is as it is).
        `codec`: a media server's (MEDIA_SERVER) instead of the suffix's own."""
        fps = Fraction(fps)
        codec, self.pixel_format, options = self.MEDIA_SERVER[codec] if codec else self.CODECS[path.suffix.lower()]
        if joinable and codec == "libx264":
            options = {**options, "bf": "0"}
        if codec == "libx264" and (size[0] % 2 or size[1] % 2):
            raise UserError(f"{path}: H.264 needs an even width and height, got {size[0]}x{size[1]}")
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.frames = 0
        # a fragment a second, each flushed to the disk as it is finished, whatever its size
        fragmented = {"movflags": "empty_moov+default_base_moof+frag_keyframe", "frag_duration": "1000000", "flush_packets": "1"}
        self._container = av.open(str(self.part), "w", format=path.suffix[1:].lower(), options=fragmented)
        stream = self._container.add_stream(codec, rate=fps, options=options)
        assert isinstance(stream, av.VideoStream)  # a codec of CODECS or MEDIA_SERVER: a video one
        self._stream = stream
        self._stream.width, self._stream.height = size
        self._stream.pix_fmt = self.pixel_format
        self._stream.time_base = 1 / fps
        context = self._stream.codec_context
        context.thread_type = "AUTO"  # frames as well as slices in parallel: ProRes encodes about 1.1x faster (x264 1.07x)
        context.gop_size = max(round(fps), 1)  # a keyframe, and so a recoverable fragment, every second
        context.color_range = LIMITED
        context.color_primaries = context.color_trc = BT709
        context.colorspace = RGB if self.pixel_format.startswith("rgb") else BT709
        self.sound = None if sound is None else np.atleast_2d(sound)
        self.fps, self.rate, self._sent = fps, rate, 0
        if self.sound is not None:
            codec, self._sample_format = self.SOUND[path.suffix.lower()]
            self._layout = "mono" if len(self.sound) == 1 else "stereo"
            audio = self._container.add_stream(codec, rate=rate, layout=self._layout)
            assert isinstance(audio, av.AudioStream)  # a codec of SOUND: a sound one
            self._audio = audio
            if codec == "aac":
                self._audio.codec_context.bit_rate = audio_bitrate or AUDIO_BITRATE * len(self.sound) // 2
            self._fifo = av.AudioFifo()

    def write(self, rgba: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
        frame = frame.reformat(format=self.pixel_format, dst_colorspace="ITU709", dst_color_range="MPEG")
        frame.pts = self.frames
        self._container.mux(self._stream.encode(frame))
        self.frames += 1
        if self.sound is not None:
            self._write_sound(self.frames * self.rate // self.fps)

    def _write_sound(self, until: int, last: bool = False) -> None:
        """The soundtrack up to sample `until` (silence past its end), in the encoder's frame
        size; `last`: and what is left over, as the file closes."""
        assert self.sound is not None  # only a clip with a soundtrack writes sound
        if until > self._sent:
            samples = self.sound[:, self._sent:until]
            samples = np.pad(samples, ((0, 0), (0, until - self._sent - samples.shape[1])))
            if self._sample_format == "s16":  # packed: the channels' samples interleaved
                samples = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).T.reshape(1, -1)
            chunk = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format=self._sample_format, layout=self._layout)
            chunk.rate, chunk.pts = self.rate, self._sent
            self._sent = until
            self._fifo.write(chunk)
        size = self._audio.codec_context.frame_size or self._fifo.samples
        while size and self._fifo.samples >= size:
            self._container.mux(self._audio.encode(self._fifo.read(size)))
        if last and self._fifo.samples:
            self._container.mux(self._audio.encode(self._fifo.read()))

    def close(self) -> Path:
        """Finish the file: flush the encoders, then remux the fragments into `path`."""
        self._container.mux(self._stream.encode())
        if self.sound is not None:
            self._write_sound(self._sent, last=True)
            self._container.mux(self._audio.encode())
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
        outs = {}
        for stream in (*reader.streams.video, *reader.streams.audio):
            outs[stream.index] = writer.add_stream_from_template(stream)
            outs[stream.index].codec_tag = stream.codec_tag  # else the muxer names any ProRes 'apch' (422 HQ), not 'ap4h'
        for packet in reader.demux(*reader.streams.video, *reader.streams.audio):
            if packet.dts is None:
                continue
            packet.stream = outs[packet.stream.index]
            writer.mux(packet)


class PngFolder:
    """Numbered PNGs (frame_000000.png ...): lossless, and each one complete the moment it appears."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int | Fraction, first: int = 0) -> None:
        """`first`: the number of the first frame written (a farm's segment starts part way)."""
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.frames = first

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


def open_encoder(path: Path, size: tuple[int, int], fps: int | Fraction, sound: np.ndarray | None = None, *, first: int = 0,
                 joinable: bool = False, rate: int = 48_000, audio_bitrate: int | None = None, codec: str | None = None):
    """The encoder that OUT's suffix asks for: .mp4, .mov, or no suffix for a PNG folder.
    `first` and `joinable`: for a segment of a longer render (see PngFolder and VideoFile);
    `rate` and `audio_bitrate`: the sound's, when there is `sound`; `codec`: a media server's, in a .mov."""
    suffix = path.suffix.lower()
    if codec:
        _check_media_server(path, codec)
    if suffix in VideoFile.CODECS:
        path.parent.mkdir(parents=True, exist_ok=True)
        return VideoFile(path, size, fps, sound, rate, joinable=joinable, audio_bitrate=audio_bitrate, codec=codec)
    if suffix == "" and sound is not None:
        raise UserError(f"{path}: PNG frames carry no sound; render to .mp4 or .mov to keep the soundtrack")
    if suffix == "":
        return PngFolder(path, size, fps, first)
    raise UserError(f"{path}: cannot tell the format from '{suffix}'; use .mp4, .mov, or a folder name for PNGs")


def media_server_codecs() -> list[str]:
    """The media servers' codecs (VideoFile.MEDIA_SERVER) this FFmpeg build can encode."""
    return [name for name, (encoder, _, _) in VideoFile.MEDIA_SERVER.items() if _can_encode(encoder)]


def _can_encode(encoder: str) -> bool:
    try:
        av.codec.Codec(encoder, "w")
    except av.codec.codec.UnknownCodecError:
        return False
    return True


def _check_media_server(path: Path, codec: str) -> None:
    """A media server's codec goes in a .mov, and only where PyAV's FFmpeg has its encoder."""
    if codec not in VideoFile.MEDIA_SERVER:
        raise UserError(f"{codec!r} is not a media server's codec: use one of {', '.join(VideoFile.MEDIA_SERVER)}")
    if path.suffix.lower() != ".mov":
        raise UserError(f"{path}: {codec.upper()} is written in a QuickTime file; name the output .mov")
    if not _can_encode(VideoFile.MEDIA_SERVER[codec][0]):
        others = [name for name in media_server_codecs() if name != codec]
        instead = f"use --codec {others[0]}, or" if others else "use"
        raise UserError(f"{path}: this FFmpeg build (PyAV {av.__version__}'s) has no {codec.upper()} encoder; "
                        f"{instead} .mov without --codec for ProRes 4444")
