"""Broadcast frame rates: 29.97, 59.94 and 23.976 are their exact 1001 forms, a clip's stream
says so, and frame N is at N / fps exactly, however long the render."""

from fractions import Fraction

import av
import pytest

from neoterra_glow.cli import build_parser
from neoterra_glow.core.clock import FixedClock
from neoterra_glow.output.rate import frame_rate
from neoterra_glow.render import render_clip

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize("text, exact", [("29.97", NTSC), ("30000/1001", NTSC), ("59.94", Fraction(60000, 1001)),
                                         ("23.976", Fraction(24000, 1001)), ("24", Fraction(24)), ("12.5", Fraction(25, 2))])
def test_broadcast_rates_are_their_exact_1001_forms(text, exact):
    assert frame_rate(text) == exact
    assert build_parser().parse_args(["render", "default", "-o", "x.mp4", "--fps", text]).fps == exact
    assert build_parser().parse_args(["show", "--headless", "--fps", text]).fps == exact  # what its session records


@pytest.mark.parametrize("text", ["0", "-25", "abc", "1001", "nan", "30/0"])
def test_a_bad_rate_is_one_clear_line(text, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["render", "default", "-o", "x.mp4", "--fps", text])
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert said.endswith(f"argument --fps: {text!r} is not a frame rate: frames per second, more than 0 and at most 1000, "
                         "such as 30, 29.97 or 30000/1001")


def test_an_ntsc_clock_does_not_drift_over_a_day():
    clock = FixedClock(NTSC)
    clock.index = 24 * 3600 * 30 - 1  # a day of frames on
    index, time, dt = clock.tick()
    assert time == float(Fraction(index * 1001, 30000)) == 86486.4  # a day's frames last 86.4 s longer than at 30
    assert dt == float(Fraction(1001, 30000))


def test_a_clip_at_2997_says_30000_1001_and_each_frame_is_at_its_exact_time(ctx, tmp_path):
    result = render_clip("default", tmp_path / "ntsc.mp4", seconds=0.2, fps="29.97", size=(64, 36), progress=False, ctx=ctx)
    with av.open(str(result.path)) as clip:
        stream = clip.streams.video[0]
        assert stream.average_rate == NTSC and stream.guessed_rate == NTSC
        times = sorted(frame.pts * stream.time_base for frame in clip.decode(stream))
    # round(0.2 * 29.97) frames, 1001/30000 s apart (after the start H.264's B-frames delay every clip by)
    assert [time - times[0] for time in times] == [Fraction(k * 1001, 30000) for k in range(6)]
