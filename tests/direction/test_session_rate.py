"""A recorded set replays at its own speed: a show that aimed at 60 fps and managed 44 is
rendered with each frame at the time it was shown, so the clip lasts as long as the set did,
at whatever rate the clip is rendered."""

import logging

import av
import numpy as np
import pytest

from neoterra_glow.control.message import Control
from neoterra_glow.direction.session import SessionRecorder, read_session
from neoterra_glow.render import render_clip
from tests.live.test_live import PRESET

SIZE = (64, 36)
MANAGED = 44  # frames a second the show managed (it aimed at 60)
FRAMES = 27  # 0.614 s of the set
DARK_AT = 13  # the frame (0.295 s) whose boundary turns the exposure right down


def record_set(tmp_path, fps=60, dark=True):
    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    path = tmp_path / ("set.oscrec" if dark else "plain.oscrec")
    recorder = SessionRecorder(path, preset, 5, SIZE, fps=fps)
    for index in range(FRAMES):
        controls = [Control("/post/tonemap/exposure", (-8.0,))] if index == DARK_AT and dark else []
        recorder.record(index, index / MANAGED, 1 / MANAGED if index else 0.0, controls)
    recorder.close()
    return preset, path


def clip(path):
    """The clip's rate, its length in seconds, and each frame's mean light."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        light = [frame.to_ndarray(format="gray").mean() for frame in container.decode(stream)]
        return stream.average_rate, float(stream.duration * stream.time_base), light


def test_a_set_replays_as_long_as_it_lasted_with_its_events_at_their_times(ctx, tmp_path):
    preset, path = record_set(tmp_path)
    assert read_session(path).fps == 60
    result = render_clip(preset, tmp_path / "set.mp4", seconds=None, fps=25, size=SIZE, progress=False, ctx=ctx, replay=path)
    rate, seconds, light = clip(result.path)
    assert rate == 25 and len(light) == result.frames == round(FRAMES / MANAGED * 25)  # 15 frames, not the 27 recorded
    assert seconds == pytest.approx(FRAMES / MANAGED, abs=1 / 25)
    # the exposure falls at 0.295 s (it eases down over a few frames): the clip's frame 8, at 0.32 s, is the first after it;
    # measured against the same set without it, as the picture changes by itself (the murals hush as the face forms)
    _, plain = record_set(tmp_path, dark=False)
    unlit = clip(render_clip(preset, tmp_path / "plain.mp4", seconds=None, fps=25, size=SIZE, progress=False, ctx=ctx,
                             replay=plain).path)[2]
    dimmed = [k for k, (value, usual) in enumerate(zip(light, unlit, strict=False)) if value < 0.8 * usual]
    assert dimmed == list(range(8, 15)) and light[-1] < 0.1 * unlit[-1]


def test_a_replay_without_fps_renders_at_the_rate_the_show_aimed_at(ctx, tmp_path):
    preset, path = record_set(tmp_path, fps="59.94")
    assert read_session(path).fps.denominator == 1001
    result = render_clip(preset, tmp_path / "set.mp4", seconds=None, size=SIZE, progress=False, ctx=ctx, replay=path)
    rate, seconds, light = clip(result.path)
    assert rate.numerator == 60000 and rate.denominator == 1001
    assert len(light) == round(FRAMES / MANAGED * 60000 / 1001) == 37
    assert seconds == pytest.approx(FRAMES / MANAGED, abs=1 / 59.94)


def test_an_older_set_without_its_rate_replays_at_30_fps_and_says_so(ctx, tmp_path, caplog):
    preset, path = record_set(tmp_path, fps=None)
    assert '"fps"' not in path.read_text().splitlines()[0]
    with caplog.at_level(logging.WARNING):
        result = render_clip(preset, tmp_path / "set.mp4", seconds=None, size=SIZE, progress=False, ctx=ctx, replay=path)
    said = [r.getMessage() for r in caplog.records if "does not say the rate" in r.getMessage()]
    assert len(said) == 1 and "rendered at 30 fps" in said[0]
    rate, seconds, light = clip(result.path)
    assert rate == 30 and len(light) == round(FRAMES / MANAGED * 30)


def test_each_recorded_frame_fills_the_clip_frames_that_fall_in_its_time(tmp_path):
    _, path = record_set(tmp_path)
    session = read_session(path)
    from fractions import Fraction

    shown = session.shown(Fraction(88))  # twice the rate the show managed: each frame twice
    assert np.array_equal(shown, np.full(FRAMES, 2))
    assert session.shown(Fraction(22)).sum() == round(FRAMES / 2) and session.shown(Fraction(22)).max() == 1


def test_a_replay_to_png_frames_keeps_each_recorded_frame_once_by_number(ctx, tmp_path):
    """PNG frames keep no time: they are the set's frames, numbered as a wall's followers keep theirs."""
    preset, path = record_set(tmp_path)
    result = render_clip(preset, tmp_path / "frames", seconds=None, fps=25, size=SIZE, progress=False, ctx=ctx, replay=path)
    assert result.frames == FRAMES and sorted(p.name for p in (tmp_path / "frames").glob("*.png"))[-1] == "frame_000026.png"
