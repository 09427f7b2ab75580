"""One frame loop: a live show, a render, a farm segment and a wall follower all step the same
Run; they differ only in their source (what a frame applies, hears and sees, and where it goes)."""

import ast
from pathlib import Path

import numpy as np

from neoterra_glow.direction.session import read_session
from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from tests.conftest import SMALL, pixels
from tests.live.test_live import PRESET

PACKAGE = Path(__file__).resolve().parents[1] / "neoterra_glow"
FRAME_STEPS = ("director.step", "desk.apply", "AudioLevels.publish", "beat.hear", "SmileLevels.publish", "piece.frame",
               "beat.publish", "pipeline.render")  # what a frame boundary and a frame do, in order


def test_a_frames_steps_are_written_once_in_the_runs_step():
    """Each step of a frame is called in one place in the package: Run.step, which every way of running steps."""
    callers = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and (name := ast.unparse(node.func)).endswith(FRAME_STEPS):
                    step = next(step for step in FRAME_STEPS if name.endswith(step))
                    callers.setdefault(step, set()).add(f"{path.relative_to(PACKAGE)}:{function.name}")
    assert callers == {step: {"render.py:step"} for step in FRAME_STEPS}


def recording_show(ctx, tmp_path) -> tuple[LiveShow, Path]:
    """A headless live show of a light preset recording its session, and where the session goes."""
    preset = tmp_path / "live.toml"
    preset.write_text(PRESET)
    record = tmp_path / "set.oscrec"
    return LiveShow(ctx, load_piece(preset), SMALL, 4, Listening(port=0, query_port=None), record=record), record


def test_stepping_a_live_shows_run_takes_the_shows_controls_records_and_renders_its_frame(ctx, tmp_path):
    live, record = recording_show(ctx, tmp_path)
    try:
        assert isinstance(live.run, Run) and live.run.source is live
        live.piece.registry.set("emotion.attack", 0.0)  # the desk's word lands at once
        live.inject("/emotion/joy", 1.0)
        frame, image = live.run.step()  # the run's step alone: the show is its source
        assert frame is live.frame and image is live.output
        assert frame.params["emotion.joy"] == 1.0
        assert pixels(image, 3).max() > 0
        live.step()
        assert live.frame.index == 1
    finally:
        live.close()
    frames = read_session(record).frames
    assert [[c.address for c in f.controls] for f in frames] == [["/emotion/joy"], []]


def test_a_frozen_live_show_holds_its_frame_and_records_nothing_while_the_clock_goes_on(ctx, tmp_path):
    live, record = recording_show(ctx, tmp_path)
    try:
        held = np.array(pixels(live.step(), 3))
        live.inject("/output/freeze", 1)
        assert live.run.step() is None  # held: no frame
        assert np.array_equal(pixels(live.step(), 3), held) and live.frame.index == 0
        assert live.clock.index == 2  # the wall clock went on
    finally:
        live.close()
    assert len(read_session(record).frames) == 1
