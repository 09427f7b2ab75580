"""The frame graph: a stage is its module and one line of the graph, and the graph is checked."""

from pathlib import Path

import numpy as np
import pytest

from neoterra_glow.cli import main
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Fullscreen, Target
from neoterra_glow.output.flash_guard import FlashGuard
from neoterra_glow.pipeline import GRAPH, Pipeline, check_graph, step
from neoterra_glow.post.bloom import Bloom
from tests.conftest import SMALL, frame_at


class Invert:
    """A stage as a newcomer would write one: the image turned to its negative."""

    name = "invert"
    inputs = ("image",)
    params = ()

    def __init__(self, build: Build) -> None:
        self.ctx = build.ctx
        self._draw = Fullscreen(build.ctx, build.library.program("common/fullscreen.vert", str(Path(__file__).with_name("invert.frag"))))
        self.output = Target(build.ctx, build.size, "f1")

    def resize(self, size):
        self.output.release()
        self.output = Target(self.ctx, size, "f1")

    def run(self, frame, inputs):
        self._draw.draw(self.output, textures={"u_image": inputs["image"].texture})
        return self.output

    def release(self):
        self.output.release()
        self._draw.release()


def image(target) -> np.ndarray:
    return np.frombuffer(target.texture.read(), np.uint8).reshape(*target.size[::-1], 4)[..., :3].astype(int)


def test_a_new_stage_is_one_line_of_the_graph(ctx, library, registry):
    graph = (*GRAPH[:8], step(Invert, "inverted", image="output"))  # after the flash guard
    pipeline = Pipeline(ctx, library, SMALL, graph=graph)
    try:
        shown = pipeline.render(frame_at(registry, 30))
        assert image(shown).tolist() == (255 - image(pipeline.products["output"])).tolist()
        assert "invert" in pipeline.times.ms  # timed like every stage
        pipeline.resize((128, 72))
        assert pipeline.render(frame_at(registry, 31)).size == (128, 72)
    finally:
        pipeline.release()


def test_the_graph_binds_every_input_to_a_product_made_before_it():
    check_graph(GRAPH)
    with pytest.raises(ValueError, match="bloom reads glitched, which no stage before it makes"):
        check_graph((step(Bloom, "glow", image="glitched"),))
    with pytest.raises(ValueError, match="guard reads image, but the graph binds picture"):
        check_graph((*GRAPH[:7], step(FlashGuard, "output", picture="image")))
    with pytest.raises(ValueError, match="glow is named twice"):
        check_graph((*GRAPH[:7], step(FlashGuard, "glow", image="image")))


def test_the_graph_command_prints_every_stage_and_the_presets_layers(capsys):
    assert main(["graph", "festival"]) == 0
    printed = capsys.readouterr().out
    for entry in GRAPH:
        assert f" {entry.stage.name} " in printed and entry.makes in printed
    assert "layer aurora: murals/aurora.fs" in printed
