"""LTC through a sound card with no hardware (a PulseAudio null sink): a desk's LTC, played into
it, locks the show's timeline, its cues fire on their frame, a jump relocates and a stop holds;
the show's own LTC out, heard back from the sink's monitor, runs with the show and stops with a
freeze. libltc encodes and decodes: a test signal is written by the engine's own writer."""

import time
import wave

import numpy as np
import pytest

from neoterra_glow.direction.cues import Cue
from neoterra_glow.live.chase import ChasedClock, TimecodeCues
from neoterra_glow.timecode.ltc import RATE, LtcChaser, LtcIn, LtcWriter
from neoterra_glow.timecode.mtc import parse_timecode
from tests.audio.conftest import sound_card  # noqa: F401  (the null sink fixture)
from tests.timecode.test_mtc import _until

START = parse_timecode("01:00:00:00", 25.0)


@pytest.mark.parametrize("fps", [24.0, 25.0, 30.0])
def test_ltc_written_reads_back_frame_for_frame_at_its_rate(fps):
    start = parse_timecode("10:59:59:00", fps)
    samples = LtcWriter(lambda: start, fps).samples(3 * RATE)  # written all at once: each sample later than the last
    chaser, now = LtcChaser(), time.monotonic()
    heard = []
    for block in range(0, len(samples), 512):  # as a sound card hands it over
        chaser.hear(samples[block:block + 512], now + (block + 512) / RATE)
        heard.append(chaser._anchor)
    assert chaser.fps == fps and chaser.jumps == 1  # locked once, then never relocated
    assert chaser._anchor == pytest.approx(start + 3.0 - 1.5 / fps, abs=1.0 / fps)  # past 11:00:00:00: a frame is read at its end
    assert chaser.time() - (start + (time.monotonic() - now)) == pytest.approx(0.0, abs=1.5 / fps)


def desk_wav(path, parts):
    """A desk's LTC as a WAV: (start timecode or None for silence, seconds) after each other."""
    chunks = []
    for start, seconds in parts:
        count = int(seconds * RATE)
        chunks.append(np.zeros(count, np.float32) if start is None else LtcWriter(lambda start=start: start).samples(count))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        out.writeframes((np.concatenate(chunks) * 32767).astype("<i2").tobytes())


def test_a_desk_s_ltc_locks_the_timeline_fires_its_cues_relocates_and_holds(tmp_path, sound_card):  # noqa: F811
    desk_wav(tmp_path / "desk.wav", [(None, 0.5), (START, 2.5), (7200.0, 1.5), (None, 3.0)])
    clock = ChasedClock(LtcIn(None))  # the system's default input: the null sink's monitor (PULSE_SOURCE)
    cues = TimecodeCues([Cue(at=START + 1.0, name="one", glitch="tear"), Cue(at=START + 1.5, name="two", scene="a")], clock)
    try:
        sound_card.play(tmp_path / "desk.wav")
        assert _until(lambda: clock.state == "LOCKED", 5.0), "no lock"
        assert clock.status().startswith("timecode 01:00:00:") and clock.status().endswith("LOCKED   ltc in (default)")
        fired, timeline, walls = [], [], []
        while (clock.timecode() or 0.0) < START + 2.0:  # frames at 50 a second, as a show makes them
            timeline.append(clock.timecode()), walls.append(time.monotonic())  # read before the cues read it: no later
            fired += [(control.address, len(timeline) - 1) for control in cues.due(0.0)]  # frame's time may pass a cue unfired
            time.sleep(0.02)
        assert [address for address, _ in fired] == ["/glitch/trigger", "/scene/go"]
        for (_, frame), at in zip(fired, (START + 1.0, START + 1.5), strict=True):
            assert timeline[frame - 1] < at <= timeline[frame] + 0.041, "a cue fires on the frame its timecode reaches"
        rate = np.polyfit(walls, timeline, 1)[0]
        assert rate == pytest.approx(1.0, abs=0.03)  # the timeline runs with the desk's
        assert _until(lambda: abs(clock.timecode() - 7200.0) < 1.0, 3.0), "the jump to 02:00:00:00 is not followed"
        assert _until(lambda: clock.state == "HELD", 3.0), "the desk's stop is not held"
        held = clock.timecode()
        time.sleep(0.3)
        assert clock.timecode() == held and 7201.0 < held < 7202.0
    finally:
        clock.close()


def test_show_ltc_out_sends_the_show_s_clock_and_a_freeze_stops_it(tmp_path, sound_card):  # noqa: F811
    from pythonosc.udp_client import SimpleUDPClient

    from tests.live.test_service import start_show

    show, osc_port, _ = start_show(tmp_path, "--ltc-out", "default", env={"PULSE_SINK": sound_card.sink})
    heard = LtcIn(None)
    try:
        assert _until(lambda: heard.chaser.locked, 5.0), "no LTC from the show"
        time.sleep(2.0)  # the writer takes the show's clock up again within its first second or so
        first, started = heard.chaser.time(), time.monotonic()
        time.sleep(1.0)
        assert 0.0 < first < 60.0 and heard.chaser.time() - first == pytest.approx(time.monotonic() - started, abs=0.1)
        SimpleUDPClient("127.0.0.1", osc_port).send_message("/output/freeze", 1)
        assert _until(lambda: not heard.chaser.running, 5.0)  # a frozen show's LTC goes silent, as a stopped deck's
        held = heard.chaser.time()
        time.sleep(0.3)
        assert heard.chaser.time() == held
    finally:
        heard.close()
        show.terminate()
        show.communicate(timeout=30)


def test_show_ltc_in_locks_the_show_to_a_desk_s_ltc(tmp_path, sound_card):  # noqa: F811
    from tests.live.test_service import start_show, value

    desk_wav(tmp_path / "desk.wav", [(START, 6.0)])
    show, _, query = start_show(tmp_path, "--ltc-in", "default", env={"PULSE_SOURCE": f"{sound_card.sink}.monitor"})
    try:
        assert value(query, "/timecode/locked") is False  # listed from the start, before any timecode
        sound_card.play(tmp_path / "desk.wav")
        assert _until(lambda: value(query, "/timecode/locked"), 5.0), "the show does not lock to the desk's LTC"
        assert START < value(query, "/timecode/seconds") < START + 6.0
    finally:
        show.terminate()
        show.communicate(timeout=30)
