"""What a show can connect to on this machine: audio devices, MIDI ports, monitors, cameras and
NDI sources, for `neoterra-glow devices`. Each section lists what it found, or says in one line
that it found nothing or why it could not look (a missing extra, no display, no sequencer)."""

from __future__ import annotations

import os
import re
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from neoterra_glow.control.midi import midi_backend

DEV, VIDEO4LINUX = Path("/dev"), Path("/sys/class/video4linux")
NDI_WAIT = 2.0  # seconds to listen for NDI sources: they answer discovery within about a second on a LAN


@dataclass(frozen=True)
class Section:
    """One kind of device: what was found, else why nothing is listed; `use`: how a show takes one."""

    title: str
    found: tuple[str, ...] = ()
    why: str = ""
    use: str = ""

    def lines(self) -> list[str]:
        body = list(self.found) or [self.why]
        return [f"{self.title}:", *(f"  {line}" for line in body), *([f"  ({self.use})"] if self.found and self.use else [])]


def audio_devices() -> Section:
    """PortAudio's devices (sounddevice, the [live] extra), with their channels and the defaults."""
    title = "audio devices"
    try:
        import sounddevice
    except ImportError:
        return Section(title, why="cannot look: sounddevice is the optional extra: pip install 'neoterra-glow[live]'")
    except OSError as error:  # the module is there, PortAudio is not
        return Section(title, why=f"cannot look: {error} (apt-get install libportaudio2)")
    try:
        devices = sounddevice.query_devices()
        apis = [api["name"] for api in sounddevice.query_hostapis()]
        default_in, default_out = sounddevice.default.device
    except sounddevice.PortAudioError as error:
        return Section(title, why=f"cannot look: PortAudio: {error}")
    found = []
    for index, device in enumerate(devices):
        defaults = [kind for kind, default in (("input", default_in), ("output", default_out)) if default == index]
        found.append(f"{index}: {device['name']} ({apis[device['hostapi']]}; {device['max_input_channels']} in, "
                     f"{device['max_output_channels']} out)" + (f": the default {' and '.join(defaults)}" if defaults else ""))
    return Section(title, tuple(found), "none: PortAudio sees no sound device",
                   "show --audio-in takes an input's index or part of its name")


def midi_ports() -> Section:
    """mido's MIDI ports (rtmidi, the [live] extra), on the backend the show uses ($MIDO_BACKEND, else ALSA's)."""
    title = "MIDI ports"
    try:
        import mido  # noqa: F401  (whether the extra is there: midi_backend imports it)
        import rtmidi
    except ImportError:
        return Section(title, why="cannot look: mido and python-rtmidi are the optional extra: pip install 'neoterra-glow[live]'")
    try:
        backend = midi_backend()
        inputs, outputs = backend.get_input_names(), backend.get_output_names()
    except (rtmidi.RtMidiError, OSError, ValueError, ImportError) as error:
        return Section(title, why=f"cannot look: {str(error).rstrip('.')} (is there a MIDI sequencer: /dev/snd/seq, or JACK?)")
    found = tuple([f"in: {name}" for name in inputs] + [f"out: {name}" for name in outputs])
    return Section(title, found, "none: no MIDI port is open on this machine", "show --midi takes part of an input's name")


def monitors() -> Section:
    """The desktop's monitors as glfw sees them (the primary first), where there is a display."""
    title = "monitors"
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not display:
        return Section(title, why="cannot look: no display here (neither DISPLAY nor WAYLAND_DISPLAY is set)")
    import glfw

    from neoterra_glow.gpu.monitors import screens

    with warnings.catch_warnings():  # glfw warns of a display it cannot open: the line below says it
        warnings.simplefilter("ignore")
        if not glfw.init():
            return Section(title, why=f"cannot look: glfw cannot open the display {display}")
    try:
        found = tuple(f"{index}: {screen.name} {screen.width}x{screen.height} at {screen.x},{screen.y}"
                      for index, screen in enumerate(screens(glfw)))
    finally:
        glfw.terminate()
    return Section(title, found, "none: the display has no monitor connected", "show --monitor takes an index or part of a name")


def cameras() -> Section:
    """Video4Linux devices (/dev/video*), with the name each driver gives."""
    def number(path: Path) -> int:
        return int(re.sub(r"\D", "", path.name) or 0)

    found = []
    for path in sorted(DEV.glob("video*"), key=number):
        try:
            name = (VIDEO4LINUX / path.name / "name").read_text().strip()
        except OSError:
            name = "unnamed"
        found.append(f"{path}: {name}")
    return Section("cameras", tuple(found), f"none: no {DEV}/video* devices here")


def ndi_sources(wait: float = NDI_WAIT) -> Section:
    """NDI sources that answer discovery within `wait` seconds (cyndilib, the [ndi] extra)."""
    title = "NDI sources"
    try:
        from cyndilib.finder import Finder
    except (ImportError, OSError):
        return Section(title, why="cannot look: NDI is the optional extra: pip install 'neoterra-glow[ndi]'")
    finder = Finder()
    finder.open()
    try:
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            finder.wait_for_sources(min(left, 0.25))
        found = tuple(sorted(finder.get_source_names()))
    finally:
        finder.close()
    return Section(title, found, f"none answered in {wait:g} s")


def survey(ndi_wait: float = NDI_WAIT) -> list[Section]:
    """Every section, in the order a show's options take them."""
    return [audio_devices(), midi_ports(), monitors(), cameras(), ndi_sources(ndi_wait)]


def report(sections: list[Section]) -> str:
    return "\n".join(line for section in sections for line in section.lines())
