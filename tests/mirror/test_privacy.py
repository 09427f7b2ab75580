"""No image bytes leave the camera's process: strace watches every write it makes during a
mirrored smile (reading the video is all it may open; what it writes is a few numbers at a time)."""

import re
import shutil
import signal
import subprocess
import time

import pytest

from neoterra_glow.mirror.hold import HeldSmile
from neoterra_glow.mirror.watch import CameraWatch
from scripts.mirror_rehearsal import write_rehearsal

WRITES = re.compile(r"^(\d+)\s+(?:<\.\.\. )?(write|writev|pwrite64|pwritev2?|send|sendto|sendmsg|sendmmsg)\b.*= (-?\d+)")
OPENS = re.compile(r"^(\d+)\s+(?:<\.\.\. )?(open|openat|creat)\b.*?\"([^\"]*)\"(.*)= (-?\d+)")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt install strace)")
def test_the_camera_process_writes_only_a_few_numbers_at_a_time_and_opens_nothing_for_writing(tmp_path):
    log = tmp_path / "camera.strace"
    watch = CameraWatch(str(write_rehearsal(tmp_path / "room.avi")))
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-s", "0", "-o", str(log), "-p", str(watch._process.pid),
                               "-e", "trace=write,writev,pwrite64,pwritev,pwritev2,sendto,sendmsg,sendmmsg,open,openat,creat"],
                              stderr=subprocess.PIPE, text=True)
    held, mirrored = HeldSmile(), []
    try:
        deadline = time.monotonic() + 60.0
        while not mirrored and time.monotonic() < deadline:
            mirrored = held.hold(watch.take(), time.monotonic())
            time.sleep(0.05)
        time.sleep(1.0)  # the smile's frames go on being measured while the glyph would join the wall
    finally:
        tracer.send_signal(signal.SIGINT)  # strace detaches; the camera goes on until it is closed
        said = tracer.communicate(timeout=10)[1]
        watch.close()
    if "Operation not permitted" in said:  # a container that forbids ptrace: nothing here can watch the writes
        pytest.skip(f"strace may not attach here: {said.strip()}")
    assert mirrored and mirrored[0].address == "/wall/mirror"
    lines = log.read_text().splitlines()
    writes = [(int(m[1]), m[2], int(m[3])) for m in map(WRITES.match, lines) if m]
    written = [size for _, _, size in writes if size > 0]
    assert len(written) >= 10  # the frames' numbers went out, each in a write of its own
    assert max(written) <= 300, max(written)  # a few numbers, never a frame (921,600 bytes) nor a JPEG of one
    opened = [(m[3], m[4]) for m in map(OPENS.match, lines) if m and int(m[5]) >= 0]
    assert any(path.endswith("room.avi") for path, _ in opened)  # traced from before the camera was opened
    for_writing = [(path, flags) for path, flags in opened if re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_APPEND", flags)]
    assert for_writing == [], for_writing
