"""A VJ's set, end to end, as issue 23 asks it to be done: a live show recorded headless at
59.94 fps (`show --record-session`), a video file playing under an ISF filter, replayed with a
stereo track to a ProRes (or DXV) file for a media server. The file runs at 60000/1001 exactly,
lasts as long as the set, carries both channels, and shows the filtered video at its times,
slowed where the VJ slowed it over OSC mid-set."""

import json
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.direction.session import read_session
from tests.murals.test_video import COLOURS, INVERT, encode_clip
from tests.output.test_soundtrack import LEFT, RATE, RIGHT, stereo_track

ROOT = Path(__file__).resolve().parents[2]
SIZE = "64x36"
CLIP_FPS = 2  # a picture every half second: a 2.5 s loop of five colours
SLOWED_AT, SLOW = 1.3, 0.5  # seconds into the set (at the least) the VJ sends /murals/clip/speed 0.5
SLOWED_FOR = 2.3  # and the set runs on this long after, so the slowed clip shows all five pictures (2.45 s of the clip)
LANDS_WITHIN = 1.0  # seconds of the set by which the message lands after it was sent: the next frame on an idle machine,
                    # later where other work starves the show (seen: 0.9 s with four renders beside the tests)
PRESET = """title = "A VJ's set"
seed = 3
glyphs = []

[swarm]
count = 10000
brightness = 0.0
dust = 0.0
glints = 0

[murals]
hush = 0.0
ceiling = 4.0
exposure = 0.0
depth = 0.0

[[layers]]
video = "clip.mp4"
name = "clip"
opacity = 0.0

[[layers]]
shader = "invert.fs"

[murals.invert]
input_image = "clip"
"""


def wait_for_set(show, record: Path, seconds: float) -> None:
    """Until the show's recorded steps add up to `seconds` of its set (a loaded machine may step less
    than the wall clock moves, and the clip plays by the steps); poll, with a deadline."""
    deadline = time.monotonic() + 180
    while show.poll() is None and time.monotonic() < deadline and not (record.exists() and recorded_steps(record) >= seconds):
        time.sleep(0.05)
    assert show.poll() is None and time.monotonic() < deadline, show.stderr.read() if show.poll() is not None else "too slow"


def recorded_steps(path: Path) -> float:
    """The sum of the steps of the whole frame lines the show has written so far."""
    steps = 0.0
    for line in path.read_text().splitlines()[1:]:
        try:
            steps += json.loads(line)["dt"]
        except (ValueError, KeyError):
            pass
    return steps


@pytest.fixture(scope="module")
def vj_set(tmp_path_factory):
    """The set as a VJ plays it: a headless show at 59.94 fps, the clip slowed over OSC mid-set, recorded to its end;
    with the set's time, as recorded when the message was sent."""
    folder = tmp_path_factory.mktemp("set")
    encode_clip(folder / "clip.mp4", fps=CLIP_FPS)
    (folder / "invert.fs").write_text(INVERT)
    (folder / "set.toml").write_text(PRESET)
    record = folder / "set.oscrec"
    show = subprocess.Popen([sys.executable, "-m", "neoterra_glow", "show", str(folder / "set.toml"), "--headless", "--fps", "59.94",
                             "--size", SIZE, "--osc-port", "0", "--no-oscquery", "--record-session", str(record)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = show.stdout.readline()  # "...: listening for OSC on udp://127.0.0.1:PORT"
        assert "listening for OSC on udp://" in said, show.stderr.read()
        wait_for_set(show, record, SLOWED_AT)
        sent_at = recorded_steps(record)
        SimpleUDPClient("127.0.0.1", int(said.strip().rsplit(":", 1)[1])).send_message("/murals/clip/speed", SLOW)
        wait_for_set(show, record, sent_at + LANDS_WITHIN + SLOWED_FOR)
        show.send_signal(signal.SIGTERM)  # as a service manager ends it
        _, errors = show.communicate(timeout=60)
    finally:
        show.kill()
    assert show.returncode == 0, errors
    return folder, record, sent_at


def replay(folder: Path, record: Path, out: Path, *codec: str) -> None:
    track = stereo_track(folder / "stereo.wav", seconds=SLOWED_AT + LANDS_WITHIN + SLOWED_FOR + 2.0)  # longer than any set
    result = subprocess.run([sys.executable, "-m", "neoterra_glow", "render", str(folder / "set.toml"), "--replay", str(record),
                             "--audio", str(track), "-o", str(out), "--size", SIZE, *codec],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def expected_pattern(position: float) -> tuple[int, ...]:
    """Which channels are lit where the clip's picture at `position` is inverted: red shows as cyan, and so on."""
    colour = COLOURS[int(position * CLIP_FPS) % len(COLOURS)]
    return tuple(int(255 - c > 128) for c in colour)


@pytest.mark.parametrize("codec", [(), ("--codec", "dxv")], ids=["prores", "dxv"])
def test_a_vjs_set_replays_at_5994_with_stereo_and_the_filtered_video_at_its_times(vj_set, tmp_path, codec):
    folder, record, sent_at = vj_set
    session = read_session(record)
    assert session.fps == Fraction(60000, 1001)  # the rate the show aimed at, kept in its set
    out = tmp_path / "set.mov"
    replay(folder, record, out, *codec)
    rate = Fraction(60000, 1001)
    with av.open(str(out)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert video.codec_context.name == ("dxv" if codec else "prores")
        assert video.average_rate == rate
        packets = sorted(packet.pts for packet in container.demux(video) if packet.pts is not None)
        container.seek(0)
        pictures = [frame.to_ndarray(format="rgba") for frame in container.decode(video)]
        time_base, video_seconds = video.time_base, float(video.duration * video.time_base)  # PyAV 18.1.1: not after the with
        channels, sample_rate, audio_seconds = audio.codec_context.channels, audio.rate, float(audio.duration * audio.time_base)
        container.seek(0)
        sound = np.concatenate([frame.to_ndarray() for frame in container.decode(audio)], axis=1).reshape(-1, channels).T / 32768
    # exact in the time base: every frame lasts 1001/60000 s, none drifts
    spacing = {Fraction(b - a) * time_base for a, b in zip(packets, packets[1:], strict=False)}
    assert spacing == {1 / rate}
    # the right speed: as long as the set was, whatever rate the show managed
    last = session.frames[-1]
    set_seconds = last.time + last.dt
    assert len(pictures) == round(set_seconds * rate) and video_seconds == pytest.approx(set_seconds, abs=1 / 59.94)
    # the stereo track, both ears, as long as the picture
    assert (channels, sample_rate) == (2, RATE) and audio_seconds == pytest.approx(video_seconds, abs=0.05)
    spectrum = np.abs(np.fft.rfft(sound[:, : RATE // 2], axis=1))
    assert list(np.argmax(spectrum, axis=1) * 2) == [LEFT, RIGHT]  # half a second: bins of 2 Hz
    # the filtered video at its times: each clip frame shows the recorded frame shown then, whose
    # picture is the clip's at the sum of the steps before it (the video plays at the show's pace,
    # at half speed from the frame whose boundary applied the VJ's message)
    slowed = [k for k, frame in enumerate(session.frames) if frame.controls]
    assert len(slowed) == 1 and session.frames[slowed[0]].controls[0].args == (SLOW,)
    assert sent_at <= session.frames[slowed[0]].time <= sent_at + LANDS_WITHIN
    steps = [frame.dt * (SLOW if k >= slowed[0] else 1.0) for k, frame in enumerate(session.frames)]
    which = np.repeat(np.arange(len(session.frames)), session.shown(rate))
    positions = np.concatenate([[0.0], np.cumsum(steps)])[which]
    clear = np.abs(positions * CLIP_FPS - np.round(positions * CLIP_FPS)) > 0.1  # not within 50 ms of a change of picture
    seen = [tuple(int(c > 128) for c in picture[18, 32, :3]) for picture in pictures]
    expected = [expected_pattern(position) for position in positions]
    wrong = [k for k in range(len(pictures)) if clear[k] and seen[k] != expected[k]]
    assert clear.sum() > 0.6 * len(pictures) and not wrong, f"clip frames {wrong[:10]} show another picture"
    assert len({expected[k] for k in range(len(pictures)) if clear[k]}) == len(COLOURS)  # every picture of the loop was seen
    flat = [picture[..., :3].reshape(-1, 3).std(0).max() for picture in pictures]
    assert max(flat) < 8  # the whole frame is the video, not a spot of it
