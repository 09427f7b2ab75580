"""Ableton Link, as a beat source and a way to lead: the tempo, phase and transport (start and
stop) of the Link session the show has joined (DAWs, DJ software and other visuals on the
network), and the show's own tempo and start/stop sent back to it.

Link's Python bindings (LinkPython-extern) are GPL-licensed, so they are an optional extra:
`pip install 'neoterra-glow[link]'`. The engine is not GPL; a show that installs the extra
runs with GPL code in it, which matters only to whoever distributes it.
"""

from __future__ import annotations

from neoterra_glow.errors import UserError

QUANTUM = 4.0  # beats to a bar, as the clock counts them
SLOWEST, FASTEST = 20.0, 999.0  # the tempos Link's session keeps


class LinkSession:
    """Joins the Link session on the network, with start/stop shared among its peers; `read()`
    is its tempo and beat of the bar, or None while no other peer is there (alone, Link would
    only echo the show's own tempo). `lead` and `transport` change the session for every peer."""

    def __init__(self) -> None:
        try:
            import link
        except ImportError:
            raise UserError("Ableton Link needs the optional extra: pip install 'neoterra-glow[link]' (GPL-licensed)") from None
        self._link = link.Link(120.0)
        self._link.startStopSyncEnabled = True
        self._link.enabled = True
        self._led: float | None = None  # the show's tempo when it last led; None until its first frame

    @property
    def playing(self) -> bool:
        """Whether the session's players are playing: started or stopped by any peer, or by the show."""
        return self._link.captureAppSessionState().isPlaying()

    def read(self) -> tuple[float, float] | None:
        if self._link.numPeers() == 0:
            return None
        state = self._link.captureSessionState()
        return state.tempo(), state.beatAtTime(self._link.clock().micros(), QUANTUM) % QUANTUM

    def lead(self, bpm: float) -> None:
        """The show's tempo (glitch.bpm), given every frame: a change the operator makes (a tap, OSC,
        a fader) becomes the session's tempo. The value the show starts with is not sent, so joining
        a set never changes its tempo; 0 (no tempo) is never sent."""
        if self._led is not None and bpm != self._led and bpm > 0:
            state = self._link.captureAppSessionState()
            state.setTempo(min(max(bpm, SLOWEST), FASTEST), self._link.clock().micros())
            self._link.commitAppSessionState(state)
        self._led = bpm

    def transport(self, playing: bool) -> None:
        """Start every peer's players (beat 0 falls in phase with the session's bar, as Link quantises a start), or stop them."""
        state = self._link.captureAppSessionState()
        now = self._link.clock().micros()
        if playing:
            state.setIsPlayingAndRequestBeatAtTime(True, now, 0.0, QUANTUM)
        else:
            state.setIsPlaying(False, now)
        self._link.commitAppSessionState(state)

    def close(self) -> None:
        self._link.enabled = False
