"""A show in a real window under Xvfb, driven as an operator drives it: keys and the mouse
through xdotool, its values read back over OSCQuery."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import preset_with_bots

ROOT = Path(__file__).resolve().parents[2]


def light(folder: Path, preset: str = "default") -> str:
    """A shipped preset with 20,000 bots, written into `folder`: a window test asks what the window does, and a full
    swarm in a desktop-sized window on llvmpipe leaves the test's clicks and keys waiting on slow frames."""
    return str(preset_with_bots(folder, preset, 20_000))


class WindowShow:
    def __init__(self, args: list[str], cwd: Path) -> None:
        if shutil.which("xdotool") is None:
            pytest.fail("xdotool is needed for the window tests (apt-get install xdotool; scripts/test.sh installs it)")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "neoterra_glow", "show", *args, "--osc-port", "0", "--oscquery-port", "0"],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
            start_new_session=True,  # a process group of its own, as a terminal gives it
        )
        self.query = re.search(r"(http://127\.0\.0\.1:\d+)/", self.process.stdout.readline()).group(1)

    def values(self, path: str) -> list:
        with urllib.request.urlopen(f"{self.query}{path}?VALUE", timeout=5) as response:
            return json.loads(response.read())["VALUE"]

    def value(self, path: str):
        return self.values(path)[0]

    def press(self, key: str) -> None:
        subprocess.run(["xdotool", "search", "--sync", "--name", "neoterra-glow", "windowfocus", "key", key],
                       check=True, timeout=30, capture_output=True)

    def windows(self) -> list[str]:
        return subprocess.run(["xdotool", "search", "--sync", "--name", "neoterra-glow"], capture_output=True, text=True,
                              timeout=30).stdout.split()

    def window(self) -> str:
        return self.windows()[0]

    def geometry(self, window: str | None = None) -> tuple[int, int]:
        out = subprocess.run(["xdotool", "getwindowgeometry", window or self.window()], capture_output=True, text=True,
                             timeout=30).stdout
        return tuple(int(n) for n in re.search(r"Geometry: (\d+)x(\d+)", out).groups())

    def place(self, window: str) -> tuple[int, int]:
        out = subprocess.run(["xdotool", "getwindowgeometry", window], capture_output=True, text=True, timeout=30).stdout
        return tuple(int(n) for n in re.search(r"Position: (-?\d+),(-?\d+)", out).groups())

    def drag(self, start: tuple[int, int], end: tuple[int, int], window: str | None = None) -> None:
        """The left button held from `start` to `end`, in the window's pixels (the first window's, unless named)."""
        window = window or self.window()
        subprocess.run(["xdotool", "mousemove", "--window", window, *map(str, start), "mousedown", "1",
                        "mousemove", "--window", window, *map(str, end), "mouseup", "1"], check=True, timeout=30)

    @staticmethod
    def eventually(check, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not check():
            time.sleep(0.2)
        return check()

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as an operator stops it (the terminal interrupts the whole process group): its
        exit status and what it said on stderr (`said`: on stdout)."""
        os.killpg(self.process.pid, signal.SIGINT)
        self.said, errors = self.process.communicate(timeout=30)
        return self.process.returncode, errors
