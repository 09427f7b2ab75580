"""An NDI source as a mural layer: a sender in another process on loopback, read back from the layer's texture."""

import logging
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals import ndi
from neoterra_glow.murals.layers import LayerError, VideoSpec, layer_specs
from neoterra_glow.murals.stack import MuralStack
from tests.conftest import frame_at, pixels
from tests.murals.isf_cases import SOLID
from tests.murals.ndi_sender import SIZE, picture
from tests.murals.test_video import bare_registry, linear
from tests.output.test_stream import NDI_LOOPBACK

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 20  # a picture reaches the layer within this (under a second on loopback; the CI machine is slow and shared)
CODEC = 16  # NDI compresses even on loopback (to 4:2:2 YUV): a colour arrives within this many levels of what was sent


@pytest.fixture
def loopback(tmp_path, monkeypatch):
    """NDI kept to this machine, for this process and the senders it starts; a source name no other test uses."""
    pytest.importorskip("cyndilib", reason="NDI is the optional [ndi] extra")
    (tmp_path / "ndi-config.v1.json").write_text(NDI_LOOPBACK)
    monkeypatch.setenv("NDI_CONFIG_DIR", str(tmp_path))
    return f"neoterra-in-{time.monotonic_ns() % 100000}"


def send(name: str, turn: int) -> subprocess.Popen:
    sender = subprocess.Popen([sys.executable, "-m", "tests.murals.ndi_sender", name, str(turn)], cwd=ROOT, stdout=subprocess.PIPE)
    assert sender.stdout.readline() == b"sending\n"
    return sender


def stop(sender: subprocess.Popen) -> None:
    sender.kill()  # as a crash or a pulled cable would: no goodbye on the network
    sender.wait(timeout=10)


def shown(murals: MuralStack) -> np.ndarray | None:
    """The NDI layer's texture read back from the GPU, top row first, or None before its first picture."""
    output = murals.layers[0].output
    return None if output is None else np.frombuffer(output.texture.read(), np.uint8).reshape(SIZE[1], SIZE[0], 4)[::-1]


def quarters(image: np.ndarray) -> np.ndarray:
    """The colour at the middle of each quarter of a picture (top row first): top left, top right, bottom left, bottom right."""
    height, width = image.shape[:2]
    return np.array([image[y, x, :3] for y in (height // 4, 3 * height // 4) for x in (width // 4, 3 * width // 4)], np.float64)


def compose_until(murals, registry, target, wanted, seconds=SECONDS):
    """Live frames until the layer shows `wanted`; each frame goes on with what there is."""
    deadline, slowest = time.monotonic() + seconds, 0.0
    while time.monotonic() < deadline:
        began = time.perf_counter()
        murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
        slowest = max(slowest, time.perf_counter() - began)
        seen = shown(murals)
        if seen is not None and np.abs(quarters(seen) - quarters(wanted)).max() <= CODEC:
            return slowest
        time.sleep(0.01)
    raise AssertionError(f"the layer did not show the sent picture within {seconds} s")


def test_an_ndi_layer_shows_another_process_s_picture_holds_it_when_the_sender_dies_and_finds_it_again(ctx, library, loopback, caplog):
    specs = layer_specs([{"ndi": loopback, "name": "studio"}], ROOT)
    assert isinstance(specs[0], VideoSpec) and specs[0].table()["ndi"] == loopback
    registry = bare_registry(specs)
    murals = MuralStack(Build(ctx, library, SIZE, layers=specs, live=True))
    target = Target(ctx, SIZE)
    murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)  # the first frame builds what it draws with
    sender = send(loopback, 0)
    try:
        slowest = compose_until(murals, registry, target, picture(0))  # the sender's picture, the right way up
        assert slowest < 0.5  # no frame waited for the network
        assert quarters(pixels(target, 3)[::-1]) == pytest.approx(linear(quarters(shown(murals))), abs=0.01)  # and composed
        stop(sender)
        with caplog.at_level(logging.WARNING):
            quiet = time.monotonic() + ndi.QUIET + 1.0
            while time.monotonic() < quiet:  # gone long enough to be said, and looked for again
                murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
                assert np.abs(quarters(shown(murals)) - quarters(picture(0))).max() <= CODEC  # the last picture holds
                time.sleep(0.05)
        assert [r.getMessage() for r in caplog.records if "went quiet" in r.getMessage()] == [
            f"layer studio: NDI source '{loopback}' went quiet: its last picture holds until it is back"]
        sender = send(loopback, 1)  # the sender comes back with another picture
        with caplog.at_level(logging.WARNING):
            assert compose_until(murals, registry, target, picture(1)) < 0.5  # connecting again held no frame either
        assert caplog.records[-1].getMessage() == f"layer studio: NDI source '{loopback}' is back"
        assert murals.layers[0].checkpointable() == "the layer studio shows an NDI source, whose pictures are never kept: remove it first"
    finally:
        stop(sender)
        target.release()
        murals.release()


def _over_solid(ctx, library, tmp_path, table: dict):
    """A live stack of an NDI layer (`table`) over a solid colour: its registry, the stack, and a target."""
    (tmp_path / "solid.fs").write_text(SOLID)
    specs = layer_specs([{"shader": "solid.fs"}, table], tmp_path)
    registry = bare_registry(specs)
    registry.set("murals.solid.color_a", [0.2, 0.6, 0.9], immediate=True)
    return registry, MuralStack(Build(ctx, library, SIZE, layers=specs, live=True)), Target(ctx, SIZE)


def test_a_missing_ndi_source_is_one_line_and_the_layers_below_go_on(ctx, library, loopback, tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(ndi, "MISSING", 0.5)
    registry, murals, target = _over_solid(ctx, library, tmp_path, {"ndi": f"{loopback}-nobody"})
    try:
        with caplog.at_level(logging.WARNING):
            deadline = time.monotonic() + SECONDS
            while not caplog.records and time.monotonic() < deadline:
                began = time.perf_counter()
                murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
                assert time.perf_counter() - began < 0.5
                time.sleep(0.05)
            time.sleep(1.0)  # more looks, no more lines
            murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
        seen = pixels(target, 3)[SIZE[1] // 2, SIZE[0] // 2]
    finally:
        target.release()
        murals.release()
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"layer ndi: NDI source '{loopback}-nobody' is not on the network (sources seen: ")
    assert lines[0].endswith("): it is left out until it comes")
    assert seen == pytest.approx(linear([51, 153, 229.5]), abs=0.01)  # the layer below, every frame


def test_without_the_ndi_runtime_the_layer_says_how_to_get_it_and_the_stack_goes_on(ctx, library, tmp_path, caplog, monkeypatch):
    monkeypatch.setitem(sys.modules, "cyndilib.finder", None)  # the package is not installed: its import fails
    registry, murals, target = _over_solid(ctx, library, tmp_path, {"ndi": "STUDIO (cam 1)", "name": "cam"})
    try:
        with caplog.at_level(logging.WARNING):
            for _ in range(3):
                murals.compose(frame_at(registry, 0, size=SIZE), target, murals._black)
        seen = pixels(target, 3)[SIZE[1] // 2, SIZE[0] // 2]
    finally:
        target.release()
        murals.release()
    assert [r.getMessage() for r in caplog.records] == [
        "layer cam: NDI source 'STUDIO (cam 1)': NDI needs the optional extra: pip install 'neoterra-glow[ndi]': it is left out"]
    assert seen == pytest.approx(linear([51, 153, 229.5]), abs=0.01)


def test_an_ndi_layer_table_is_checked_where_it_enters(tmp_path):
    specs = layer_specs([{"ndi": "STUDIO (cam 1)"}, {"shader": "field", "mask": "ndi"}], tmp_path)
    assert specs[0].name == "ndi" and specs[0].device_format == "ndi" and specs[1].mask == "ndi"
    assert specs[0].table() == {"name": "ndi", "ndi": "STUDIO (cam 1)", "blend": "normal", "opacity": 1.0, "mask": "none"}
    with pytest.raises(LayerError, match="a live source has no speed"):
        layer_specs([{"ndi": "STUDIO (cam 1)", "speed": 2}], tmp_path)
    with pytest.raises(LayerError, match="one of video"):
        layer_specs([{"ndi": "STUDIO (cam 1)", "camera": "/dev/video0"}], tmp_path)


def test_a_source_is_found_by_its_full_name_or_its_name_alone():
    assert ndi.matches("cam 1", "STUDIO (cam 1)") and ndi.matches("STUDIO (cam 1)", "STUDIO (cam 1)")
    assert not ndi.matches("cam", "STUDIO (cam 1)") and not ndi.matches("STUDIO", "STUDIO (cam 1)")
