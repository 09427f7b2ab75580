"""The timecode a show chases as parameters: timecode.locked and timecode.seconds. They are
measured, not set: OSCQuery lists them, the HUD shows them, and a preset's drives may follow them
(`[[drive]] source = "timecode.locked"`). A live show publishes what its chase heard, and a replay
what the live show's session recorded, so both registries, and both pictures, agree."""

from __future__ import annotations

from neoterra_glow.core.params import Kind, Param, Registry

DAY = 86400.0  # seconds: timecode runs from 00:00:00:00 to 23:59:59:ff


class TimecodeLock:
    """Declares timecode.* and publishes the chase's lock and position into them."""

    params = (
        Param("timecode.locked", Kind.BOOL, False, "whether the show's cues follow timecode (MIDI or LTC) arriving now", measured=True),
        Param("timecode.seconds", Kind.FLOAT, 0.0, "the timecode the show's cues follow, in seconds", (0.0, DAY), measured=True),
    )

    @staticmethod
    def publish(registry: Registry, locked: bool, seconds: float) -> None:
        """Set the lock and the timecode, at a frame boundary."""
        registry.set("timecode.locked", locked, immediate=True)
        registry.set("timecode.seconds", min(max(seconds, 0.0), DAY), immediate=True)
