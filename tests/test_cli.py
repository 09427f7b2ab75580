import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from pythonosc.osc_message import OscMessage

from neoterra_glow.pipeline import declare_params

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neoterra_glow", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_render_with_a_bad_preset_prints_one_clear_error_and_fails(tmp_path):
    preset = tmp_path / "typo.toml"
    preset.write_text('title = "typo"\n[murals.field]\nbrightnes = 2.0\n')
    result = cli("render", str(preset), "-o", str(tmp_path / "clip.mp4"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"neoterra-glow: error: {preset}: key 'murals.field.brightnes': no parameter named murals.field.brightnes; "
        "did you mean murals.field.brightness?"
    ]
    assert not (tmp_path / "clip.mp4").exists() and not (tmp_path / "clip.mp4.part").exists()


def test_render_with_an_unknown_format_says_which_suffixes_work(tmp_path):
    result = cli("render", "default", "-o", str(tmp_path / "clip.gif"), "--seconds", "0.1")
    assert result.returncode == 2
    assert "use .mp4, .mov, or a folder name for PNGs" in result.stderr


def test_params_lists_every_parameter_with_its_osc_address():
    result = cli("params")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["PATH", "TYPE", "RANGE", "DEFAULT", "OSC"]
    listed = {line.split()[0]: line for line in lines[1:]}
    for param in declare_params():
        assert param.path in listed
        assert param.osc_address in listed[param.path] and param.doc in listed[param.path]


def test_glyphs_draws_a_contact_sheet_with_one_lit_cell_per_name(tmp_path):
    sheet = tmp_path / "sheet.png"
    result = cli("glyphs", "Elara", "Kai", "Nara", "Aryn", "-o", str(sheet), "--cell", "128")
    assert result.returncode == 0, result.stderr
    image = np.asarray(Image.open(sheet).convert("L"), np.float32)
    label = 128 // 9
    assert image.shape == (2 * (128 + label), 3 * 128)  # four glyphs: rows of three

    def cell(row, column):
        top = row * (128 + label)
        return image[top : top + 128, column * 128 : (column + 1) * 128]

    for row, column in [(0, 0), (0, 1), (0, 2), (1, 0)]:
        assert (cell(row, column) > 200).mean() > 0.02  # a glowing stroke in every glyph's cell
    assert cell(1, 1).max() < 40  # and none where there is no glyph


def test_a_preset_naming_a_missing_glyph_file_fails_with_one_line_and_no_clip(tmp_path):
    preset = tmp_path / "wall.toml"
    preset.write_text('glyphs = ["Elara", "faces/tomas.svg"]\n')
    result = cli("render", str(preset), "-o", str(tmp_path / "clip.mp4"), "--seconds", "0.1")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"neoterra-glow: error: glyph 'faces/tomas.svg': {tmp_path}/faces/tomas.svg: no such glyph file"
    ]
    assert not (tmp_path / "clip.mp4").exists()


def test_rendering_the_festival_preset_writes_a_clip(tmp_path):
    result = cli("render", "presets/festival.toml", "-o", str(tmp_path / "clip.mp4"), "--seconds", "0.2", "--size", "256x144")
    assert result.returncode == 0, result.stderr
    with av.open(str(tmp_path / "clip.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) == 6


def test_a_headless_show_serves_osc_and_oscquery_until_stopped_and_its_set_replays(tmp_path):
    record = tmp_path / "set.oscrec"
    show = subprocess.Popen(
        [sys.executable, "-m", "neoterra_glow", "show", "festival", "--headless", "--size", "128x72", "--fps", "20",
         "--osc-port", "0", "--oscquery-port", "0", "--record-session", str(record)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        banner = show.stdout.readline()
        osc_port = int(re.search(r"udp://127\.0\.0\.1:(\d+)", banner).group(1))
        query = re.search(r"(http://127\.0\.0\.1:\d+)/", banner).group(1)

        def value(path):
            with urllib.request.urlopen(f"{query}{path}?VALUE", timeout=5) as response:
                return json.loads(response.read())["VALUE"][0]

        with urllib.request.urlopen(f"{query}/?HOST_INFO", timeout=5) as response:
            assert json.loads(response.read())["OSC_PORT"] == osc_port
        raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        raw.sendto(b"\x00garbage", ("127.0.0.1", osc_port))  # ignored, counted
        assert cli("osc-send", "--port", str(osc_port), "/swarm/hold", "33").returncode == 0
        demo = subprocess.run(
            [sys.executable, "scripts/emotion_demo.py", "--port", str(osc_port), "--seconds", "1", "--rate", "20"],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )
        assert demo.returncode == 0, demo.stderr
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (value("/swarm/hold") != 33 or value("/emotion/calm") <= 0.3):  # calm eases in
            time.sleep(0.1)
        assert value("/swarm/hold") == 33 and value("/emotion/calm") > 0.3
    finally:
        show.send_signal(signal.SIGINT)
        try:
            _, errors = show.communicate(timeout=30)
        finally:
            show.kill()  # one that did not stop must not spin on through the rest of the suite
    assert show.returncode == 0, errors
    assert "OSC malformed packet" in errors

    header, *lines = [json.loads(line) for line in record.open()]
    assert header["fps"] == "20"  # the rate it aimed at; it makes what frames it manages
    lasted = lines[-1]["t"] + lines[-1]["dt"]
    replay = cli("render", "festival", "--replay", str(record), "-o", str(tmp_path / "set.mp4"), "--size", "96x54")
    assert replay.returncode == 0, replay.stderr
    with av.open(str(tmp_path / "set.mp4")) as container:  # as long as the set, at its rate, however many frames it made
        assert container.streams.video[0].average_rate == 20
        assert sum(1 for _ in container.decode(video=0)) == round(lasted * 20)


def test_osc_send_sends_typed_arguments_over_udp():
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(10)
    result = cli("osc-send", "--port", str(receiver.getsockname()[1]), "/murals/add", "aurora", "sky", "2", "0.5", "true")
    assert result.returncode == 0, result.stderr
    message = OscMessage(receiver.recvfrom(65536)[0])
    receiver.close()
    assert message.address == "/murals/add"
    assert message.params == ["aurora", "sky", 2, 0.5, True]
    assert cli("osc-send", "swarm/size", "1").stderr.startswith("neoterra-glow: error: swarm/size: an OSC address starts with /")


@pytest.mark.parametrize("args", [("show", "--osc-port", "70000"), ("show", "--oscquery-port", "-1"),
                                  ("osc-send", "--port", "99999", "/swarm/next", "1")])
def test_a_port_out_of_range_is_one_line_naming_the_option(args):
    done = cli(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "a port is a whole number from 0 (any free one) to 65535" in done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("trouble", ["shader", "seed", "seconds", "replay"])
def test_an_error_before_the_first_frame_is_reported_as_itself_and_leaves_no_file(tmp_path, trouble):
    out = tmp_path / "clip.mp4"
    args = ["render", "default", "-o", str(out), "--seconds", "0.1", "--size", "64x36"]
    if trouble == "shader":
        (tmp_path / "broken.fs").write_text('/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = nope; }\n')
        (tmp_path / "show.toml").write_text('[[layers]]\nshader = "broken.fs"\n')
        args[1], expected = str(tmp_path / "show.toml"), r"broken\.fs:2: .*nope"
    elif trouble == "seed":
        args += ["--seed", "3000000000"]
        expected = "a seed is a whole number from 0 to 2147483647"
    elif trouble == "seconds":
        (tmp_path / "show.toml").write_text("seconds = inf\n")
        args[1], expected = str(tmp_path / "show.toml"), "key 'seconds' must be a finite number, got inf"
    else:
        (tmp_path / "set.oscrec").write_text('{"format": "neoterra-glow session 1", "preset": "x", "seed": 1, "size": [64, 36]}\n')
        args += ["--replay", str(tmp_path / "set.oscrec")]
        expected = "no frames were recorded"
    done = cli(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert re.search(expected, done.stderr.strip().splitlines()[-1]), done.stderr
    assert "No such file" not in done.stderr
    assert not list(tmp_path.glob("clip.mp4*"))


def test_version_and_a_log_file(tmp_path):
    done = cli("--version")
    assert done.returncode == 0 and re.fullmatch(r"neoterra-glow \d+\.\d+\.\d+\n", done.stdout)
    (tmp_path / "zero.fs").write_text('/*{"PASSES": [{"TARGET": "a", "WIDTH": "1 / 0"}, {}]}*/\n'
                                      'void main() { gl_FragColor = vec4(1.0); }\n')
    (tmp_path / "show.toml").write_text('[[layers]]\nshader = "field"\n[[layers]]\nshader = "zero.fs"\n')
    log = tmp_path / "show.log"
    done = cli("--log-file", str(log), "render", str(tmp_path / "show.toml"), "-o", str(tmp_path / "clip.mp4"),
               "--size", "64x36", "--seconds", "0.1")
    assert done.returncode == 0
    assert "layer zero failed and is left out" in log.read_text()  # what the console said, kept with its time
    bad = cli("--log-file", str(tmp_path / "no" / "such" / "dir" / "x.log"), "params")
    assert bad.returncode == 2 and bad.stderr.startswith("neoterra-glow: error: --log-file")


def test_every_option_of_every_command_says_what_it_is_for():
    import argparse

    from neoterra_glow.cli import build_parser

    commands = next(action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction))
    silent = [f"{name} {'/'.join(action.option_strings) or action.dest}" for name, command in commands.choices.items()
              for action in command._actions if not action.help]
    assert silent == []


def test_the_readmes_frame_graph_is_what_graph_festival_prints():
    readme = (ROOT / "README.md").read_text()
    sample = readme[readme.index("`neoterra-glow graph festival` prints it:"):]
    sample = sample[sample.index("```\n") + 4:]
    printed = cli("graph", "festival")
    assert printed.returncode == 0 and printed.stdout == sample[:sample.index("```")]


def test_the_readmes_frame_shows_festivals_first_face_as_its_caption_draws_it():
    """The README's picture is festival's first face at 4.4 s: Ayo, with coiled hair (an afro's coils), one eye open and
    one winking, a half smile, no glasses."""
    from neoterra_glow.glyphs.smile import SmileSpec
    from neoterra_glow.piece import load_piece

    readme = (ROOT / "README.md").read_text()
    assert "nanobots have drawn Ayo's portrait (coiled hair, brows, one eye open and one winking" in readme
    assert load_piece("festival").preset.glyphs[0] == "Ayo"
    ayo = SmileSpec.from_text("Ayo")
    assert (ayo.hair, sorted(ayo.eyes), ayo.mouth, ayo.glasses) == ("afro", ["closed", "open"], "half", "none")
