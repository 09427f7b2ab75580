import subprocess
import sys
from pathlib import Path

import av
import numpy as np
from PIL import Image

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
