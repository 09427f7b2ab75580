"""Joining a farm's video parts into one file without encoding again: their packets, copied
in order, each part's timestamps moved on by the frames before it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av


def join_parts(parts: list[Path], out: Path, fps: int | Fraction) -> Path:
    """One file from parts that each start on a keyframe and hold no B-frames (so decoding
    order is showing order), their index at the front; written beside `out`, then moved in."""
    temporary = out.with_name(out.name + ".part")
    with av.open(str(temporary), "w", format=out.suffix[1:].lower(), options={"movflags": "faststart"}) as writer:
        stream, shown = None, 0
        for path in parts:
            with av.open(str(path)) as reader:
                source = reader.streams.video[0]
                if stream is None:
                    stream = writer.add_stream_from_template(source)
                    stream.codec_tag = source.codec_tag  # ProRes 4444 keeps its 'ap4h'
                assert source.time_base is not None  # a demuxed stream has one
                offset = round(Fraction(shown, fps) / source.time_base)
                frames = 0
                for packet in reader.demux(source):
                    if packet.dts is None:  # the demuxer's flush
                        continue
                    assert packet.pts is not None  # no B-frames: a packet with a dts has its pts
                    packet.pts += offset
                    packet.dts += offset
                    packet.stream = stream
                    writer.mux(packet)
                    frames += 1
                shown += frames
    temporary.replace(out)
    return out
