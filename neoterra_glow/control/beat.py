"""One beat clock: tempo and phase from the best source there is, in this order: Ableton Link
(control/link.py, an optional extra), MIDI clock, OSC (/bpm, /beat), the sound's beat
tracker, and a tapped or hand-set tempo (glitch.bpm).

Each source keeps an estimate: a tempo, and a moment at which a known beat of the bar fell.
At each frame boundary the clock publishes the best live one as measured parameters:
tempo.bpm, tempo.position (beats into a 4-beat bar, 0..4) and tempo.source. What waits for
the beat (faults with glitch.quantise, scenes and timed cues with tempo.scenes, the
swarm's morphs with tempo.morphs) reads them from the frame, so a render that hears the
same sound, or replays the same taps, lands on the same beats.

Times are the show's clock, in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from neoterra_glow.control.tempo import TapTempo
from neoterra_glow.core.params import Kind, Param, Registry

SOURCES = ("link", "midi", "osc", "audio", "tap")  # most trusted first
QUANTISE = ("off", "beat", "half", "bar")
_UNITS = {"beat": 1, "half": 2, "bar": 4}
BEATS_PER_BAR = 4
MIDI_PPQN = 24  # MIDI clock messages to a beat
MIDI_WINDOW = 4 * MIDI_PPQN + 1  # clock messages the tempo is read from: a bar
MIDI_STALE = 1.0  # seconds without a clock message before MIDI is no longer trusted
AUDIO_CONFIDENCE = 0.3  # how clearly the sound must keep its tempo to be followed


@dataclass(frozen=True)
class Estimate:
    """One source's idea of the beat: a tempo and a moment a known beat fell, so any later time has a position."""

    bpm: float
    at: float  # a moment ...
    beat: float  # ... and the beat of the bar that fell then

    def position(self, time: float) -> float:
        return (self.beat + (time - self.at) * self.bpm / 60.0) % BEATS_PER_BAR


class BeatClock:
    """Chooses the best beat source each frame and publishes tempo.*, so what waits for the beat
    reads it from the frame and a render lands on the same beats."""

    params = (
        Param("tempo.bpm", Kind.FLOAT, 0.0, "the show's tempo, from the best beat source there is; 0 while there is none",
              (0.0, 300.0), measured=True),
        Param("tempo.position", Kind.FLOAT, 0.0, "beats into the bar (0..4)", (0.0, 4.0), measured=True),
        Param("tempo.source", Kind.ENUM, "none", "where the tempo comes from", choices=("none", *SOURCES), measured=True),
        Param("tempo.playing", Kind.BOOL, False, "whether the players are playing: /tempo/start and /tempo/stop, or a Link peer's "
              "start and stop", measured=True),
        Param("tempo.scenes", Kind.ENUM, "off", "scene changes and timed cues wait for the next beat, half bar or bar",
              choices=QUANTISE),
        Param("tempo.morphs", Kind.ENUM, "off", "the swarm's move to its next glyph waits for the next beat, half bar or bar",
              choices=QUANTISE),
    )

    keeps = ("estimates", "_taps", "_tapped", "_tap_anchor", "_midi_ticks", "_midi_count", "_onset", "playing")

    def __init__(self, link=None) -> None:
        self.estimates: dict[str, Estimate] = {}
        self._taps = TapTempo()
        self._tapped = 0  # taps in the current series
        self._tap_anchor = (0.0, 0.0)  # the last tap: when, and which beat it was
        self._midi_ticks: list[float] = []
        self._midi_count = 0  # clock messages since the last start
        self._onset = 0.0
        self.playing = False  # the transport as the operator last set it (a Link session's own, where the show joins one)
        self.link = link  # a LinkSession, where the show joins one

    # sources

    def tap(self, time: float) -> float | None:
        """A tap on the beat; returns the tempo once taps make one."""
        tempo = self._taps.tap(time)
        self._tapped = self._tapped + 1 if tempo else 1
        self._tap_anchor = (time, float((self._tapped - 1) % BEATS_PER_BAR))
        return tempo

    def transport(self, playing: bool) -> None:
        """/tempo/start or /tempo/stop: the show's players, and every Link peer's where it joins a session."""
        self.playing = playing
        if self.link is not None:
            self.link.transport(playing)

    def osc_bpm(self, time: float, bpm: float) -> None:
        if bpm <= 0:
            self.estimates.pop("osc", None)
            return
        previous = self.estimates.get("osc")
        beat = previous.position(time) if previous else 0.0
        self.estimates["osc"] = Estimate(bpm, time, beat)

    def osc_beat(self, time: float, beat: int | None = None) -> None:
        """A beat now: `beat` of the bar (0..3), or the nearest whole beat to where the clock is."""
        previous = self.estimates.get("osc")
        if previous is None:
            return
        if beat is None:
            beat = round(previous.position(time)) % BEATS_PER_BAR
        self.estimates["osc"] = Estimate(previous.bpm, time, float(beat % BEATS_PER_BAR))

    def midi(self, time: float, kind: str) -> None:
        """A MIDI realtime message: clock (24 a beat), start, continue or stop."""
        if kind == "start":
            self._midi_count, self._midi_ticks = 0, []
            return
        if kind == "stop":
            self.estimates.pop("midi", None)
            return
        if kind != "clock":
            return
        self._midi_ticks = (self._midi_ticks + [time])[-MIDI_WINDOW:]
        self._midi_count += 1
        if len(self._midi_ticks) > MIDI_PPQN // 2:
            # the median spacing over half the window: a sender held up on a busy machine delivers its late
            # ticks in a burst, which bends a line through the arrival times but moves a median little
            ticks = np.asarray(self._midi_ticks)
            half = len(ticks) // 2
            spacing = float(np.median(ticks[half:] - ticks[:len(ticks) - half])) / half
            if spacing > 0:
                self.estimates["midi"] = Estimate(60.0 / (spacing * MIDI_PPQN), time,
                                                  (self._midi_count / MIDI_PPQN) % BEATS_PER_BAR)

    def hear(self, time: float, bpm: float, confidence: float, onset: float) -> None:
        """The sound's tracker: its tempo, phased by its onsets when they fall near a beat."""
        if bpm <= 0 or confidence < AUDIO_CONFIDENCE:
            self.estimates.pop("audio", None)
            self._onset = onset
            return
        previous = self.estimates.get("audio")
        rising = onset >= 0.99 and self._onset < 0.99
        self._onset = onset
        if previous is None:
            self.estimates["audio"] = Estimate(bpm, time, 0.0)
        elif rising:
            position = previous.position(time)
            nearest = round(position)
            if abs(position - nearest) < 0.3:  # a hit near a beat: the beat was then
                self.estimates["audio"] = Estimate(bpm, time, float(nearest % BEATS_PER_BAR))
            else:
                self.estimates["audio"] = Estimate(bpm, previous.at, previous.beat)
        else:  # the tempo follows the tracker; the phase carries on from its last anchor
            self.estimates["audio"] = Estimate(bpm, time, previous.position(time))

    # the clock

    def now(self, time: float, tapped_bpm: float) -> tuple[str, float, float]:
        """(source, bpm, position) at `time`; `tapped_bpm` is glitch.bpm, the last resort."""
        heard = self.link.read() if self.link is not None else None
        if heard is None:
            self.estimates.pop("link", None)
        else:
            self.estimates["link"] = Estimate(heard[0], time, heard[1])
        midi = self.estimates.get("midi")
        if midi and self._midi_ticks and time - self._midi_ticks[-1] > MIDI_STALE:
            del self.estimates["midi"]
        if tapped_bpm > 0:
            self.estimates["tap"] = Estimate(tapped_bpm, *self._tap_anchor)
        else:
            self.estimates.pop("tap", None)
        for source in SOURCES:
            if source in self.estimates:
                estimate = self.estimates[source]
                return source, estimate.bpm, estimate.position(time)
        return "none", 0.0, 0.0

    def values(self, time: float, tapped_bpm: float) -> dict[str, object]:
        """tempo.* at `time`: what a frame at that time sees."""
        source, bpm, position = self.now(time, tapped_bpm)
        if self.link is not None:
            self.playing = self.link.playing
        return {"tempo.source": source, "tempo.bpm": min(bpm, 300.0), "tempo.position": min(position, math.nextafter(4.0, 0.0)),
                "tempo.playing": self.playing}

    @classmethod
    def publish(cls, registry: Registry, seen: Mapping[str, object]) -> None:
        """Show the measured tempo.* in the registry (OSCQuery, the HUD) as a frame saw them (its params)."""
        for param in cls.params:
            if param.measured:
                registry.set(param.path, seen[param.path], immediate=True)


def seconds_to_next(position: float, bpm: float, quantise: str) -> float:
    """How long until the next beat, half bar or bar (0 when on it, or with no tempo or no quantise)."""
    if quantise == "off" or bpm <= 0:
        return 0.0
    unit = _UNITS[quantise]
    return (math.ceil(position / unit - 1e-9) * unit - position) * 60.0 / bpm


def crossed(previous: float, position: float, quantise: str, bpm: float) -> bool:
    """Whether a beat, half bar or bar began between two frames' positions (always, with no
    quantise or no tempo: nothing waits for a beat that will not come)."""
    if quantise == "off" or bpm <= 0:
        return True
    unit = _UNITS[quantise]
    return math.floor(position / unit) != math.floor(previous / unit) or position < previous
