"""A sound card with no hardware: a PulseAudio null sink. A file played into it is heard from
its monitor by the engine's capture (PortAudio, through ALSA's pulse plugin)."""

import ctypes.util
import os
import shutil
import subprocess
import time
import uuid

import pytest


def _pulse(*args, check=True):
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=20, check=check)


def start_pulseaudio() -> None:
    if _pulse("info", check=False).returncode != 0:
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit"], capture_output=True, timeout=30)
        deadline = time.monotonic() + 10
        while _pulse("info", check=False).returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.1)


@pytest.fixture
def sound_card():
    """A null sink's name; the capture hears its monitor. `play(path)` plays a WAV into it."""
    if not (shutil.which("pulseaudio") and shutil.which("paplay")):
        pytest.skip("PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils); scripts/test.sh installs it")
    if ctypes.util.find_library("portaudio") is None:
        pytest.skip("PortAudio is not installed (apt-get install libportaudio2); scripts/test.sh installs it")
    start_pulseaudio()
    name = f"neoterra_{uuid.uuid4().hex[:8]}"
    module = _pulse("load-module", "module-null-sink", f"sink_name={name}").stdout.strip()
    previous = os.environ.get("PULSE_SOURCE")
    os.environ["PULSE_SOURCE"] = f"{name}.monitor"
    players = []

    class Card:
        sink = name

        @staticmethod
        def play(path):
            players.append(subprocess.Popen(["paplay", f"--device={name}", str(path)]))

    yield Card
    for player in players:
        player.kill()
        player.wait()
    _pulse("unload-module", module, check=False)
    if previous is None:
        os.environ.pop("PULSE_SOURCE", None)
    else:
        os.environ["PULSE_SOURCE"] = previous
