"""`neoterra-glow devices` on real (virtual) devices: a PulseAudio server, JACK's MIDI, Xorg's dummy
monitors and an NDI source on loopback; where the machine has none, the line saying so."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neoterra_glow.devices import audio_devices, midi_ports, ndi_sources
from tests.audio.conftest import sound_card  # noqa: F401 (a fixture)
from tests.control.conftest import jack  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[1]
NDI_LOOPBACK = '{"ndi": {"networks": {"ips": "127.0.0.1", "discovery": ""}, "adapters": {"allowed": ["127.0.0.1"]}}}'


def devices(*options: str, env: dict | None = None) -> dict[str, list[str]]:
    """The command's sections: each title with its lines."""
    result = subprocess.run([sys.executable, "-m", "neoterra_glow", "devices", "--ndi-wait", "0.3", *options], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    sections: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        if not line.startswith("  "):
            sections[line.rstrip(":")] = []
        else:
            sections[list(sections)[-1]].append(line.strip())
    assert list(sections) == ["audio devices", "MIDI ports", "monitors", "cameras", "NDI sources"]
    assert all(sections.values()), "every section lists something or says why not"
    return sections


def test_a_pulseaudio_server_gives_audio_devices_with_inputs(sound_card):  # noqa: F811 (the fixture imported above)
    listed = devices()["audio devices"]
    assert any(line.startswith("0: ") for line in listed)
    assert any(" in, " in line and "; 0 in," not in line for line in listed)  # a device the show can hear from
    assert "the default input" in " ".join(listed)


def test_midi_ports_on_jack_list_a_controllers_virtual_port(jack):  # noqa: F811 (the fixture imported above)
    name = f"nanoKNOB-{time.monotonic_ns() % 100000}"
    port = jack.open_output(name, virtual=True)
    try:
        listed = devices()["MIDI ports"]  # the fixture set MIDO_BACKEND to JACK, as a show on JACK has it
    finally:
        port.close()
    assert any(line.startswith("in: ") and name in line for line in listed), listed


@pytest.mark.skipif(Path("/dev/snd/seq").exists(), reason="this machine has ALSA's MIDI sequencer")
def test_without_a_midi_sequencer_the_midi_section_says_it_cannot_look(monkeypatch):
    monkeypatch.delenv("MIDO_BACKEND", raising=False)
    section = midi_ports()
    assert section.found == () and section.why.startswith("cannot look: ")
    assert "/dev/snd/seq" in section.why


def test_monitors_of_a_two_monitor_desktop_are_listed_with_their_places(two_monitors):
    assert devices()["monitors"] == ["0: DUMMY0 640x360 at 0,0", "1: DUMMY1 640x360 at 640,0",
                                     "(show --monitor takes an index or part of a name)"]


def test_without_a_display_the_monitors_section_says_so():
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    assert devices(env=env)["monitors"] == ["cannot look: no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)"]


def test_cameras_are_the_machines_video4linux_devices():
    present = sorted(Path("/dev").glob("video*"))
    listed = devices()["cameras"]
    if present:
        assert [line.split(":")[0] for line in listed] == [str(path) for path in present]
    else:
        assert listed == ["none: no /dev/video* devices here"]


def test_an_ndi_source_on_loopback_is_listed(tmp_path):
    pytest.importorskip("cyndilib", reason="NDI is the optional [ndi] extra")
    from neoterra_glow.output.stream import NdiSender

    (tmp_path / "ndi-config.v1.json").write_text(NDI_LOOPBACK)  # NDI kept to this machine
    env = {**os.environ, "NDI_CONFIG_DIR": str(tmp_path)}
    name = f"neoterra-{time.monotonic_ns() % 100000}"
    os.environ["NDI_CONFIG_DIR"] = str(tmp_path)
    try:
        sender = NdiSender(name, (64, 48), 30)
    finally:
        del os.environ["NDI_CONFIG_DIR"]
    try:
        listed = devices("--ndi-wait", "3", env=env)["NDI sources"]
    finally:
        sender.close()
    assert any(line.endswith(f"({name})") for line in listed), listed


def test_without_the_extras_each_section_says_how_to_get_them(monkeypatch):
    for module in ("sounddevice", "mido", "cyndilib.finder"):
        monkeypatch.setitem(sys.modules, module, None)  # the package is not installed: its import fails
    assert audio_devices().why == "cannot look: sounddevice is the optional extra: pip install 'neoterra-glow[live]'"
    assert midi_ports().why == "cannot look: mido and python-rtmidi are the optional extra: pip install 'neoterra-glow[live]'"
    assert ndi_sources(0.1).why == "cannot look: NDI is the optional extra: pip install 'neoterra-glow[ndi]'"
