"""A PipeWire video node on a private PipeWire daemon: a client linked to it receives the frames' bytes."""

import os
import shutil
import subprocess
import time

import numpy as np
import pytest

from neoterra_glow.errors import UserError
from neoterra_glow.output.stream import open_sink

SIZE = (64, 36)
TOOLS = ("pipewire", "pw-link", "gst-launch-1.0", "gst-inspect-1.0")


def installed() -> bool:
    if not all(shutil.which(tool) for tool in TOOLS):
        return False
    return subprocess.run(["gst-inspect-1.0", "pipewiresink"], capture_output=True).returncode == 0


needs_pipewire = pytest.mark.skipif(not installed(), reason="PipeWire and GStreamer's pipewiresink are not installed "
                                    "(apt install pipewire gstreamer1.0-pipewire gstreamer1.0-tools); scripts/test.sh installs them")


@pytest.fixture
def daemon(tmp_path, monkeypatch):
    """A PipeWire daemon of this test's own (no session manager, no D-Bus), as a headless machine runs it."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    for name in ("XDG_RUNTIME_DIR", "PIPEWIRE_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(runtime))
    monkeypatch.delenv("PIPEWIRE_REMOTE", raising=False)
    process = subprocess.Popen(["pipewire"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (runtime / "pipewire-0").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def viewer(path, frames: int) -> subprocess.Popen:
    """A PipeWire client named viewer that writes the first `frames` RGBA frames it receives to `path`, then ends."""
    return subprocess.Popen(["gst-launch-1.0", "-q", "pipewiresrc", "client-name=viewer", f"num-buffers={frames}", "!",
                             "video/x-raw,format=RGBA", "!", "filesink", f"location={path}"])


def picture(shade: int) -> np.ndarray:
    """Four coloured quarters and a shade in the top-left pixel, RGBA top row first, as a stream hands them on."""
    image = np.zeros((SIZE[1], SIZE[0], 4), np.uint8)
    image[: SIZE[1] // 2, : SIZE[0] // 2] = (230, 30, 30, 255)
    image[: SIZE[1] // 2, SIZE[0] // 2:] = (30, 220, 40, 255)
    image[SIZE[1] // 2:, : SIZE[0] // 2] = (40, 40, 230, 255)
    image[SIZE[1] // 2:, SIZE[0] // 2:] = (240, 240, 240, 255)
    image[0, 0] = (shade, shade, shade, 255)
    return image


@needs_pipewire
def test_a_pipewire_node_is_a_video_source_whose_linked_client_receives_the_frames_exactly(daemon, tmp_path):
    name = f"neoterra-{os.getpid()}"
    sink = open_sink(f"pipewire://{name}", SIZE, 30)
    received = tmp_path / "received.rgba"
    client = viewer(received, 3)
    try:
        deadline, linked, shade = time.monotonic() + 20, False, 0
        while client.poll() is None and time.monotonic() < deadline:
            sink.write(picture(shade % 256))  # the show goes on whether or not anything is linked
            shade += 1
            if not linked:  # no session manager here: link the node to the client by hand, as pw-link or a patchbay would
                nodes = subprocess.run(["pw-link", "--output"], capture_output=True, text=True).stdout.split()
                linked = f"{name}:out_0" in nodes and subprocess.run(["pw-link", f"{name}:out_0", "viewer:in_0"]).returncode == 0
            time.sleep(1 / 30)
        assert client.wait(timeout=10) == 0
    finally:
        if client.poll() is None:
            client.kill()
        sink.close()
    frames = np.frombuffer(received.read_bytes(), np.uint8).reshape(-1, SIZE[1], SIZE[0], 4)
    assert len(frames) == 3 and linked
    for frame in frames:
        shade = frame[0, 0, 0]
        assert np.array_equal(frame, picture(shade))  # every byte as sent, the right way up
    assert len({frame[0, 0, 0] for frame in frames}) == 3  # three frames of the show, not one repeated


@needs_pipewire
def test_with_no_pipewire_running_the_stream_is_refused_in_one_line_that_says_what_to_use_instead(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.delenv("PIPEWIRE_RUNTIME_DIR", raising=False)
    monkeypatch.delenv("PIPEWIRE_REMOTE", raising=False)
    with pytest.raises(UserError) as refused:
        open_sink("pipewire://neoterra", SIZE, 30)
    assert str(refused.value) == (f"pipewire://neoterra: no PipeWire running for this user ({tmp_path}/pipewire-0: "
                                  "No such file or directory); start it (systemctl --user start pipewire), "
                                  "or use --stream v4l2:/dev/videoN (v4l2loopback) or ndi://NAME")


def test_a_node_name_that_would_need_quoting_is_refused():
    with pytest.raises(UserError, match="a PipeWire node's name is letters"):
        open_sink("pipewire://my node,media.class=Audio/Sink", SIZE, 30)


def test_without_gstreamer_the_stream_is_refused_in_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no GStreamer tools on the path
    with pytest.raises(UserError, match=r"GStreamer's tools are not installed \(apt install gstreamer1.0-tools gstreamer1.0-pipewire\)"):
        open_sink("pipewire://neoterra", SIZE, 30)


@needs_pipewire
def test_a_show_streams_to_a_pipewire_node_and_when_pipewire_stops_the_stream_ends_in_one_line_and_the_show_goes_on(ctx, daemon, tmp_path,
                                                                                                                 caplog):
    from neoterra_glow.live.show import Connections, Listening, LiveShow
    from neoterra_glow.piece import load_piece
    from tests.conftest import SMALL

    name = f"neoterra-show-{os.getpid()}"
    received = tmp_path / "received.rgba"
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(streams=((f"pipewire://{name}", (160, 90), 15),)))
    client = viewer(received, 20)
    stream = live.streams[0]
    try:
        deadline, linked = time.monotonic() + 60, False
        while client.poll() is None and time.monotonic() < deadline:
            live.step()
            linked = linked or subprocess.run(["pw-link", f"{name}:out_0", "viewer:in_0"], capture_output=True).returncode == 0
        assert client.wait(timeout=10) == 0
        frames = np.frombuffer(received.read_bytes(), np.uint8).reshape(-1, 90, 160, 4)
        assert linked and len(frames) == 20 and frames[-1][..., :3].mean() > 3  # at the stream's own size; the piece, not black
        daemon.kill()  # PipeWire goes away mid-show
        daemon.wait(timeout=10)
        deadline = time.monotonic() + 30
        while not stream.closed and time.monotonic() < deadline:
            live.step()
        assert stream.closed
        live.step()  # and the show goes on
        lines = [r.getMessage() for r in caplog.records if name in r.getMessage()]
        assert lines == [f"stream pipewire://{name} ended: PipeWire stopped answering ({os.environ['XDG_RUNTIME_DIR']}/pipewire-0: "
                         "Connection refused)"]
    finally:
        if client.poll() is None:
            client.kill()
        live.close()
