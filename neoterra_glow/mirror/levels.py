"""The room's smile as parameters: smile.level, smile.smiling, smile.faces, smile.change. They are
measured, not set: OSCQuery lists them, the HUD shows them, and a preset's drives follow them as
they follow the sound (`[[drive]] source = "smile.level"`)."""

from __future__ import annotations

from neoterra_glow.core.params import Kind, Param, Registry
from neoterra_glow.mirror.watch import Seen

MOST_FACES = 32.0  # a camera across a room sees a few dozen faces at most


class SmileLevels:
    """Declares smile.* and publishes what the camera sees into them, so drives can follow the room's smile."""

    params = (
        Param("smile.level", Kind.FLOAT, 0.0, "the room's smile: the mean strength of the faces the camera sees", (0.0, 1.0),
              measured=True),
        Param("smile.smiling", Kind.FLOAT, 0.0, "how many faces are smiling", (0.0, MOST_FACES), measured=True),
        Param("smile.faces", Kind.FLOAT, 0.0, "how many faces the camera sees", (0.0, MOST_FACES), measured=True),
        Param("smile.change", Kind.FLOAT, 0.0, "how much the room's smile just changed", (0.0, 1.0), measured=True),
    )

    @staticmethod
    def publish(registry: Registry, seen: Seen) -> None:
        """Set what the camera saw, at a frame boundary, before the frame's snapshot."""
        change = abs(seen.level - registry.value("smile.level"))
        registry.set("smile.change", min(change, 1.0), immediate=True)
        registry.set("smile.level", min(max(seen.level, 0.0), 1.0), immediate=True)
        registry.set("smile.smiling", min(float(seen.smiling), MOST_FACES), immediate=True)
        registry.set("smile.faces", min(float(seen.faces), MOST_FACES), immediate=True)
