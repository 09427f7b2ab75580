"""A virtual camera (v4l2loopback) as a stream of the show: where the machine has no such
device, or the device takes no pictures, it is refused in one line that names what is missing,
and the show goes on; where v4l2loopback is loaded, a reader of the device sees the picture."""

import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest

from neoterra_glow.errors import UserError
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.output.stream import open_sink
from neoterra_glow.output.vcam import MODULE, VIRTUAL
from neoterra_glow.piece import load_piece

ROOT = Path(__file__).resolve().parents[2]
SIZE = (64, 36)


def absent_device() -> str:
    return next(f"/dev/video{n}" for n in range(63, 0, -1) if not Path(f"/dev/video{n}").exists())


def test_a_virtual_camera_that_is_not_there_is_refused_in_one_line_naming_what_is_missing():
    device = absent_device()
    with pytest.raises(UserError) as refusal:
        open_sink(f"v4l2:{device}", SIZE, 30)
    said = str(refusal.value)
    assert "\n" not in said and said.startswith(f"v4l2:{device}: no such device")
    if MODULE.exists():
        assert "v4l2loopback's devices here are" in said
    else:
        assert "the v4l2loopback kernel module, which makes virtual cameras, is not loaded here" in said
        assert f"sudo modprobe v4l2loopback video_nr={device.removeprefix('/dev/video')}" in said


def test_a_virtual_camera_names_a_device_by_its_path():
    with pytest.raises(UserError, match=r"^v4l2:video10: a virtual camera is a v4l2loopback device, such as v4l2:/dev/video10$"):
        open_sink("v4l2:video10", SIZE, 30)


def test_a_device_that_takes_no_pictures_is_refused_before_the_show_runs():
    """/dev/null answers no video ioctl; a real camera answers, and has no output to write to."""
    with pytest.raises(UserError, match=r"^v4l2:/dev/null: it takes no pictures \(Inappropriate ioctl for device\); "
                                        "a virtual camera is a v4l2loopback device$"):
        open_sink("v4l2:/dev/null", SIZE, 30)


def test_a_show_whose_virtual_camera_is_refused_says_so_once_and_goes_on(ctx, caplog):
    device = absent_device()
    with caplog.at_level(logging.WARNING):
        live = LiveShow(ctx, load_piece("default"), SIZE, 3, Listening(port=0, query_port=None),
                        connections=Connections(streams=((f"v4l2:{device}", SIZE, 30),)))
        try:
            for _ in range(3):
                live.step()
            assert live.frame.index == 2 and live.streams == [None]
        finally:
            live.close()
    said = [r.getMessage() for r in caplog.records if device in r.getMessage()]
    assert len(said) == 1 and "no such device" in said[0]


def test_show_stream_v4l2_from_the_command_line_is_one_line_and_the_show_runs():
    device = absent_device()
    show = subprocess.Popen([sys.executable, "-m", "neoterra_glow", "show", "--headless", "--size", "64x36", "--osc-port", "0",
                             "--no-oscquery", "--stream", f"v4l2:{device}", "64x36", "30"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        first = show.stdout.readline()  # the show says where it listens once it runs
        assert "listening for OSC" in first and time.monotonic() < deadline
        show.send_signal(signal.SIGTERM)
        _, errors = show.communicate(timeout=60)
    finally:
        show.kill()
    lines = errors.strip().splitlines()
    assert show.returncode == 0 and len(lines) == 1 and lines[0].startswith(f"neoterra-glow: ERROR: v4l2:{device}: no such device"), errors


@pytest.mark.skipif(not VIRTUAL.is_dir() or not any(VIRTUAL.glob("video*")), reason="no v4l2loopback device on this machine")
def test_a_reader_of_the_virtual_camera_sees_the_picture():
    device = f"/dev/{sorted(VIRTUAL.glob('video*'))[0].name}"
    camera = open_sink(f"v4l2:{device}", SIZE, 30)
    green = np.zeros((SIZE[1], SIZE[0], 4), np.uint8)
    green[..., 1] = green[..., 3] = 255
    try:
        for _ in range(5):
            camera.write(green)
        with av.open(device, format="v4l2") as reader:
            picture = next(reader.decode(video=0)).to_ndarray(format="rgb24")
    finally:
        camera.close()
    assert picture[..., 1].mean() > 200 and picture[..., 0].mean() < 40
