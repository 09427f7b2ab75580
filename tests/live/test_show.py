"""The live show as a venue runs it: reloads, failures, long runs, and a real window's keys."""

import gc
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import moderngl
import numpy as np
import pytest

from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from neoterra_glow.resources import data_dir
from tests.conftest import SMALL
from tests.live.window_show import WindowShow, light

ROOT = Path(__file__).resolve().parents[2]
PRESET = '[swarm]\ncount = 20000\n[murals.field]\nbrightness = 1.0\n'


def pixels(output) -> np.ndarray:
    return np.frombuffer(output.texture.read(), np.uint8).reshape(SMALL[1], SMALL[0], 4)[..., :3].astype(float)


def step_until(live, done, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        live.step()
        if done():
            return True
    return False


@pytest.fixture
def reloading(ctx, tmp_path):
    shaders = tmp_path / "shaders"
    shutil.copytree(data_dir("shaders"), shaders)
    preset = tmp_path / "show.toml"
    preset.write_text(PRESET)
    live = LiveShow(ctx, load_piece(preset), SMALL, 2, Listening(port=0, query_port=None), reload=True, shaders=shaders)
    live.step()
    time.sleep(0.3)  # the watcher is watching
    yield live, shaders / "murals" / "field.fs", preset
    live.close()


def test_a_broken_shader_keeps_the_last_good_one_running_and_a_fix_lands_within_a_second(reloading):
    live, field, _ = reloading
    good = field.read_text()
    before = pixels(live.step())
    field.write_text(good.replace("gl_FragColor = vec4(light, 1.0);", "gl_FragColor = vec4(light, oops);"))
    assert step_until(live, lambda: "field.fs" in " ".join(live.hud_lines(60.0, 16.0)), 3.0)
    assert re.search(r"error: .*field\.fs:\d+: .*oops", " ".join(live.hud_lines(60.0, 16.0)))
    still = pixels(live.step())
    assert still.mean() > 0.5 * before.mean()  # the last good field is still on the wall
    program = live.library.program("common/fullscreen.vert", "murals/field.fs")
    generation = program.generation
    field.write_text(good.replace("gl_FragColor = vec4(light, 1.0);", "gl_FragColor = vec4(light * vec3(1.0, 0.0, 0.0), 1.0);"))
    started = time.monotonic()
    assert step_until(live, lambda: program.generation > generation, 3.0)
    assert time.monotonic() - started < 1.5 and program.error is None
    fixed = pixels(live.step())
    redness = lambda image: image[..., 0].mean() / image[..., 1].mean()  # noqa: E731
    assert redness(fixed) > 1.5 * redness(still)  # the red-only field is on the wall now
    assert "field.fs" not in " ".join(live.hud_lines(60.0, 16.0))  # and its error is off the HUD


def test_a_changed_preset_glides_in_within_a_second_or_two(reloading):
    live, _, preset = reloading
    preset.write_text(PRESET.replace("brightness = 1.0", "brightness = 4.0"))
    assert step_until(live, lambda: live.piece.registry.value("murals.field.brightness") == 4.0, 5.0)


def test_a_preset_saved_by_renaming_over_it_is_reloaded_every_time(reloading):
    live, _, preset = reloading
    for brightness in (2.0, 3.0, 0.5):  # as editors and sed -i save: a new file renamed over the old
        fresh = preset.with_name("show.toml.new")
        fresh.write_text(PRESET.replace("brightness = 1.0", f"brightness = {brightness}"))
        os.replace(fresh, preset)
        assert step_until(live, lambda brightness=brightness: live.piece.registry.value("murals.field.brightness") == brightness,
                          5.0), brightness


def test_a_failing_layer_is_left_out_and_the_show_goes_on(ctx, tmp_path):
    (tmp_path / "zero.fs").write_text(
        '/*{"ISFVSN": "2", "INPUTS": [{"NAME": "zero", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0}],'
        ' "PASSES": [{"TARGET": "part", "WIDTH": "$WIDTH / $zero"}, {}]}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n'
    )
    (tmp_path / "show.toml").write_text(PRESET)
    live = LiveShow(ctx, load_piece(tmp_path / "show.toml"), SMALL, 2, Listening(port=0, query_port=None))
    try:
        for _ in range(4):  # past the first frames, in which the murals hush round the forming face
            calm = pixels(live.step())
        live.inject("/murals/add", str(tmp_path / "zero.fs"))
        for _ in range(3):
            shown = pixels(live.step())
        assert live.pipeline["murals"].names() == ["field", "zero"]
        assert live.pipeline["murals"].failures.counts["zero"] == 3
        # the rest of the frame is there: neither the failing layer's white nor black, though the piece moves on between frames
        assert abs(shown.mean() - calm.mean()) < 0.5 * calm.mean()
    finally:
        live.close()


GL_KINDS = (moderngl.Buffer, moderngl.Texture, moderngl.Framebuffer, moderngl.VertexArray, moderngl.Program,
            moderngl.ComputeShader)


def gpu_objects() -> int:
    """OpenGL objects alive in this process: moderngl wrappers not yet released."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, GL_KINDS) and type(o.mglo).__name__ != "InvalidObject")


def test_a_long_run_keeps_memory_and_gpu_objects_flat(ctx, tmp_path):
    (tmp_path / "show.toml").write_text(PRESET + '\n[glitch]\nrate = 240.0\nstrength = 1.0\n')
    live = LiveShow(ctx, load_piece(tmp_path / "show.toml"), (96, 54), 5, Listening(port=0, query_port=None))

    def run(frames: int) -> None:
        for n in range(frames):
            if n % 100 == 0:
                live.inject("/murals/add", "ribbons", "r")
                live.inject("/swarm/count", 30000 if n % 200 else 20000)
            if n % 100 == 50:
                live.inject("/murals/remove", "r")
            live.step()

    try:
        live.inject("/glitch/{sort,smear,split,blocks}", 0.5)  # every screen fault once: their targets exist
        run(100)
        live.inject("/glitch/{sort,smear,split,blocks}", 0.0)
        run(100)
        objects, memory = gpu_objects(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        run(400)  # four rounds of a mural added and removed and the swarm resized, under a fault every quarter second
        assert gpu_objects() == objects
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory) / 1024
        assert grown_mb < 30, f"memory grew by {grown_mb:.0f} MB"
    finally:
        live.close()


def test_a_window_on_the_chosen_monitor_answers_the_operators_keys(display, tmp_path):
    missing = subprocess.run([sys.executable, "-m", "neoterra_glow", "show", "--monitor", "HDMI-9"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "no monitor 'HDMI-9'; the monitors are 0: screen" in missing.stderr
    show = WindowShow([light(tmp_path), light(tmp_path, "festival"), "--size", "320x180", "--monitor", "screen",
                       "--calibration", str(tmp_path / "wall.json")], tmp_path)
    value, values, press, eventually = show.value, show.values, show.press, show.eventually
    try:
        press("b")
        assert eventually(lambda: value("/output/blackout") is True)
        press("b")
        assert eventually(lambda: value("/output/blackout") is False)
        press("c")  # calibrate: the test card is up, and the nearest corner follows the mouse
        assert eventually(lambda: value("/output/test_card") is True)
        show.drag((5, 5), (40, 30))
        pinned = [pytest.approx(40 / 320, abs=0.02), pytest.approx(1 - 30 / 180, abs=0.02)]
        assert eventually(lambda: values("/output/corners/top_left") == pinned)
        press("c")  # done: the calibration is saved
        assert eventually(lambda: (tmp_path / "wall.json").is_file())
        assert json.loads((tmp_path / "wall.json").read_text())["output.corners.top_left"][0] == pytest.approx(0.125, abs=0.02)
        press("s")
        assert eventually(lambda: any((tmp_path / "screenshots").glob("*.png")))
        press("n")  # the next preset, crossfading
        assert eventually(lambda: value("/murals/aurora/opacity") is not None if _has(show.query, "/murals/aurora") else False)
        press("f")
        assert eventually(lambda: show.geometry() == (1280, 800))  # fullscreen fills the chosen monitor
        press("f")
        assert eventually(lambda: show.geometry() == (320, 180))
    finally:
        status, errors = show.stop()
    assert status == 0, errors


def _has(query: str, path: str) -> bool:
    try:
        with urllib.request.urlopen(f"{query}{path}", timeout=5):
            return True
    except urllib.error.HTTPError:
        return False


def test_the_hud_tells_the_operator_what_is_going_on(ctx, tmp_path):
    (tmp_path / "show.toml").write_text(PRESET)
    live = LiveShow(ctx, load_piece(tmp_path / "show.toml"), SMALL, 2, Listening(port=0, query_port=None))
    try:
        live.inject("/glitch/split", 0.7)
        live.inject("/no/such/address", 1.0)
        assert step_until(live, lambda: live.frame.faults["split"] > 0.65, 3.0)  # it glides in
        lines = "\n".join(live.hud_lines(58.0, 17.2))
        assert "58.0 fps" in lines and "17.2 ms/frame" in lines and "bots 20,000" in lines
        assert "msg/s" in lines and "rejected 1" in lines
        assert "layers field" in lines and re.search(r"faults split 0\.[67]", lines)
        assert re.search(r"gpu ms  swarm \d+\.\d\d  light \d+\.\d\d  murals \d+\.\d\d", lines)
        assert all(re.search(rf"  {name} \d+\.\d\d", lines) for name in live.pipeline.stages)  # every stage of the graph
    finally:
        live.close()
