"""A venue or calibration file that cannot be read: the show goes on uncalibrated, as the README promises."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # this checkout, whose package `-m` runs


def test_a_calibration_of_100000_brackets_leaves_the_show_running_uncalibrated(tmp_path):
    calibration = tmp_path / "calibration.json"
    calibration.write_text("[" * 100_000)
    show = subprocess.Popen([sys.executable, "-m", "neoterra_glow", "show", "default", "--headless", "--size", "64x36", "--fps", "20",
                             "--osc-port", "0", "--oscquery-port", "0", "--calibration", str(calibration)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert re.search(r"listening for OSC on udp://", show.stdout.readline())  # it started
        time.sleep(2.0)
        assert show.poll() is None  # still showing
    finally:
        show.send_signal(signal.SIGTERM)
        _, errors = show.communicate(timeout=30)
    assert "Traceback" not in errors
    assert "calibration.json: not a readable venue file: nested more than 32 levels deep" in errors
    assert "the show goes on uncalibrated, and will not save over the file" in errors
    assert calibration.read_text() == "[" * 100_000
