import time

import pytest

from neoterra_glow.core.clock import FixedClock, RealtimeClock


def test_fixed_clock_gives_exact_times_for_each_index():
    clock = FixedClock(30)
    ticks = [clock.tick() for _ in range(91)]
    assert ticks[0] == (0, 0.0, 1 / 30)
    assert ticks[90] == (90, 3.0, 1 / 30)


def test_realtime_clock_caps_a_stall_but_keeps_the_wall_clocks_time():
    clock = RealtimeClock(max_dt=0.05)
    clock.tick()
    time.sleep(0.12)
    index, now, dt = clock.tick()
    assert index == 1 and dt == 0.05  # the piece moves on no further than a short frame
    assert now >= 0.12  # but cues keep to the wall: frames drop, time does not


def test_at_a_low_frame_rate_the_show_keeps_to_the_wall_clock():
    clock = RealtimeClock()
    started = time.perf_counter()
    clock.tick()
    for _ in range(4):
        time.sleep(0.15)
        _, now, dt = clock.tick()
        assert dt <= 0.1
    assert now == pytest.approx(time.perf_counter() - started, abs=0.02)
