"""Streams on loopback: a receiver decodes what the show sends, at the stream's own size."""

import socket
import threading
import time

import av
import numpy as np
import pytest

from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_stream_reaches_a_receiver_at_its_own_size_and_a_missing_one_does_not_stop_the_show(ctx, caplog):
    port = free_port()
    received = []

    def receive():
        with av.open(f"tcp://127.0.0.1:{port}?listen=1", format="mpegts", timeout=20) as stream:
            for frame in stream.decode(video=0):
                received.append(frame.to_ndarray(format="rgb24"))
                if len(received) >= 10:
                    return

    receiver = threading.Thread(target=receive, daemon=True)
    receiver.start()
    time.sleep(0.5)
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(streams=((f"tcp://127.0.0.1:{port}", (160, 90), 15),
                                                     (f"tcp://127.0.0.1:{free_port()}", (160, 90), 15))))
    nobody = live.streams[1]
    try:
        deadline = time.monotonic() + 30
        while receiver.is_alive() and time.monotonic() < deadline:
            live.step()
    finally:
        live.close()
    receiver.join(timeout=5)
    assert len(received) >= 10
    assert received[0].shape == (90, 160, 3)
    assert np.mean(received[-1]) > 3  # the piece, not black
    assert nobody.closed  # nobody listened there: it ended, was said, and the show went on
    assert any(nobody.url in record.message and "ended" in record.message for record in caplog.records)


NDI_LOOPBACK = '{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}, "adapters": {"allowed": ["127.0.0.1"]}}}'


def test_an_ndi_source_is_found_and_received_on_loopback(ctx, tmp_path, monkeypatch):
    pytest.importorskip("cyndilib", reason="NDI is the optional [ndi] extra")
    (tmp_path / "ndi-config.v1.json").write_text(NDI_LOOPBACK)  # NDI kept to this machine
    monkeypatch.setenv("NDI_CONFIG_DIR", str(tmp_path))
    from cyndilib.finder import Finder
    from cyndilib.receiver import Receiver
    from cyndilib.video_frame import VideoFrameSync
    from cyndilib.wrapper.ndi_recv import RecvBandwidth, RecvColorFormat

    name = f"neoterra-{time.monotonic_ns() % 100000}"
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(streams=((f"ndi://{name}", (160, 90), 15),)))
    finder = Finder()
    finder.open()
    try:
        source, deadline = None, time.monotonic() + 20
        while source is None and time.monotonic() < deadline:
            live.step()
            finder.wait_for_sources(0.05)
            hits = [found for found in finder.get_source_names() if name in found]
            source = finder.get_source(hits[0]) if hits else None
        assert source is not None
        receiver = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest)
        video = VideoFrameSync()
        receiver.frame_sync.set_video_frame(video)
        receiver.set_source(source)
        deadline = time.monotonic() + 20
        while min(video.xres, video.yres) == 0 and time.monotonic() < deadline:
            live.step()
            receiver.frame_sync.capture_video()
        assert (video.xres, video.yres) == (160, 90)
        brightest, deadline = 0.0, time.monotonic() + 20
        while brightest <= 3 and time.monotonic() < deadline:  # the show opens from black: wait for the piece
            pixels = video.get_array()
            brightest = max(brightest, float(pixels.reshape(90, 160, 4)[..., :3].mean()) if pixels.size else 0.0)
            live.step()
            receiver.frame_sync.capture_video()
        assert brightest > 3  # the piece, not black
    finally:
        finder.close()
        live.close()


def test_a_stream_at_2997_is_sent_at_30000_1001_with_its_frames_1001_30000_s_apart():
    from fractions import Fraction

    from neoterra_glow.cli import _stream
    from neoterra_glow.output.stream import open_sink

    port = free_port()
    url, size, fps = _stream([f"tcp://127.0.0.1:{port}", "64x36", "29.97"])
    assert fps == Fraction(30000, 1001)
    heard = {}

    def receive():
        with av.open(f"tcp://127.0.0.1:{port}?listen=1", format="mpegts", timeout=20) as stream:
            video = stream.streams.video[0]
            times = [frame.pts * video.time_base for frame in stream.decode(video)]
            heard.update(rate=video.guessed_rate, times=times)

    receiver = threading.Thread(target=receive, daemon=True)
    receiver.start()
    time.sleep(0.5)
    sink = open_sink(url, size, fps)
    for shade in range(12):
        sink.write(np.full((36, 64, 4), shade * 20, np.uint8))
    sink.close()
    receiver.join(timeout=20)
    assert heard["rate"] == Fraction(30000, 1001)
    steps = {later - earlier for earlier, later in zip(heard["times"], heard["times"][1:], strict=False)}
    assert len(heard["times"]) == 12 and steps == {Fraction(1001, 30000)}


def test_a_stream_is_converted_with_bt709_and_tagged_so_a_player_shows_full_green_as_it_is():
    from neoterra_glow.output.stream import open_sink

    port = free_port()
    heard = {}

    def receive():
        with av.open(f"tcp://127.0.0.1:{port}?listen=1", format="mpegts", timeout=20) as stream:
            video = stream.streams.video[0]
            frames = list(stream.decode(video))
            heard["tags"] = (frames[0].color_range, frames[0].color_primaries, frames[0].color_trc, frames[0].colorspace)
            # as a player that believes the tags (BT.709, limited range) shows it
            heard["rgb"] = [f.reformat(format="rgb24", src_colorspace="ITU709", src_color_range="MPEG").to_ndarray()
                            for f in frames]

    receiver = threading.Thread(target=receive, daemon=True)
    receiver.start()
    time.sleep(0.5)
    colours = [(0, 255, 0), (255, 0, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)]
    sink = open_sink(f"tcp://127.0.0.1:{port}", (64, 32), 30)
    for colour in colours:
        sink.write(np.broadcast_to(np.array([*colour, 255], np.uint8), (32, 64, 4)).copy())
    sink.close()
    receiver.join(timeout=20)
    assert heard["tags"] == (1, 1, 1, 1)  # limited range; BT.709 primaries, transfer and matrix
    assert len(heard["rgb"]) == len(colours)
    for colour, rgb in zip(colours, heard["rgb"], strict=True):
        middle = rgb[8:24, 16:48].reshape(-1, 3).mean(axis=0)
        assert np.abs(middle - colour).max() <= 4, (colour, middle)  # full green is 255 (BT.601 made it about 215)
