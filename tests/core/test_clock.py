import time

from neoterra_glow.core.clock import FixedClock, RealtimeClock


def test_fixed_clock_gives_exact_times_for_each_index():
    clock = FixedClock(30)
    ticks = [clock.tick() for _ in range(91)]
    assert ticks[0] == (0, 0.0, 1 / 30)
    assert ticks[90] == (90, 3.0, 1 / 30)


def test_realtime_clock_caps_a_stall():
    clock = RealtimeClock(max_dt=0.05)
    clock.tick()
    time.sleep(0.12)
    index, now, dt = clock.tick()
    assert index == 1 and dt == 0.05 and now == 0.05
