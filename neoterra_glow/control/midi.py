"""MIDI controllers: notes and CCs mapped to parameters and commands, with learn mode and LED
feedback, through mido (python-rtmidi: ALSA, or JACK with MIDO_BACKEND=mido.backends.rtmidi/UNIX_JACK).

What a controller sends becomes the show's Controls (a parameter's address and its value,
or a command), applied at the frame boundary by the desk like OSC, and recorded with a
session like OSC. Mappings live in a TOML file beside the calibration:

    [[map]]
    control = "cc 1"            # or "note 36"; or cc14 = [7, 39] or nrpn = 1000 (14-bit); channel = 2 for one channel only
    param = "swarm.brightness"  # or address = "/glitch/trigger" with args = ["tear", 0.8]
    mode = "absolute"           # absolute | relative (an endless encoder) | toggle

Learn: `/midi/learn swarm.brightness` (or the operator's key) arms a parameter; the next
note, CC or NRPN moved is mapped to it, and the file is saved (a cc14 pair is written in the
file by hand). A port that is missing or vanishes is said once, and looked for again every few seconds.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from neoterra_glow.control.beat import BeatClock
from neoterra_glow.control.message import Control
from neoterra_glow.control.midi14 import NRPN_LSB, NRPN_MSB, TOP, WideValues
from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.core.tables import parse_toml, read_table
from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

MODES = ("absolute", "relative", "toggle")
RETRY_SECONDS = 3.0
QUEUED = 4096  # messages rtmidi holds between frames at most; a flood loses the newest


def midi_backend():
    """mido's backend as the show uses it everywhere: $MIDO_BACKEND, else rtmidi's own (ALSA on Linux)."""
    import mido

    return mido.Backend(os.environ.get("MIDO_BACKEND", "mido.backends.rtmidi"))


def output_named(backend, part: str) -> str | None:
    """The first MIDI output whose name holds `part`, in any case; None if there is none."""
    return next((name for name in backend.get_output_names() if part.lower() in name.lower()), None)


def rtmidi_input(part: str):
    """An rtmidi input on the show's backend, queueing each message with its time since the one
    before (as it reached the port), and the first input whose name holds `part`, in any case, with
    its index (None, None if there is none). rtmidi.RtMidiError where there is no MIDI system."""
    import rtmidi

    jack = midi_backend().api == "UNIX_JACK"
    midi_in = rtmidi.MidiIn(rtapi=rtmidi.API_UNIX_JACK if jack else rtmidi.API_UNSPECIFIED, queue_size_limit=QUEUED)
    found = next(((index, name) for index, name in enumerate(midi_in.get_ports()) if part.lower() in name.lower()), (None, None))
    return midi_in, *found


class MidiError(UserError):
    """A MIDI port or mapping file that cannot be used; the message names it and why."""


@dataclass(frozen=True)
class Mapping:
    """One line of a MIDI map file: which control moves which parameter or command, and how."""

    control: str | None = field(default=None, metadata={"means": 'a control such as "cc 7" or "note 36"'})
    cc14: Any = field(default=None, metadata={"means": "a 14-bit control's two CCs, [msb, lsb] such as [7, 39]"})
    nrpn: int | None = field(default=None, metadata={"means": "an NRPN's number, 0 to 16383"})
    param: str | None = None
    address: str | None = field(default=None, metadata={"means": 'a command\'s address, such as "/swarm/next"'})
    args: Any = field(default=None, metadata={"means": "the command's arguments, a list"})
    mode: str = field(default="absolute", metadata={"means": "absolute, relative or toggle"})
    channel: int | None = field(default=None, metadata={"means": "a MIDI channel, 1 to 16"})

    @property
    def key(self) -> tuple[str, Any]:
        """(kind, number): the number an int, or for "cc14" the pair [msb, lsb]."""
        if self.control is None:
            return ("cc14", self.cc14) if self.cc14 is not None else ("nrpn", self.nrpn)
        kind, number = self.control.split()
        return kind, int(number)


def check_mapping(mapping: Mapping, registry: Registry) -> Mapping:
    if sum(given is not None for given in (mapping.control, mapping.cc14, mapping.nrpn)) != 1:
        raise ValueError("a mapping reads one control: give control (\"cc N\" or \"note N\"), cc14 = [msb, lsb] or nrpn = N")
    if mapping.cc14 is not None:
        pair = mapping.cc14
        if not (isinstance(pair, list) and len(pair) == 2 and all(type(n) is int and 0 <= n <= 127 for n in pair) and pair[0] != pair[1]):
            raise ValueError(f"cc14 {pair!r} must be two different CC numbers from 0 to 127, [msb, lsb] such as [7, 39]")
        mapping = replace(mapping, cc14=tuple(pair))
    if mapping.nrpn is not None and not 0 <= mapping.nrpn <= TOP:
        raise ValueError(f"nrpn {mapping.nrpn} must be a number from 0 to {TOP}")
    if mapping.control is not None:
        parts = mapping.control.split()
        if len(parts) != 2 or parts[0] not in ("cc", "note") or not parts[1].isdigit() or not 0 <= int(parts[1]) <= 127:
            raise ValueError(f"control {mapping.control!r} must be \"cc N\" or \"note N\", N from 0 to 127")
    elif mapping.mode == "relative":
        raise ValueError("mode relative is for an endless encoder's \"cc N\"; a 14-bit control (cc14, nrpn) is absolute or toggle")
    if (mapping.param is None) == (mapping.address is None):
        raise ValueError("a mapping moves a param, or sends an address: give one")
    if mapping.param is not None:
        if mapping.param not in registry:
            raise ValueError(registry.unknown(mapping.param))
        if registry[mapping.param].measured:
            raise ValueError(f"{mapping.param} is measured, not set")
    if mapping.args is not None and not isinstance(mapping.args, list):
        raise ValueError(f"args must be a list, got {mapping.args!r}")
    if mapping.mode not in MODES:
        raise ValueError(f"mode {mapping.mode!r} is not one of {', '.join(MODES)}")
    if mapping.channel is not None and not 1 <= mapping.channel <= 16:
        raise ValueError(f"channel must be 1 to 16, got {mapping.channel}")
    return mapping


def read_mappings(path: Path, registry: Registry) -> list[Mapping]:
    """The [[map]] tables of a mapping file (none if it does not exist yet)."""
    if not path.is_file():
        return []
    try:
        tables = parse_toml(path.read_text(encoding="utf-8")).get("map", [])
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise MidiError(f"{path}: not a readable mapping file: {error}") from None
    mappings = []
    for number, table in enumerate(tables):
        try:
            mappings.append(check_mapping(read_table(table, Mapping, "a mapping"), registry))
        except ValueError as error:
            raise MidiError(f"{path}: map[{number}]: {error}") from None
    return mappings


def save_mappings(path: Path, mappings: list[Mapping]) -> None:
    """Write the mappings as [[map]] tables; a kill while saving leaves the old file whole."""
    def toml(value: Any) -> str:
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        return str(value).lower() if isinstance(value, bool) else repr(value)

    lines = []
    for mapping in mappings:
        lines.append("[[map]]")
        for name in ("control", "cc14", "nrpn", "param", "address", "args", "mode", "channel"):
            value = getattr(mapping, name)
            if value is not None:
                lines.append(f"{name} = {toml(value)}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text("\n".join(lines), encoding="utf-8")
    temporary.replace(path)


class MidiControl:
    """A controller's port: `take(registry)` at a frame boundary turns what it sent into Controls."""

    def __init__(self, port: str, mappings: Path, registry: Registry, beat: BeatClock | None = None,
                 show_time: Callable[[float], float] = lambda moment: moment) -> None:
        """`beat`: the clock that MIDI clock messages set; `show_time`: a perf_counter moment on the show's clock."""
        self.port, self.path = port, mappings
        self.beat, self._show_time = beat, show_time
        self.absent: str | None = None  # why the port is not heard now
        self.file_error: str | None = None  # why the mapping file was not read
        self.armed: str | None = None  # the parameter the next control moved is mapped to
        self.received = 0
        try:  # an extra: headless renders and most shows need no MIDI stack
            import mido  # noqa: F401
            import rtmidi  # noqa: F401
        except ImportError:
            raise MidiError("MIDI needs the optional extra: pip install 'neoterra-glow[live]'") from None
        self._input: Any = None  # rtmidi's MidiIn (rtmidi and mido ship no types)
        self._output: Any = None  # mido's output port
        self._clock: float | None = None  # the show time of the message last heard; None until the port opens
        self._lit: dict[tuple, bool] = {}  # what each lit control was last sent
        self._wide = WideValues()  # 14-bit values: each channel's CC pairs and NRPN
        self._retry_at = 0.0
        try:
            self.mappings = read_mappings(mappings, registry)
        except MidiError as error:  # the show goes on, with no mappings until the file is fixed
            log.error("%s", error)
            self.mappings, self.file_error = [], str(error)
        self._open()

    def _open(self) -> None:
        """The input is polled at each frame boundary: rtmidi queues what arrives, with each
        message's time since the one before, measured as it arrived (a Python callback would
        wait for the render loop, and MIDI clock would lose its timing)."""
        import rtmidi

        backend = midi_backend()
        try:
            midi_in, index, name = rtmidi_input(self.port)
            if index is None:
                names = midi_in.get_ports()
                midi_in.delete()
                raise MidiError(f"no MIDI input {self.port!r}; the inputs are {', '.join(names) or 'none'}")
            midi_in.ignore_types(sysex=True, timing=False, active_sense=True)  # MIDI clock is timing
            midi_in.open_port(index, "neoterra-glow")
            output = output_named(backend, self.port)
            self._output = backend.open_output(output) if output else None  # for the controller's lights
        except (OSError, MidiError, ValueError, rtmidi.RtMidiError) as error:
            self._lost(str(error))
            return
        self._input, self._name, self._lit, self.absent, self._clock = midi_in, name, {}, None, None
        log.info("MIDI from %s", self._name)

    def _lost(self, why: str) -> None:
        if self.absent != why:
            log.warning("%s; the show goes on and looks for it again", why)
        self.absent, self._retry_at = why, time.monotonic() + RETRY_SECONDS
        self._close_ports()

    def learn(self, path: str, registry: Registry) -> None:
        """Map the next note or CC moved to this parameter."""
        if path not in registry or registry[path].measured:
            raise MidiError(registry.unknown(path) if path not in registry else f"{path} is measured, not set")
        if registry[path].local:
            raise MidiError(f"{path} is set only where the show runs (its preset or command line), never by a controller")
        if registry[path].kind in (Kind.COLOUR, Kind.VEC2):
            raise MidiError(f"{path} takes several values; one control cannot move it")
        self.armed = path

    def take(self, registry: Registry) -> list[Control]:
        """The Controls for what arrived since the last frame (and the controller's lights set)."""
        import mido

        now = time.monotonic()
        if self._input is None and now >= self._retry_at:
            self._open()
        elif self._input is not None and now >= self._retry_at:  # rtmidi says nothing when a port goes
            self._retry_at = now + RETRY_SECONDS
            if self._name not in self._input.get_ports():
                self._lost(f"MIDI input {self._name} is gone")
        controls: list[Control] = []
        while self._input is not None and (event := self._input.get_message()) is not None:
            data, delta = event
            # the first message is placed at this boundary; the rest by rtmidi's own spacing
            self._clock = self._show_time(time.perf_counter()) if self._clock is None else self._clock + delta
            self.received += 1
            try:
                message = mido.Message.from_bytes(data)
            except ValueError:
                continue
            if message.type in ("clock", "start", "continue", "stop"):
                if self.beat is not None:
                    self.beat.midi(self._clock, message.type)
                continue
            if message.type not in ("control_change", "note_on", "note_off"):
                continue
            nrpn = self._wide.hear(message.channel, message.control, message.value) if message.type == "control_change" else None
            if self.armed and message.type != "note_off":
                if nrpn is not None or message.type != "control_change" or message.control not in (NRPN_MSB, NRPN_LSB):
                    self._learn_from(message, registry, nrpn)  # CC 99 and 98 only choose the NRPN its data entry then sets
                continue
            for mapping in self.mappings:
                raw = self._reading(mapping, message, nrpn)
                if raw is not None:
                    control = _control(mapping, message, registry, *raw)
                    if control is not None:
                        controls.append(control)
        self._light(registry)
        return controls

    def _reading(self, mapping: Mapping, message, nrpn: tuple[int, int] | None) -> tuple[int, int] | None:
        """What this message reads for the mapping, as (value, its top: 127 or 16383); None where it is not the mapping's."""
        if mapping.channel is not None and message.channel != mapping.channel - 1:
            return None
        kind, number = mapping.key
        if kind == "nrpn":
            return (nrpn[1], TOP) if nrpn is not None and nrpn[0] == number else None
        if kind == "cc14":
            if message.type != "control_change" or message.control not in number:
                return None
            return self._wide.pair(message.channel, number[0], number[1], message.control), TOP
        if kind == "cc":
            return (message.value, 127) if message.type == "control_change" and message.control == number else None
        if message.type in ("note_on", "note_off") and message.note == number:
            return (message.velocity if message.type == "note_on" else 0), 127
        return None

    def _learn_from(self, message, registry: Registry, nrpn: tuple[int, int] | None) -> None:
        """Map what was moved to the armed parameter: a note, a CC, or an NRPN's data entry."""
        kind, number = ("cc", message.control) if message.type == "control_change" else ("note", message.note)
        assert self.armed is not None  # only an armed learn listens
        param = registry[self.armed]
        mode = "toggle" if param.kind is Kind.BOOL else "absolute"
        control = {"nrpn": nrpn[0]} if nrpn is not None else {"control": f"{kind} {number}"}
        mapping = Mapping(**control, param=self.armed, mode=mode, channel=message.channel + 1)
        self.mappings = [m for m in self.mappings if not (m.key == mapping.key and m.channel in (None, mapping.channel))]
        self.mappings.append(mapping)
        save_mappings(self.path, self.mappings)
        log.info("MIDI %s (channel %d) now moves %s; saved in %s", mapping.control or f"nrpn {mapping.nrpn}", mapping.channel,
                 self.armed, self.path)
        self.armed = None

    def _light(self, registry: Registry) -> None:
        """Light a controller's buttons for toggles that are on and triggers that just fired."""
        if self._output is None:
            return
        for mapping in self.mappings:
            if mapping.control is None or mapping.param is None or mapping.param not in registry:
                continue  # a 14-bit control has no light here
            param = registry[mapping.param]
            if param.kind not in (Kind.BOOL, Kind.TRIGGER):
                continue
            on = bool(registry.value(mapping.param))
            key = (mapping.key, mapping.channel)
            if self._lit.get(key) != on:
                self._lit[key] = on
                self._send(mapping, 127 if on else 0)

    def _send(self, mapping: Mapping, value: int) -> None:
        import mido

        kind, number = mapping.key
        channel = (mapping.channel or 1) - 1
        message = (mido.Message("control_change", control=number, value=value, channel=channel) if kind == "cc"
                   else mido.Message("note_on", note=number, velocity=value, channel=channel))
        try:
            self._output.send(message)
        except (OSError, ValueError) as error:
            self._lost(f"MIDI output {self.port}: {error}")

    def _close_ports(self) -> None:
        closes: tuple[tuple[Any, tuple[str, ...]], ...] = ((self._input, ("close_port", "delete")), (self._output, ("close",)))
        for port, methods in closes:
            for method in methods if port is not None else ():
                try:
                    getattr(port, method)()
                except Exception as error:  # a port that is gone may fail to close: let go all the same
                    log.debug("closing a MIDI port: %s", error)
        self._input = self._output = None

    def close(self) -> None:
        self._close_ports()


def _control(mapping: Mapping, message, registry: Registry, raw: int, top: int) -> Control | None:
    """What one message asks of the show under this mapping, reading `raw` of 0..`top`; None for nothing (a release)."""
    pressed = raw > top // 2 if message.type == "control_change" else raw > 0
    if mapping.address is not None:
        return Control(mapping.address, tuple(mapping.args or ())) if pressed else None
    assert mapping.param is not None  # check_mapping: a mapping moves a parameter or sends a command
    param: Param = registry[mapping.param]
    if param.kind is Kind.TRIGGER:
        return Control(param.osc_address, (True,)) if pressed else None
    if mapping.mode == "toggle" or param.kind is Kind.BOOL:
        return Control(param.osc_address, (not registry.value(param.path),)) if pressed else None
    if param.kind is Kind.ENUM:
        return Control(param.osc_address, (param.choices[min(raw * len(param.choices) // (top + 1), len(param.choices) - 1)],))
    assert param.range is not None  # a number parameter has one
    low, high = param.range
    if mapping.mode == "relative":  # an endless encoder: 1..63 turns up, 65..127 down
        steps = raw if raw < 64 else raw - 128
        value = registry.value(param.path) + steps * (high - low) / 127.0
    elif message.type == "note_off":
        return None
    else:
        value = low + (high - low) * raw / top
    value = min(max(value, low), high)
    return Control(param.osc_address, (round(value) if param.kind is Kind.INT else float(value),))
