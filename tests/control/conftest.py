"""MIDI with no hardware: JACK's dummy backend, and mido on rtmidi's JACK API."""

import os
import shutil
import subprocess
import time

import pytest


@pytest.fixture(scope="session")
def jack():
    """A JACK server on the dummy backend, and mido on rtmidi's JACK API."""
    if shutil.which("jackd") is None:
        pytest.skip("JACK is not installed (apt-get install jackd2); scripts/test.sh installs it")
    mido = pytest.importorskip("mido")
    server = None
    if subprocess.run(["jack_lsp"], capture_output=True).returncode != 0:
        server = subprocess.Popen(["jackd", "--no-realtime", "-d", "dummy", "-r", "48000"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while subprocess.run(["jack_lsp"], capture_output=True).returncode != 0 and time.monotonic() < deadline:
            time.sleep(0.1)
    previous = os.environ.get("MIDO_BACKEND")
    os.environ["MIDO_BACKEND"] = "mido.backends.rtmidi/UNIX_JACK"
    yield mido.Backend("mido.backends.rtmidi/UNIX_JACK")
    os.environ.pop("MIDO_BACKEND") if previous is None else os.environ.__setitem__("MIDO_BACKEND", previous)
    if server is not None:
        server.terminate()
        server.wait()
