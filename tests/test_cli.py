import subprocess
import sys
from pathlib import Path

from neoterra_glow.pipeline import declare_params

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neoterra_glow", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_render_with_a_bad_preset_prints_one_clear_error_and_fails(tmp_path):
    preset = tmp_path / "typo.toml"
    preset.write_text('title = "typo"\n[field]\nbrightnes = 2.0\n')
    result = cli("render", str(preset), "-o", str(tmp_path / "clip.mp4"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"neoterra-glow: error: {preset}: key 'field.brightnes': no parameter named field.brightnes; "
        "did you mean field.brightness?"
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
