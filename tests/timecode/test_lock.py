"""timecode.* are measured parameters of every piece: a preset's drive may follow the lock."""

from neoterra_glow.control.emotions import EmotionBus, parse_drive
from neoterra_glow.pipeline import declare_params
from neoterra_glow.timecode.lock import TimecodeLock


def test_a_drive_follows_the_timecode_lock_as_it_follows_the_sound():
    registry = declare_params()
    drive = parse_drive({"source": "timecode.locked", "param": "swarm.trail", "to": 0.5}, registry)
    bus = EmotionBus((drive,))
    unlocked = bus.feel(registry.snapshot(1 / 25), 1 / 25)["swarm.trail"]
    TimecodeLock.publish(registry, True, 3600.0)
    assert registry.value("timecode.seconds") == 3600.0
    assert unlocked != 0.5 and bus.feel(registry.snapshot(1 / 25), 1 / 25)["swarm.trail"] == 0.5
