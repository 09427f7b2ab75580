"""A render farm on a local Ray cluster (this machine's two cores): a replayed set rendered in
segments is byte for byte the single render as PNGs, and one playable file as video; a worker
killed mid-segment is retried, a killed job goes on, and a cluster that is not there is said."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from neoterra_glow.render import render_clip
from tests.farm.sessions import FPS, record_set

ray = pytest.importorskip("ray", reason="Ray is the [farm] extra; scripts/test.sh installs it")
from neoterra_glow.farm.job import render_on_farm  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FRAMES = 40


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    folder = tmp_path_factory.mktemp("farm")
    played = record_set(folder / "set.oscrec", FRAMES)
    for out in ("single", "single.mp4"):
        render_clip("default", folder / out, seconds=None, fps=FPS, size=(256, 144), replay=played, progress=False)
    yield played, folder / "single"
    if ray.is_initialized():
        ray.shutdown()


def pngs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.png"))}


def farm(played, out, segments=3):
    return render_on_farm("default", out, seconds=None, fps=FPS, size=(256, 144), replay=played, segments=segments,
                          progress=False)


def test_a_farm_render_in_segments_is_the_single_render_byte_for_byte_though_a_worker_dies(played, tmp_path):
    session, single = played
    out = tmp_path / "frames"
    killed = []

    def kill_segment_one() -> None:  # as a machine of the farm would die, mid-segment
        worker = out.with_name("frames.farm") / "part-1.worker"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(worker.read_text().split() if worker.is_file() else ()) < 2:
            time.sleep(0.02)
        if worker.is_file():  # written as the task starts: it has its context and checkpoint to load yet
            pid = int(worker.read_text().split()[1])
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=kill_segment_one)
    killer.start()
    result = farm(session, out)
    killer.join()
    assert killed, "segment 1's worker was never seen"
    assert result.frames == FRAMES
    assert pngs(out) == pngs(single)  # retried from its checkpoint: the same bytes
    assert not out.with_name("frames.farm").exists()  # the job's work is cleared once the file is whole


def decode(clip: Path) -> tuple[list[int], list[np.ndarray]]:
    """Each frame's time, in frames, and its picture."""
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return ([round(frame.pts * stream.time_base * FPS) for frame in frames],
                [frame.to_ndarray(format="rgb24").astype(int) for frame in frames])


def test_a_farm_video_plays_through_every_segment_boundary(played, tmp_path):
    session, single = played
    times, pictures = decode(farm(session, tmp_path / "clip.mp4", segments=4).path)
    assert times == list(range(FRAMES))  # no gap, no frame twice
    rendered = [np.asarray(Image.open(single / f"frame_{n:06d}.png").convert("RGB")).astype(int) for n in range(FRAMES)]
    judged = 0
    for number, picture in enumerate(pictures):  # each frame is its own, and not its neighbour's,
        for other in (number - 1, number + 1):  # judged where the two really differ (H.264's noise outweighs a dark frame's change)
            if not 0 <= other < FRAMES:
                continue
            moved = np.abs(rendered[number] - rendered[other]).sum(axis=2) > 60
            if moved.sum() < 40:
                continue
            judged += 1
            own, neighbour = (np.abs(picture - rendered[n])[moved].mean() for n in (number, other))
            assert own < neighbour, (number, other, own, neighbour)
    assert judged >= 10, judged  # enough frames differ from a neighbour to judge by


def test_a_killed_farm_render_goes_on_where_it_stopped(played, tmp_path):
    session, single = played
    command = [sys.executable, "-m", "neoterra_glow", "render", "default", "-o", "frames", "--fps", str(FPS), "--size", "256x144",
               "--replay", str(session), "--farm", "ray", "--segments", "3"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(command, cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    done = tmp_path / "frames.farm" / "part-0.done"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not done.is_file() and first.poll() is None:
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)  # the whole job, Ray and all
    first.wait()
    assert done.is_file(), first.stderr.read()
    kept = (tmp_path / "frames" / "frame_000000.png").stat().st_mtime_ns
    second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "going on with the render in" in second.stderr
    assert (tmp_path / "frames" / "frame_000000.png").stat().st_mtime_ns == kept  # segment 0 was not rendered again
    assert pngs(tmp_path / "frames") == pngs(single)


def test_a_ray_cluster_that_does_not_answer_is_said_at_once(tmp_path):
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "neoterra_glow", "render", "default", "-o", "x.mp4", "--seconds", "1",
                             "--farm", "ray:127.0.0.1:9"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0
    assert "the Ray cluster at 127.0.0.1:9 does not answer" in result.stderr
    assert time.monotonic() - started < 30
