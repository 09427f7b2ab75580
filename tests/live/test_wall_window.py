"""A two-projector wall in a real window under Xvfb: one window spans the desktop, each slice
in its half; the operator picks a slice with tab, drags its corner, and the whole venue is saved."""

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENUE = {"version": 2, "canvas": [1216, 800], "slices": [
    {"name": "left", "region": [0, 0, 640, 800]}, {"name": "right", "region": [576, 0, 640, 800]}]}


def test_a_wall_is_calibrated_slice_by_slice_with_the_mouse_and_saved_whole(display, tmp_path):
    if shutil.which("xdotool") is None:
        pytest.fail("xdotool is needed for the window tests (apt-get install xdotool; scripts/test.sh installs it)")
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps(VENUE))
    show = subprocess.Popen(
        [sys.executable, "-m", "neoterra_glow", "show", "default", "--osc-port", "0", "--oscquery-port", "0",
         "--calibration", str(venue)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        query = re.search(r"(http://127\.0\.0\.1:\d+)/", show.stdout.readline()).group(1)

        def value(path):
            with urllib.request.urlopen(f"{query}{path}?VALUE", timeout=5) as response:
                return json.loads(response.read())["VALUE"]

        def press(key):
            subprocess.run(["xdotool", "search", "--sync", "--name", "neoterra-glow", "windowfocus", "key", key],
                           check=True, timeout=30, capture_output=True)

        def eventually(check, seconds=20):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not check():
                time.sleep(0.2)
            return check()

        window = subprocess.run(["xdotool", "search", "--sync", "--name", "neoterra-glow"], capture_output=True, text=True,
                                timeout=30).stdout.split()[0]
        geometry = lambda: re.search(r"Geometry: (\d+)x(\d+)", subprocess.run(  # noqa: E731
            ["xdotool", "getwindowgeometry", window], capture_output=True, text=True, timeout=30).stdout).groups()
        assert eventually(lambda: geometry() == ("1280", "800"))  # one window across the desktop
        press("c")
        assert eventually(lambda: value("/output/test_card") == [True])
        press("Tab")  # the right slice
        time.sleep(0.5)
        subprocess.run(["xdotool", "mousemove", "--window", window, "645", "5", "mousedown", "1",
                        "mousemove", "--window", window, "704", "48", "mouseup", "1"], check=True, timeout=30)
        pinned = [pytest.approx(64 / 640, abs=0.02), pytest.approx(1 - 48 / 800, abs=0.02)]
        assert eventually(lambda: value("/output/slices/right/corners/top_left") == pinned)
        assert value("/output/slices/left/corners/top_left") == [0.0, 1.0]  # the other slice is left alone
        press("c")  # done: the whole venue is saved
        assert eventually(lambda: "values" in json.loads(venue.read_text()))
        saved = json.loads(venue.read_text())
        assert saved["slices"] == [{**s, "monitor": None} for s in VENUE["slices"]]
        assert saved["values"]["output.slices.right.corners.top_left"][0] == pytest.approx(0.1, abs=0.02)
    finally:
        show.send_signal(signal.SIGINT)
        _, errors = show.communicate(timeout=30)
    assert show.returncode == 0, errors
