import os
import pickle
import time

import numpy as np

from neoterra_glow.mirror.watch import REST, CameraWatch
from tests.mirror.conftest import cv2, room_frame


def _video(path, names, frames=8):
    """A short MJPG clip standing in for a camera: the same room in every frame."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (640, 480))
    frame = cv2.cvtColor(room_frame(*names), cv2.COLOR_RGB2BGR)
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path


def _until(watch, test, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = watch.take()
        if test(seen):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"not seen in {seconds} s: {watch.seen}, absent {watch.absent}")


def test_the_camera_process_sends_the_rooms_smile(tmp_path):
    watch = CameraWatch(str(_video(tmp_path / "room.avi", ("smiling", "neutral"))))
    try:
        seen = _until(watch, lambda s: s.faces == 2)
        assert seen.smiling == 1 and 0.3 < seen.level < 0.7 and seen.strength > 0.8
        assert watch.absent is None and 0.0 <= watch.latency < 1.0
    finally:
        watch.close()


def test_a_camera_unplugged_mid_show_is_said_once_rests_and_returns(tmp_path, caplog):
    clip = _video(tmp_path / "room.avi", ("smiling",))
    watch = CameraWatch(str(clip))
    try:
        _until(watch, lambda s: s.smiling == 1)
        clip.rename(tmp_path / "away.avi")  # unplugged: the next loop cannot open it
        assert _until(watch, lambda s: watch.absent is not None) == REST
        time.sleep(3.5)  # several retries fail meanwhile
        watch.take()
        assert sum("looks for it again" in r.message for r in caplog.records) == 1
        (tmp_path / "away.avi").rename(clip)
        _until(watch, lambda s: s.smiling == 1)
        assert watch.absent is None
    finally:
        watch.close()


def test_no_image_leaves_the_camera_process(tmp_path, monkeypatch):
    """The pipe carries a few numbers a frame, and the camera process writes no file where it runs."""
    clip = _video(tmp_path / "room.avi", ("smiling", "neutral"))
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(home))
    watch = CameraWatch(str(clip))
    try:
        sizes, bodies = [], []
        deadline = time.monotonic() + 20.0
        while len(bodies) < 10 and time.monotonic() < deadline:
            if watch._pipe.poll(0.5):
                raw = watch._pipe.recv_bytes()
                sizes.append(len(raw))
                kind, body = pickle.loads(raw)
                if kind == "seen":
                    bodies.append(body)
        assert len(bodies) == 10 and max(sizes) < 256  # a 640x480 frame is 921,600 bytes
        assert all(isinstance(v, (int, float, np.integer, np.floating)) for body in bodies for v in body)
        assert any(body[2] == 1 for body in bodies)  # a mirrored smile was among them
        assert os.listdir(home) == []
    finally:
        watch.close()
