"""Ableton Link, as a beat source: the tempo and phase of the Link session the show has
joined (DAWs, DJ software and other visuals on the network).

Link's Python bindings (LinkPython-extern) are GPL-licensed, so they are an optional extra:
`pip install 'neoterra-glow[link]'`. The engine is not GPL; a show that installs the extra
runs with GPL code in it, which matters only to whoever distributes it.
"""

from __future__ import annotations

from neoterra_glow.errors import UserError

QUANTUM = 4.0  # beats to a bar, as the clock counts them


class LinkSession:
    """Joins the Link session on the network; `read()` is its tempo and beat of the bar, or
    None while no other peer is there (alone, Link would only echo the show's own tempo)."""

    def __init__(self) -> None:
        try:
            import link
        except ImportError:
            raise UserError("Ableton Link needs the optional extra: pip install 'neoterra-glow[link]' (GPL-licensed)") from None
        self._link = link.Link(120.0)
        self._link.enabled = True

    @property
    def peers(self) -> int:
        return self._link.numPeers()

    def read(self) -> tuple[float, float] | None:
        if self._link.numPeers() == 0:
            return None
        state = self._link.captureSessionState()
        return state.tempo(), state.beatAtTime(self._link.clock().micros(), QUANTUM) % QUANTUM

    def close(self) -> None:
        self._link.enabled = False
