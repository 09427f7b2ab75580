import json
import time

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.live.session import SessionError, read_session
from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_frames
from tests.conftest import SMALL
from tests.live.test_live import PRESET


def test_a_recorded_live_set_replays_offline_frame_for_frame(ctx, tmp_path):
    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = tmp_path / "set.oscrec"
    live = LiveShow(ctx, load_piece(preset), SMALL, 9, Listening(port=0, query_port=None), record=record)
    sender = SimpleUDPClient("127.0.0.1", live.osc.port)
    shown = []
    try:
        for number in range(24):
            if number == 5:
                sender.send_message("/emotion/joy", 1.0)
                sender.send_message("/murals/add", ["ribbons"])
            if number == 12:
                sender.send_message("/glitch/trigger", ["blocks", 0.9, 0.3])
                sender.send_message("/swarm/scatter", [])
            if number in (5, 12):
                time.sleep(0.1)  # let them arrive: this frame's boundary applies them
            output = live.step()
            shown.append(np.frombuffer(output.texture.read(), np.uint8).reshape(SMALL[1], SMALL[0], 4)[::-1])
    finally:
        live.close()

    session = read_session(record)
    assert len(session.frames) == 24 and session.seed == 9
    assert sum(len(f.controls) for f in session.frames) == 4
    replayed = [rgba for _, rgba in render_frames(ctx, load_piece(preset), SMALL, 30, 24, session.seed, session)]
    assert len(replayed) == 24
    for number, (live_frame, replay_frame) in enumerate(zip(shown, replayed)):
        assert np.array_equal(live_frame, replay_frame), f"frame {number} differs"


def test_a_session_cut_short_still_replays_and_a_wrong_file_is_named(tmp_path):
    record = tmp_path / "cut.oscrec"
    header = {"format": "neoterra-glow session 1", "preset": str(tmp_path / "x.toml"), "seed": 1, "size": [64, 36]}
    frame = {"i": 0, "t": 0.0, "dt": 0.016, "m": [["/swarm/size", [3.0]]]}
    record.write_text(json.dumps(header) + "\n" + json.dumps(frame) + "\n" + '{"i": 1, "t": 0.0')
    session = read_session(record)
    assert len(session.frames) == 1 and session.frames[0].controls[0].args == (3.0,)
    (tmp_path / "other.oscrec").write_text("hello\n")
    with pytest.raises(SessionError, match="other.oscrec: not a neoterra-glow session"):
        read_session(tmp_path / "other.oscrec")


def test_a_recording_show_counts_refused_messages_and_records_only_what_it_applied(ctx, tmp_path):
    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = tmp_path / "set.oscrec"
    live = LiveShow(ctx, load_piece(preset), SMALL, 9, Listening(port=0, query_port=None), record=record)
    try:
        live.step()
        for address, value in (("/swarm/size", float("nan")), ("/swarm/size", float("inf")), ("/no/such/thing", 1.0),
                               ("/swarm/size", 5.0)):
            live.inject(address, value)
        live.step()
        live.step()
        assert sum(live.desk.rejections.counts.values()) == 3
    finally:
        live.close()
    session = read_session(record)
    assert len(session.frames) == 3
    assert [(c.address, c.args) for f in session.frames for c in f.controls] == [("/swarm/size", (5.0,))]


def test_a_recording_is_on_disk_up_to_the_last_frame_boundary_while_the_show_runs(tmp_path):
    from neoterra_glow.control.message import Control
    from neoterra_glow.live.session import SessionRecorder

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    recorder = SessionRecorder(tmp_path / "set.oscrec", preset, 3, SMALL)
    for index in range(3):
        recorder.record(index, index / 60, 1 / 60, [Control("/swarm/hold", (float(index),))])
    # not closed, as after a kill -9: what another process reads now is what survives
    session = read_session(tmp_path / "set.oscrec")
    assert [frame.controls[0].args for frame in session.frames] == [(0.0,), (1.0,), (2.0,)]
    recorder.close()
