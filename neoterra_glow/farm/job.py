"""A render farm on Ray: one simulation pass writes a checkpoint at each segment's start, Ray
tasks render the segments in parallel (each in its own headless GL context, on a GPU where the
worker has one), and the parts are joined into one file without encoding again.

The job keeps its work in OUT.farm/ beside the output: job.json (what is rendered, and where
the segments start), segment-K.ckpt, part-K.mp4, part-K.done, and part-K.worker (the host and
process rendering it). Running the same command again after a kill goes on from there:
finished parts stay, checkpoints are not simulated again. A task that fails (or whose worker
dies) is retried from its checkpoint. Workers on other machines must see OUT.farm/ at the same
path (a shared folder).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import numpy as np

from neoterra_glow.direction.session import read_session
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.checkpoint import CheckpointError, read_about
from neoterra_glow.gpu.context import Headless
from neoterra_glow.output.encoders import open_encoder
from neoterra_glow.output.progress import Progress
from neoterra_glow.piece import load_piece
from neoterra_glow.render import RenderResult, Run, clip_rate, frames_and_seed, render_frames

log = logging.getLogger(__name__)

RETRIES = 2  # a task that fails (or whose worker dies) is tried again from its checkpoint


@dataclass(frozen=True)
class Job:
    """What is rendered, all a task needs to render its segment of it."""

    preset: str
    replay: str | None
    out: str
    seed: int
    size: tuple[int, int]
    fps: str  # exact, as text: "30", "30000/1001"
    count: int
    segments: int

    @property
    def folder(self) -> Path:
        return Path(self.out).with_name(Path(self.out).name + ".farm")

    @property
    def video(self) -> bool:
        return Path(self.out).suffix != ""

    def run(self, ctx) -> Run:
        session = read_session(Path(self.replay)) if self.replay else None
        return Run(ctx, load_piece(self.preset), self.size, Fraction(self.fps), self.seed, session)

    def checkpoint(self, number: int) -> Path:
        return self.folder / f"segment-{number}.ckpt"

    def part(self, number: int) -> Path:
        return self.folder / f"part-{number}{Path(self.out).suffix}"

    def done(self, number: int) -> Path:
        return self.folder / f"part-{number}.done"

    def progress(self, number: int) -> Path:
        return self.folder / f"part-{number}.progress"

    def worker(self, number: int) -> Path:
        """The process rendering the segment, for an operator (or a test) to find it."""
        return self.folder / f"part-{number}.worker"


def render_segment(job: Job, number: int, first: int, last: int) -> int:
    """A Ray task: render frames first..last-1 from the segment's checkpoint (the first segment
    from the start), as PNGs into the output folder or a joinable video part."""
    job.worker(number).write_text(f"{socket.gethostname()} {os.getpid()}")
    start = job.checkpoint(number) if number else None
    if start is not None and read_about(start)["frame"] != first:
        raise CheckpointError(f"{start}: a checkpoint of frame {read_about(start)['frame']}, not {first}")
    fps = Fraction(job.fps)
    session = read_session(Path(job.replay)) if job.replay else None
    shown = session.shown(fps) if session and job.video else np.ones(job.count, int)  # clip frames each rendered frame fills
    path = job.part(number) if job.video else Path(job.out)
    encoder = open_encoder(path, job.size, fps, first=int(shown[:first].sum()), joinable=True)
    gpu = Headless()
    written = 0
    try:
        for rendered, (_, rgba) in enumerate(render_frames(gpu.ctx, load_piece(job.preset), job.size, fps, last - first, job.seed,
                                                           session, start=start), first):
            for _ in range(shown[rendered]):
                encoder.write(rgba)
            written += 1
            if written % 10 == 0:
                job.progress(number).write_text(str(written))
        encoder.close()
    except BaseException:
        encoder.discard()
        raise
    finally:
        gpu.release()
    job.progress(number).write_text(str(written))
    job.done(number).write_text(str(written))
    return written


def render_on_farm(
    preset_name: str | Path,
    out: Path,
    *,
    seconds: float | None,
    fps: int | Fraction | None,
    size: tuple[int, int],
    seed: int | None = None,
    replay: Path | None = None,
    address: str | None = None,
    segments: int = 4,
    progress: bool = True,
) -> RenderResult:
    """Render like render_clip, in `segments` parts on Ray (`address`: a running cluster's,
    "auto" for the one on this machine; None starts a local one on this machine's cores)."""
    if segments < 1:
        raise UserError(f"--segments must be at least 1, got {segments}")
    session = read_session(replay) if replay else None
    if session is not None and session.sound() is not None:
        raise UserError(f"{replay}: a session with live sound is rendered on one machine (render without --farm)")
    piece = load_piece(preset_name)
    fps = clip_rate(fps, session if out.suffix else None)
    count, seed = frames_and_seed(piece, session, None, seconds, fps, seed)
    segments = min(segments, count)
    job = Job(str(piece.preset.path.resolve()), str(replay.resolve()) if replay else None, str(out.resolve()), seed,
              cast("tuple[int, int]", tuple(size)), str(fps), count, segments)
    starts = _resume(job)
    ray = _connect(address)
    task = ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=True)(render_segment)
    bar = Progress(count, f"rendering {piece.preset.title} in {segments} segments") if progress else None
    pending, simulation = {}, Simulation(job, starts)
    try:
        for number in range(segments):  # each segment is sent once the next one's start is checkpointed
            if number + 1 < segments:
                simulation.to(number + 1)
            if not job.done(number).is_file():
                pending[task.remote(job, number, starts[number], starts[number + 1])] = number
                log.info("segment %d (frames %d to %d) sent", number, starts[number], starts[number + 1] - 1)
        simulation.close()
        while pending:
            ready, _ = ray.wait(list(pending), timeout=0.5)
            for reference in ready:
                ray.get(reference)  # a task that failed past its retries: its error
                del pending[reference]
            if bar:
                bar.update(sum(_read_count(job.progress(n)) for n in range(segments)))
    except KeyboardInterrupt:
        for reference in pending:
            ray.cancel(reference, force=True)
        raise
    finally:
        simulation.close()
        if bar:
            bar.close()
    if job.video:
        from neoterra_glow.farm.join import join_parts

        join_parts([job.part(n) for n in range(segments)], out, fps)
    shutil.rmtree(job.folder)
    return RenderResult(out, int(session.shown(fps).sum()) if session and job.video else count, False)


def _resume(job: Job) -> list[int]:
    """Where the segments start (and the end): from the job's folder when it is this job's (a
    killed render goes on), else planned anew, evenly."""
    manifest = job.folder / "job.json"
    if manifest.is_file():
        saved = json.loads(manifest.read_text())
        if saved.get("job") == json.loads(json.dumps(asdict(job))):
            log.warning("going on with the render in %s", job.folder)
            return saved["starts"]
        shutil.rmtree(job.folder)
    job.folder.mkdir(parents=True, exist_ok=True)
    starts = [round(n * job.count / job.segments) for n in range(job.segments + 1)]
    manifest.write_text(json.dumps({"job": asdict(job), "starts": starts}))
    return starts


class Simulation:
    """The driver's pass through the piece to each segment's first frame, writing a checkpoint
    there (from the latest checkpoint there is, when a killed job goes on). Frames are rendered,
    as their state is the light's, the murals' and the guard's, but never read back or encoded."""

    def __init__(self, job: Job, starts: list[int]) -> None:
        self.job, self.starts = job, starts
        self.gpu: Headless | None = None
        self.run: Run | None = None

    def to(self, number: int) -> int:
        """Checkpoint segment `number`'s first frame; returns that frame, moved on past a scene
        change under way (a checkpoint is taken between them)."""
        job, path = self.job, self.job.checkpoint(number)
        if path.is_file():
            return self.starts[number]
        if self.run is None:
            self.gpu = Headless()
            self.run = job.run(self.gpu.ctx)
            earlier = [n for n in range(number - 1, 0, -1) if job.checkpoint(n).is_file()]
            if earlier:
                self.run.restore(job.checkpoint(earlier[0]))
        while self.run.next_index < self.starts[number] or (
                self.run.busy() and self.run.next_index < self.starts[number + 1] - 1):
            self.run.step()
        self.starts[number] = self.run.next_index
        self.run.save(path)
        (job.folder / "job.json").write_text(json.dumps({"job": asdict(job), "starts": self.starts}))
        return self.starts[number]

    def close(self) -> None:
        if self.run is not None:
            self.run.release()
            assert self.gpu is not None  # opened with the run
            self.gpu.release()
            self.run = None


def _read_count(path: Path) -> int:
    try:
        return int(path.read_text() or 0)
    except (OSError, ValueError):
        return 0


def _connect(address: str | None):
    """Ray, started here or joined at `address`; a cluster that does not answer is said at once."""
    try:
        import ray
    except ImportError:
        raise UserError("--farm ray needs Ray: pip install 'neoterra-glow[farm]'") from None
    if address not in (None, "auto"):
        host, _, port = address.rpartition(":")
        try:
            socket.create_connection((host or "127.0.0.1", int(port)), timeout=5).close()
        except (OSError, ValueError) as error:
            raise UserError(f"the Ray cluster at {address} does not answer ({error}); start it with 'ray start --head'") from None
    started = time.perf_counter()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    log.info("Ray: %s CPUs, %s GPUs (%.1f s to connect)", ray.cluster_resources().get("CPU", 0),
             ray.cluster_resources().get("GPU", 0), time.perf_counter() - started)
    return ray
