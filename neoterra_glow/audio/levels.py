"""The sound's analysis as parameters: audio.bass, audio.onset, audio.bpm ... They are
measured, not set: OSCQuery lists them and sends their changes, the HUD shows them, and a
preset's drives follow them as they follow emotions (`[[drive]] source = "audio.bass"`)."""

from __future__ import annotations

from neoterra_glow.audio.analysis import Hearing
from neoterra_glow.core.params import Kind, Param, Registry

_DOCS = {
    "bass": "loudness of the bass (20-250 Hz) against its recent peak",
    "mid": "loudness of the mids (250 Hz - 4 kHz) against their recent peak",
    "high": "loudness of the highs (4-16 kHz) against their recent peak",
    "level": "overall loudness (RMS) against its recent peak",
    "flux": "how much the sound just changed",
    "onset": "1 at a beat or hit, falling away over a quarter of a second",
    "confidence": "how clearly the onsets keep the tempo",
}


class AudioLevels:
    """Declares audio.* and publishes each frame's hearing into them, so mappings and ISF read sound like any parameter."""

    params = (
        *(Param(f"audio.{name}", Kind.FLOAT, 0.0, doc, (0.0, 1.0), measured=True) for name, doc in _DOCS.items()),
        Param("audio.bpm", Kind.FLOAT, 0.0, "the tempo the beat tracker hears; 0 while there is none", (0.0, 300.0), measured=True),
    )

    @staticmethod
    def publish(registry: Registry, hearing: Hearing) -> None:
        """Set the values heard, at a frame boundary, before the frame's snapshot."""
        for name, value in hearing.values().items():
            registry.set(f"audio.{name}", min(max(float(value), 0.0), 300.0 if name == "bpm" else 1.0), immediate=True)
