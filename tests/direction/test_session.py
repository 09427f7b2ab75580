import errno
import json
import os
import subprocess
import time

import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.core.clock import RENDER_EPOCH
from neoterra_glow.direction.session import SessionError, read_session
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
    for number, (live_frame, replay_frame) in enumerate(zip(shown, replayed, strict=True)):
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
    from neoterra_glow.direction.session import SessionRecorder

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    recorder = SessionRecorder(tmp_path / "set.oscrec", preset, 3, SMALL)
    for index in range(3):
        recorder.record(index, index / 60, 1 / 60, [Control("/swarm/hold", (float(index),))])
    # not closed, as after a kill -9: what another process reads now is what survives
    session = read_session(tmp_path / "set.oscrec")
    assert [frame.controls[0].args for frame in session.frames] == [(0.0,), (1.0,), (2.0,)]
    recorder.close()


def test_a_restarted_show_appends_to_its_set_and_the_replay_runs_on_across_the_restart(ctx, tmp_path):
    """A service restart with the same --record-session: the first show's lines stay, the
    second's follow them on the set's clock, and the whole set replays."""
    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = tmp_path / "set.oscrec"
    for steps, size in ((6, 4.0), (5, 6.0)):
        live = LiveShow(ctx, load_piece(preset), SMALL, 9, Listening(port=0, query_port=None), record=record)
        try:
            live.inject("/swarm/size", size)
            for _ in range(steps):
                live.step()
        finally:
            live.close()
    session = read_session(record)
    assert len(record.read_text().splitlines()) == 1 + 6 + 1 + 5  # header, frames, restart, frames
    assert [frame.index for frame in session.frames] == list(range(11))
    times = [frame.time for frame in session.frames]
    assert all(later > earlier for earlier, later in zip(times, times[1:], strict=False))
    assert [c.args for f in session.frames for c in f.controls] == [(4.0,), (6.0,)]
    replayed = list(render_frames(ctx, load_piece(preset), (64, 36), 30, 11, session.seed, session))
    assert len(replayed) == 11


def test_a_set_cut_mid_line_by_a_crash_is_continued_after_a_whole_line(tmp_path):
    from neoterra_glow.control.message import Control
    from neoterra_glow.direction.session import SessionRecorder

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = tmp_path / "set.oscrec"
    first = SessionRecorder(record, preset, 3, SMALL)
    first.record(0, 0.0, 0.0, [Control("/swarm/hold", (1.0,))])
    first.close()
    with record.open("a") as cut:
        cut.write('{"i":1,"t":0.01')  # killed in the middle of a line
    second = SessionRecorder(record, preset, 3, SMALL, epoch=RENDER_EPOCH + 30.0)
    second.record(0, 0.0, 0.0, [Control("/swarm/hold", (2.0,))])
    second.close()
    session = read_session(record)
    assert [(f.index, f.time, f.controls[0].args) for f in session.frames] == [(0, 0.0, (1.0,)), (1, 30.0, (2.0,))]


def test_a_file_that_is_not_a_session_is_never_appended_to(tmp_path):
    from neoterra_glow.direction.session import SessionRecorder

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    with pytest.raises(SessionError, match="notes.txt: not a neoterra-glow session, so it is not appended to"):
        SessionRecorder(notes, notes, 1, SMALL)
    assert notes.read_text() == "my notes\n"


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB filesystem (tmpfs), to fill."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root or CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "--lazy", str(disk)], check=True)  # lazy: a file left open (by old code) cannot keep it


def fill(disk, keep: int = 0):
    """Fill the disk but for about `keep` bytes; returns the filler, to delete when room must come back."""
    filler = disk / "filler"
    out = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(out, b"x" * 4096):
            pass
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(out)
    os.truncate(filler, max(0, filler.stat().st_size - keep))
    return filler


def test_a_full_disk_is_said_once_the_show_goes_on_and_recording_resumes_when_room_returns(ctx, tmp_path, small_disk, monkeypatch):
    from neoterra_glow.direction import session as sessions

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = small_disk / "set.oscrec"
    filler = fill(small_disk)
    live = LiveShow(ctx, load_piece(preset), (64, 36), 9, Listening(port=0, query_port=None), record=record)
    try:
        for _ in range(4):
            live.inject("/swarm/size", 3.0)
            live.step()  # the disk is full: no error reaches the show
        said = [error for error in live.errors if "No space left on device" in error]
        assert len(said) == 1 and "recording pauses and the show goes on" in said[0]
        assert live.recorder.lost == 4 and record.stat().st_size == 0
        filler.unlink()
        monkeypatch.setattr(sessions, "RETRY_SECONDS", 0.0)
        live.inject("/swarm/size", 5.0)
        live.step()
        live.step()
    finally:
        live.close()
    session = read_session(record)
    assert [f.index for f in session.frames] == [4, 5]
    assert [c.args for f in session.frames for c in f.controls] == [(5.0,)]


def test_a_line_the_disk_cuts_short_is_undone_so_the_set_stays_whole(tmp_path, small_disk):
    from neoterra_glow.control.message import Control
    from neoterra_glow.direction.session import SessionRecorder

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    fill(small_disk, keep=4096)
    said = []
    recorder = SessionRecorder(small_disk / "set.oscrec", preset, 3, SMALL, report=said.append)
    for index in range(12):  # ~1 KB a line: the fifth or so does not fit
        recorder.record(index, index / 60, 1 / 60, [Control("/audience/name", ("x" * 1000,))])
    recorder.close()
    text = (small_disk / "set.oscrec").read_bytes()
    assert text.endswith(b"\n")
    session = read_session(small_disk / "set.oscrec")
    assert 0 < len(session.frames) < 12 and recorder.lost == 12 - len(session.frames)
    assert [f.index for f in session.frames] == list(range(len(session.frames)))
    assert len(said) == 1


def test_a_frames_oversized_control_is_left_out_of_its_line_and_counted(tmp_path):
    from neoterra_glow.control.message import Control
    from neoterra_glow.direction.session import LINE_CAP, SessionRecorder

    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    said = []
    recorder = SessionRecorder(tmp_path / "set.oscrec", preset, 3, SMALL, report=said.append)
    for index in range(20):  # two 10 KB taps each frame: the first fits, the second does not
        recorder.record(index, index / 60, 1 / 60, [Control("/glitch/tap", ("x" * 10_000,)), Control("/glitch/tap", ("y" * 10_000,)),
                                                    Control("/swarm/size", (3.0,))])
    recorder.record(20, 20 / 60, 1 / 60, [Control("/glitch/tap", ("z" * 60_000,))])  # alone, and still too big
    recorder.close()
    lines = (tmp_path / "set.oscrec").read_text().splitlines()
    assert max(len(line) for line in lines) < LINE_CAP + 200
    assert recorder.dropped == 21 and len(said) == 1 and "/glitch/tap (10,0" in said[0]
    session = read_session(tmp_path / "set.oscrec")
    assert [[c.address for c in f.controls] for f in session.frames] == [["/glitch/tap", "/swarm/size"]] * 20 + [[]]


def test_a_set_names_a_bundled_preset_by_name_so_another_install_replays_it_without_a_warning(tmp_path, caplog):
    from neoterra_glow.core.presets import find_preset
    from neoterra_glow.direction.session import SessionRecorder
    from neoterra_glow.render import frames_and_seed

    recorder = SessionRecorder(tmp_path / "set.oscrec", find_preset("calm"), 3, SMALL)
    recorder.record(0, 0.0, 1 / 60, [])
    recorder.close()
    header = json.loads((tmp_path / "set.oscrec").read_text().splitlines()[0])
    assert header["preset"] == "calm"  # the same bytes on every install, wherever it is
    session = read_session(tmp_path / "set.oscrec")
    assert session.preset == find_preset("calm").resolve()
    with caplog.at_level("WARNING"):
        assert frames_and_seed(load_piece("calm"), session, None, None, 30, None) == (1, 3)
    assert "recorded with" not in caplog.text
    own = tmp_path / "live.toml"
    own.write_text(PRESET)
    recorder = SessionRecorder(tmp_path / "own.oscrec", own, 3, SMALL)
    recorder.record(0, 0.0, 1 / 60, [])
    recorder.close()
    assert json.loads((tmp_path / "own.oscrec").read_text().splitlines()[0])["preset"] == str(own.resolve())
