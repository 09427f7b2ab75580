"""The frame-time governor: down at once when frames are late, up slowly when there is room, and
never pumping between a step that fits and one that does not."""

from neoterra_glow.core.governor import LADDER, Governor
from neoterra_glow.pipeline import declare_params
from tests.conftest import frame_at


def judged(governor: Governor, registry, cost, seconds: float, fps: float = 30.0) -> list[int]:
    """The governor's step each frame for `seconds` of a show whose frame costs cost(step) seconds."""
    steps, now = [], 0.0
    for _ in range(int(seconds * fps)):
        governor.publish(registry)
        spent = cost(governor.step)
        now += max(spent, 1.0 / fps)
        governor.observe(spent, now, registry)
        steps.append(governor.step)
    return steps


def test_the_governor_steps_down_at_once_up_slowly_and_settles_without_pumping():
    registry = declare_params()
    governor = Governor(30.0)
    fits = 4  # a show that fits its 30 fps (with room to spare) from the fourth step down, and is late above it
    steps = judged(governor, registry, lambda step: 0.040 if step < fits else 0.020, 60.0)
    reached = steps.index(fits)
    assert reached < 30  # within a second of late frames
    tries = [n for n, (a, b) in enumerate(zip(steps, steps[1:], strict=False)) if b < a]  # each a step back up that did not fit
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert len(tries) <= 5 and all(later > 1.5 * sooner for sooner, later in zip(gaps, gaps[1:], strict=False))  # each waited longer for
    assert sum(step < fits for step in steps[reached:]) <= 0.03 * len(steps)  # late frames are few, and fewer as it learns
    assert steps[-1] >= fits - 1 and registry.value("murals.governed") == LADDER[governor.step][0] < 1.0


def test_the_governor_gives_everything_back_when_there_is_room_again():
    registry = declare_params()
    governor = Governor(30.0)
    judged(governor, registry, lambda step: 0.2, 5.0)  # far too slow: all the way down
    assert governor.step == len(LADDER) - 1 and registry.value("governor.bots") < 1.0 and registry.value("post.bloom.governed")
    steps = judged(governor, registry, lambda step: 0.01, 60.0)  # then a third of the frame: step by step back up
    assert steps[-1] == 0 and registry.value("murals.governed") == 1.0 and not registry.value("post.bloom.governed")
    assert steps.index(0) > 30 * 2 * 5  # slowly: a step every two seconds or more


def test_a_governor_turned_off_gives_nothing_up():
    registry = declare_params()
    governor = Governor(30.0)
    registry.set("governor.on", False)
    judged(governor, registry, lambda step: 0.2, 3.0)
    assert governor.step == 0 and registry.value("murals.governed") == 1.0


def test_the_governed_frame_keeps_only_the_bots_it_says_and_the_registry_keeps_the_count_set():
    registry = declare_params()
    registry.set("swarm.count", 200_000, immediate=True)
    governor = Governor(30.0)
    judged(governor, registry, lambda step: 0.2, 5.0)
    assert governor.thin(frame_at(registry)).params["swarm.count"] == 200_000 * LADDER[-1][2]
    assert registry.value("swarm.count") == 200_000  # a snapshot saved or a scene's fade sees the operator's count
