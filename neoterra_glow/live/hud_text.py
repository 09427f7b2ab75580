"""The HUD's text: what the operator reads over the window (output/hud.py draws it) and the
remote shows, made from the live show's state, so that the show stays the loop."""

from __future__ import annotations

import textwrap
import time
from typing import TYPE_CHECKING, cast

from neoterra_glow.glitch.faults import KINDS

if TYPE_CHECKING:  # the show makes its HUD's text
    from neoterra_glow.live.show import LiveShow
    from neoterra_glow.murals.stack import MuralStack
    from neoterra_glow.swarm.swarm import Swarm


class HudText:
    """A live show's HUD lines; it measures the OSC traffic between two readings for them."""

    def __init__(self, live: LiveShow) -> None:
        self.live = live
        self._traffic = (time.monotonic(), 0, 0.0)  # when, messages then, messages a second

    def lines(self, fps: float, frame_ms: float) -> list[str]:
        """The lines, most telling first (the HUD shows the first ten; errors are red)."""
        live = self.live
        faults, swarm = live.frame.faults if live.frame else None, cast("Swarm", live.pipeline["swarm"])
        assert swarm.atlas is not None  # the swarm is built with its glyphs
        active = [f"{k} {faults[k]:.1f}" for k in KINDS if faults and faults[k] > 0]
        rejected = sum(live.osc.rejections.counts.values())
        now, received = time.monotonic(), live.osc.received
        then, before, rate = self._traffic
        if now - then >= 1.0:
            self._traffic = (now, received, (received - before) / (now - then))
        return [
            f"{live.piece.preset.title}   {fps:5.1f} fps   {frame_ms:5.1f} ms/frame",
            f"bots {swarm.state.count:,}   glyph {swarm.visits.current + 1}/{len(swarm.atlas)}",
            f"OSC udp://{live.osc.host}:{live.osc.port}   {self._traffic[2]:,.0f} msg/s   rejected {rejected}",
            f"layers {', '.join(cast('MuralStack', live.pipeline['murals']).names())}",
            f"faults {', '.join(active) or 'none'}",
            *([live.governor.given_up()] if live.governor else []),
            *([_audio_line(live)] if live.audio else []),
            *([_camera_line(live)] if live.camera else []),
            *([_midi_line(live.midi)] if live.midi else []),
            *([live.chase.status()] if live.chase else []),
            *(_audience_lines(live.audience) if live.audience else []),
            _beat_line(live),
            *live.desk.mix.lines(live.desk.time),
            *textwrap.wrap(live.pipeline.times.summary(), 70, initial_indent="gpu ms  ", subsequent_indent="        "),
            *(f"error: {error.splitlines()[0]}" for error in live.library.errors()),
            *live.errors,
        ]


def _audience_lines(audience) -> list[str]:
    refused = sum(audience.rejections.counts.values())
    lines = [f"audience {audience.url}  {audience.visitors} feeling  refused {refused}"]
    if audience.pending:  # /audience/approve N lets one on the wall
        lines.append("waiting " + "  ".join(f"#{n} {text[:28]}" for n, (_, text) in list(audience.pending.items())[:3]))
    return lines


def _beat_line(live: LiveShow) -> str:
    v = live.piece.registry.value
    if v("tempo.source") == "none":
        return "beat none (tap t, send /bpm, play MIDI clock or sound)"
    position = v("tempo.position")
    dots = "".join("*" if int(position) == n else "." for n in range(4))
    return f"beat {v('tempo.source')} {v('tempo.bpm'):.1f} bpm  {dots}  {'playing' if v('tempo.playing') else 'stopped'}"


def _midi_line(midi) -> str:
    if midi.absent or midi.file_error:
        return f"error: MIDI: {midi.absent or midi.file_error}"
    learning = f"   learning: move a control for {midi.armed}" if midi.armed else ""
    return f"midi {midi.port}   {midi.received} messages   {len(midi.mappings)} mapped{learning}"


def _audio_line(live: LiveShow) -> str:
    assert live.audio is not None  # asked only of a show that hears
    if live.audio.absent:
        return f"error: no sound: {live.audio.absent}"
    v = live.piece.registry.value
    return (f"audio bass {v('audio.bass'):.2f} mid {v('audio.mid'):.2f} high {v('audio.high'):.2f} "
            f"onset {v('audio.onset'):.1f} bpm {v('audio.bpm'):.0f} ({v('audio.confidence'):.0%})  {live.audio.latency * 1e3:.0f} ms")


def _camera_line(live: LiveShow) -> str:
    assert live.camera is not None  # asked only of a show that watches
    if live.camera.absent:
        return f"error: no camera: {live.camera.absent}"
    v = live.piece.registry.value
    return (f"camera live  smile {v('smile.level'):.2f}  {v('smile.smiling'):.0f} of {v('smile.faces'):.0f} faces smiling  "
            f"{live.camera.latency * 1e3:.0f} ms")
