"""One beat clock: the best source wins, its phase is kept, and what waits for the beat lands on it."""

import subprocess
import sys
import time

import numpy as np
import pytest

from neoterra_glow.control.beat import BeatClock, crossed, seconds_to_next
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL
from tests.control.test_midi import frames_until


def test_the_most_trusted_live_source_wins_and_keeps_its_phase():
    clock = BeatClock()
    assert clock.now(0.0, 0.0) == ("none", 0.0, 0.0)
    assert clock.now(1.0, 90.0)[:2] == ("tap", 90.0)  # a tempo set by hand is the last resort
    clock.osc_bpm(1.0, 120.0)
    clock.osc_beat(2.0, 0)  # the downbeat, now
    source, bpm, position = clock.now(2.75, 90.0)
    assert (source, bpm) == ("osc", 120.0) and position == pytest.approx(1.5)  # a beat and a half in
    for tick in range(48):  # MIDI clock at 140 bpm, from its start
        clock.midi(3.0 + tick * 60 / 140 / 24, "clock")
    source, bpm, _ = clock.now(3.0 + 47 * 60 / 140 / 24, 90.0)
    assert source == "midi" and bpm == pytest.approx(140.0, abs=0.5)
    assert clock.now(6.0, 90.0)[0] == "osc"  # MIDI clock stopped arriving: OSC again


def test_midi_clock_held_up_and_then_bursting_keeps_its_tempo():
    clock, spacing = BeatClock(), 60 / 128 / 24
    arrivals = np.arange(97) * spacing
    arrivals[80:96] = arrivals[96]  # the sender stalled for a third of a second, then sent what it owed at once
    for arrival in np.floor(arrivals / 0.0213) * 0.0213:  # delivered in a sound server's periods
        clock.midi(float(arrival), "clock")
    assert clock.now(float(arrivals[-1]), 90.0)[1] == pytest.approx(128.0, abs=0.3)


def test_waiting_for_the_beat():
    assert seconds_to_next(2.2, 120.0, "beat") == pytest.approx(0.4)
    assert seconds_to_next(2.2, 120.0, "bar") == pytest.approx(0.9)
    assert seconds_to_next(2.0, 120.0, "half") == 0.0 and seconds_to_next(1.0, 0.0, "bar") == 0.0
    assert crossed(3.9, 0.1, "bar", 120.0) and not crossed(0.1, 0.9, "bar", 120.0) and crossed(0.9, 1.1, "beat", 120.0)
    assert crossed(0.1, 0.2, "bar", 0.0)  # with no tempo nothing waits


def test_a_scene_change_lands_on_the_bar(ctx, tmp_path):
    (tmp_path / "a.toml").write_text('title = "a"\n"swarm.count" = 20000\n')
    (tmp_path / "b.toml").write_text('title = "b"\n"swarm.count" = 20000\nglyphs = ["Kai"]\n')
    live = LiveShow(ctx, load_piece(tmp_path / "a.toml"), SMALL, 3, Listening(port=0, query_port=None))
    try:
        live.inject("/tempo/scenes", "bar")
        live.inject("/bpm", 100.0)
        live.inject("/beat", 0)
        live.step()
        live.inject("/scene/go", "b.toml", 1.0)
        positions = []
        deadline = time.monotonic() + 15
        while live.director.fade is None and time.monotonic() < deadline:
            positions.append(live.piece.registry.value("tempo.position"))
            live.step()
        assert live.director.fade is not None
        assert live.piece.registry.value("tempo.source") == "osc"
        assert live.director._position < 0.8  # the fade began in the bar's first beat
        assert any(p > 1.0 for p in positions)  # after waiting through the rest of a bar
    finally:
        live.close()


CLOCK = """
import sys, time, mido
port = mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output(sys.argv[1], virtual=True)
time.sleep(0.5)
port.send(mido.Message("start"))
tick = time.perf_counter()
while True:
    port.send(mido.Message("clock"))
    tick += 60 / 128 / 24
    time.sleep(max(0.0, tick - time.perf_counter()))
"""


def test_midi_clock_sets_the_show_tempo(ctx, tmp_path, jack):
    name = f"clockbox-{time.monotonic_ns() % 100000}"
    box = subprocess.Popen([sys.executable, "-c", CLOCK, name])  # a drum machine: its own process and timing
    try:
        deadline = time.monotonic() + 10
        while not any(name in port for port in jack.get_input_names()) and time.monotonic() < deadline:
            time.sleep(0.05)
        live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(midi=name,
                        midi_map=tmp_path / "m.toml"))
        try:
            assert frames_until(live, lambda: live.piece.registry.value("tempo.source") == "midi", 5.0)
            # within a few bars of ticks (a drum machine held up by a loaded machine reads slow for a moment)
            assert frames_until(live, lambda: live.piece.registry.value("tempo.bpm") == pytest.approx(128.0, abs=1.5), 8.0)
            assert "beat midi 12" in "\n".join(live.hud_lines(60.0, 16.0))
        finally:
            live.close()
    finally:
        box.kill()
        box.wait()


def test_ableton_link_sets_the_show_tempo_when_a_peer_is_there(ctx):
    link = pytest.importorskip("link", reason="Ableton Link is the optional [link] extra")
    peer = link.Link(120.0)  # another program on the network: a DAW
    peer.enabled = True
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(link=True))
    try:
        found = frames_until(live, lambda: live.piece.registry.value("tempo.source") == "link", 10.0)
        if not found and peer.numPeers() == 0:  # neither sees the other
            pytest.skip("Link peers cannot find each other here (no multicast on loopback)")
        assert found
        state = peer.captureSessionState()  # the DAW's player changes the session's tempo
        state.setTempo(133.0, peer.clock().micros())
        peer.commitSessionState(state)
        assert frames_until(live, lambda: live.piece.registry.value("tempo.bpm") == pytest.approx(133.0, abs=0.01), 5.0)
        before = peer.captureSessionState().beatAtTime(peer.clock().micros(), 4.0)
        live.step()  # one frame, however long a busy machine makes it: the show's phase is the peer's during it
        during = peer.captureSessionState().beatAtTime(peer.clock().micros(), 4.0) - before
        ahead = (live.piece.registry.value("tempo.position") - before) % 4.0
        assert ahead < during + 0.05 or ahead > 4.0 - 0.05, (ahead, during)  # in phase with the peer
    finally:
        live.close()
        peer.enabled = False
