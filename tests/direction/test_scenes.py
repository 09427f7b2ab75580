import math
import time

import pytest

from neoterra_glow.direction.cues import read_cues
from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL

FIRST = """
glyphs = ["Elara"]
[[layers]]
shader = "field"
[[layers]]
shader = "cells"
blend = "add"
[swarm]
count = 20000
brightness = 1.0
layout = "centre"
palette.core = "#000000"
[murals.field]
brightness = 0.5
"""

SECOND = """
glyphs = ["Kai", "Nara"]
[[layers]]
shader = "field"
[[layers]]
shader = "aurora"
blend = "add"
opacity = 0.8
[swarm]
count = 20000
brightness = 3.0
layout = "ring"
palette.core = "#ffffff"
[murals.field]
brightness = 1.5
"""


@pytest.fixture
def live(ctx, tmp_path):
    (tmp_path / "first.toml").write_text(FIRST)
    (tmp_path / "second.toml").write_text(SECOND)
    show = LiveShow(ctx, load_piece(tmp_path / "first.toml"), SMALL, 3, Listening(port=0, query_port=None))
    yield show
    show.close()


def go(live, scene: str, seconds: float) -> float:
    """Send /scene/go and step until the scene has loaded and its crossfade begun; its start time."""
    live.step()
    live.inject("/scene/go", scene, seconds)
    deadline = time.monotonic() + 20
    while live.director.fade is None and time.monotonic() < deadline:
        live.step()
    assert live.director.fade is not None, "the scene never started"
    return live.director.fade.start


def test_a_crossfade_lands_halfway_at_halfway_and_hands_over_the_stack(live):
    start = go(live, "second.toml", 2.0)
    registry = live.piece.registry
    assert live.pipeline["murals"].names() == ["field", "aurora", "cells"]  # the new layer joins, faded out
    assert registry.value("murals.aurora.opacity") == pytest.approx(0.0, abs=0.05)
    live.director.step(start + 1.0)  # the midpoint of the fade
    assert registry.value("swarm.brightness") == pytest.approx(2.0, abs=1e-6)
    assert registry.value("murals.field.brightness") == pytest.approx(1.0, abs=1e-6)
    assert registry.value("murals.aurora.opacity") == pytest.approx(0.4, abs=1e-6)
    assert registry.value("murals.cells.opacity") == pytest.approx(0.5, abs=1e-6)
    assert registry.value("swarm.palette.core") == pytest.approx((0.5, 0.5, 0.5))
    assert registry.value("swarm.layout") == "ring"  # choices switch at halfway
    assert len(live.pipeline["swarm"].atlas) == 2  # the swarm is already morphing into the new glyphs
    live.director.step(start + 2.5)
    assert live.pipeline["murals"].names() == ["field", "aurora"]  # the old layer is gone at the end
    assert "murals.cells.size" not in registry and registry.value("swarm.brightness") == 3.0
    assert live.step() is not None


def test_a_scene_that_cannot_load_is_refused_and_nothing_changes(live):
    live.inject("/scene/go", "missing.toml", 1.0)
    deadline = time.monotonic() + 20
    while not live.osc.rejections.counts["refused scene"] and time.monotonic() < deadline:
        live.step()
    assert live.osc.rejections.counts["refused scene"] == 1
    assert live.pipeline["murals"].names() == ["field", "cells"]


def test_cues_fire_at_their_time_or_by_name(ctx, tmp_path):
    (tmp_path / "first.toml").write_text(FIRST)
    (tmp_path / "second.toml").write_text(SECOND)
    (tmp_path / "cues.toml").write_text(
        '[[cue]]\nat = 0.0\nglitch = "split"\nintensity = 1.0\nseconds = 5.0\n'
        '[[cue]]\nname = "drop"\nscene = "second.toml"\nfade = 0.5\n'
    )
    cues = read_cues(tmp_path / "cues.toml")
    show = LiveShow(ctx, load_piece(tmp_path / "first.toml"), SMALL, 3, Listening(port=0, query_port=None), cues=cues)
    try:
        show.step()
        show.step()
        assert show.frame.faults["split"] > 0.5
        show.inject("/cue", "drop")
        deadline = time.monotonic() + 20
        while "aurora" not in show.pipeline["murals"].names() and time.monotonic() < deadline:
            show.step()
        assert "aurora" in show.pipeline["murals"].names()
    finally:
        show.close()
    (tmp_path / "bad.toml").write_text('[[cue]]\nat = 3.0\n')
    with pytest.raises(ValueError, match=r"bad.toml: cue\[0\]: needs a 'scene' or a 'glitch'"):
        read_cues(tmp_path / "bad.toml")
    (tmp_path / "soon.toml").write_text('[[cue]]\nat = "soon"\nglitch = "tear"\n')
    with pytest.raises(ValueError, match=r"soon.toml: cue\[0\]: 'at' must be seconds into the show, a number, got 'soon'"):
        read_cues(tmp_path / "soon.toml")


def test_a_crossfade_leaves_the_venues_calibration_alone(live):
    live.inject("/output/corners/top_left", 0.1, 0.9)
    live.inject("/output/blend/left", 0.2)
    start = go(live, "second.toml", 1.0)
    live.inject("/output/corners/bottom_right", 0.95, 0.05)  # calibrating while the scene changes
    live.step()
    live.director.step(start + 2.0)
    registry = live.piece.registry
    assert tuple(registry.value("output.corners.top_left")) == (0.1, 0.9)
    assert tuple(registry.value("output.corners.bottom_right")) == (0.95, 0.05)
    assert registry.value("output.blend.left") == 0.2


def test_a_value_sent_live_during_a_crossfade_stays(live):
    start = go(live, "second.toml", 2.0)
    live.director.step(start + 0.5)
    live.inject("/swarm/brightness", 0.25)
    live.step()
    live.director.step(start + 1.5)
    live.director.step(start + 2.5)
    registry = live.piece.registry
    assert registry.value("swarm.brightness") == 0.25  # the VJ's value, not the scene's 3.0
    assert registry.value("murals.field.brightness") == 1.5  # what nobody touched lands


def test_frames_go_on_while_a_scene_loads_and_a_recording_replays_it_at_the_same_frame(ctx, tmp_path):
    import numpy as np

    from neoterra_glow.direction.session import read_session
    from neoterra_glow.render import render_frames

    (tmp_path / "first.toml").write_text(FIRST)
    (tmp_path / "wall.toml").write_text(SECOND.replace('glyphs = ["Kai", "Nara"]', f"glyphs = {[f'Name {n}' for n in range(12)]}"))
    record = tmp_path / "set.oscrec"
    live = LiveShow(ctx, load_piece(tmp_path / "first.toml"), SMALL, 3, Listening(port=0, query_port=None), record=record)
    shown, waited, after = [], 0, 0
    try:
        for number in range(600):
            if number == 3:
                live.inject("/scene/go", "wall.toml", 0.5)
            if number > 3 and len(live.pipeline["swarm"].atlas) == 1:
                waited += 1
            shown.append(np.frombuffer(live.step().texture.read(), np.uint8).copy())
            after += len(live.pipeline["swarm"].atlas) == 12
            if after == 10:
                break
    finally:
        live.close()
    assert after == 10, "the scene never came"
    assert waited >= 2  # twelve smiles take a while to draw: frames went on meanwhile
    session = read_session(record)
    assert [c.address for f in session.frames for c in f.controls] == ["/scene/go", "/scene/start"]
    replayed = [rgba for _, rgba in render_frames(ctx, load_piece(tmp_path / "first.toml"), SMALL, 30, len(shown),
                                                  session.seed, session)]
    for number, (live_frame, replay_frame) in enumerate(zip(shown, replayed, strict=True)):
        assert np.array_equal(live_frame.reshape(replay_frame.shape[0], -1, 4)[::-1].reshape(-1), replay_frame.reshape(-1)), number


def udp(live, address: str, *args) -> None:
    """One datagram from a stranger's sender, on loopback, as osc-send sends it."""
    from pythonosc.udp_client import SimpleUDPClient

    received = live.osc.received
    SimpleUDPClient("127.0.0.1", live.osc.port).send_message(address, list(args))
    deadline = time.monotonic() + 5
    while live.osc.received <= received and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.parametrize("seconds", [math.nan, math.inf])
def test_a_scene_go_with_a_fade_that_is_not_a_number_is_refused_and_the_show_goes_on(live, seconds):
    udp(live, "/scene/go", "second.toml", seconds)
    for _ in range(5):
        assert live.step() is not None
    assert live.osc.rejections.counts["not a number"] == 1 and not live.director._loading and live.director.fade is None
    start = go(live, "second.toml", 0.5)  # and the next scene change goes, and ends
    live.director.step(start + 0.6)
    assert live.director.fade is None and live.director.checkpointable() is None
    assert live.pipeline["murals"].names() == ["field", "aurora"]


def test_a_crossfade_asked_for_without_the_desk_still_ends(live):
    live.step()
    live.director.waits = True  # as a follower's or a replay's director, which loads it there and then
    live.director.start("second.toml", math.nan)
    assert live.director.fade.seconds == pytest.approx(1e-3)
    live.director.start("first.toml", 1e12)
    assert live.director.fade.seconds == 600.0  # the longest a crossfade is
    assert live.step() is not None


def test_an_error_in_the_directors_step_is_reported_and_the_show_goes_on(live, caplog):
    start = go(live, "second.toml", 2.0)
    live.pipeline["murals"].remove("cells", live.piece.registry)  # a layer the fade fades out, gone under it
    del live.director.fade.params["murals.field.brightness"]  # and the fade's own record broken
    with caplog.at_level("WARNING"):
        for _ in range(3):
            assert live.step() is not None
        live.director.step(start + 1.0)
    assert live.director.fade is None  # it ended rather than failing every frame
    assert live.osc.rejections.counts["scene failed"] >= 1
    assert sum("Traceback" in record.getMessage() for record in caplog.records) == 1  # said once, not once a frame


def test_scene_start_twenty_times_a_second_never_loads_a_preset_on_the_render_thread(live):
    live.step()
    longest, started = 0.0, None
    for number in range(200):
        if number % 3 == 0:  # about twenty a second at the frame rate of a small show
            live.inject("/scene/start", "second.toml", 0.5)
        before = time.perf_counter()
        live.step()
        longest = max(longest, time.perf_counter() - before)
        if number == 0:
            assert live.director.fade is None  # not loaded yet: it loads apart and starts when ready
        if started is None and live.director.fade is not None:
            started = number
        if started is not None and number > started + 10:
            break
    assert started is not None, "the scene never started"
    assert live.pipeline["murals"].names()[:2] == ["field", "aurora"]
    print(f"longest frame during the flood: {longest * 1e3:.0f} ms")
