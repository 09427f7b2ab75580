"""MIDI timecode looped back through JACK's dummy backend: the sender's quarter-frames read by a
second clock, which locks within a frame, relocates at a jump and holds at a stop."""

import threading
import time

import pytest

from neoterra_glow.timecode.mtc import MtcChaser, MtcSender, parse_timecode, quarter_frames
from tests.control.conftest import jack  # noqa: F401  (the JACK server fixture)

FPS = 25.0
FRAME = 1 / FPS


class Transport:
    """A show's clock: it runs from a start time, jumps, and stops."""

    def __init__(self, start: float) -> None:
        self._lock = threading.Lock()
        self.locate(start)
        self.running = True

    def locate(self, seconds: float) -> None:
        with self._lock:
            self._origin = time.monotonic() - seconds

    def __call__(self) -> float | None:
        with self._lock:
            return time.monotonic() - self._origin if self.running else None


def _until(done, seconds):
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.002)
    return done()


@pytest.fixture
def loop(jack):  # noqa: F811
    name = f"mtc-{time.monotonic_ns() % 100000}"
    port = jack.open_output(name, virtual=True)
    chaser = MtcChaser(FPS)
    listener = jack.open_input(next(n for n in jack.get_input_names() if name in n), callback=chaser.hear)
    yield port, chaser
    listener.close()
    port.close()


def test_quarter_frames_carry_the_timecode_and_the_rate():
    assert quarter_frames(parse_timecode("01:02:03:12", FPS), FPS) == [12, 0, 3, 0, 2, 0, 1, 2]  # 25 fps: rate code 1
    with pytest.raises(ValueError, match="'01:02:03:25' is out of range at 25 frames a second"):
        parse_timecode("01:02:03:25", FPS)


def test_the_show_s_own_mtc_locks_a_second_clock_within_a_frame_relocates_and_holds(loop):
    port, chaser = loop
    transport = Transport(parse_timecode("01:02:03:12", FPS))
    started = time.monotonic()
    sender = MtcSender(port, transport, FPS)
    try:
        assert _until(lambda: chaser.locked, 1.0), "no lock in a second"
        lock_time = time.monotonic() - started
        errors = []
        for _ in range(50):
            time.sleep(0.013)
            before, chased, after = transport(), chaser.time(), transport()  # a preempted test widens its own window
            errors.append(max(before - chased, chased - after, 0.0))
        assert max(errors) < FRAME, f"{max(errors) / FRAME:.2f} frames apart"
        transport.locate(7200.0)  # a jump: relocated at once by the full-frame message
        assert _until(lambda: abs(chaser.time() - transport()) < FRAME, 0.2)
        transport.running = False  # a stop: the chaser holds where it stopped
        time.sleep(0.3)
        held = chaser.time()
        time.sleep(0.3)
        assert chaser.time() == held and 7200.0 < held < 7201.0
    finally:
        sender.close()
    print(f"MTC lock in {1000 * lock_time:.0f} ms, then within {max(errors) / FRAME:.2f} frames")


def test_show_mtc_out_sends_the_show_s_clock_and_a_freeze_stops_it(tmp_path, jack):  # noqa: F811
    from pythonosc.udp_client import SimpleUDPClient

    from tests.live.test_service import start_show

    name = f"show-mtc-{time.monotonic_ns() % 100000}"
    show, osc_port, _ = start_show(tmp_path, "--mtc-out", name)
    chaser = MtcChaser(FPS)
    try:
        assert _until(lambda: any(name in n for n in jack.get_input_names()), 10)
        listener = jack.open_input(next(n for n in jack.get_input_names() if name in n), callback=chaser.hear)
        assert _until(lambda: chaser.locked, 2.0)
        first = chaser.time()
        time.sleep(1.0)
        assert 0.0 < first < 30.0 and chaser.time() - first == pytest.approx(1.0, abs=0.1)  # the show's time, running
        SimpleUDPClient("127.0.0.1", osc_port).send_message("/output/freeze", 1)
        assert _until(lambda: not chaser.running, 5.0)  # the next frame, however late a busy machine makes it
        held = chaser.time()
        time.sleep(0.3)
        assert chaser.time() == held
        listener.close()
    finally:
        show.terminate()
        show.communicate(timeout=30)
