"""What the main job installs: the package and its core dependencies, no test kit; what the
tests install: every extra they exercise; the wheel carries the licence."""

import re
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from neoterra_glow.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
HEAVY = {"pytest", "ruff", "python-oscquery", "playwright", "ray", "linkpython-extern", "cyndilib", "python-rtmidi", "sounddevice", "mido"}


def names(requirements: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9._-]+", requirement)[0].lower() for requirement in requirements}


def test_the_main_jobs_dependencies_hold_no_test_only_package_nor_an_extras():
    core = names(PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert not core & HEAVY
    for extra, requirements in extras.items():
        assert not core & names(requirements), f"[{extra}] repeats a core dependency"


def test_the_test_extra_holds_every_other_extra_so_the_tests_exercise_them():
    extras = PROJECT["optional-dependencies"]
    for extra in ("live", "link", "ndi", "farm"):
        assert names(extras[extra]) <= names(extras["test"]), extra


def stand_in(path: Path, log: Path) -> None:
    """An executable that writes its name, arguments and folder to the log: where run.sh's pip would run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "$(basename "$0") $* in $PWD" >> {log}\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_run_sh_installs_the_package_without_the_test_kit_and_runs_the_main_job(tmp_path):
    (tmp_path / "scripts").mkdir()
    for script in ("run.sh", "setup.sh"):
        shutil.copy2(ROOT / "scripts" / script, tmp_path / "scripts" / script)
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    log = tmp_path / "log"
    stand_in(tmp_path / ".venv/bin/python", log)
    stand_in(tmp_path / ".venv/bin/neoterra-glow", log)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(["bash", str(tmp_path / "scripts/run.sh"), "render", "default", "-o", "clip.mp4"], capture_output=True,
                          text=True, timeout=120, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert f"python -m pip install -q -e . in {tmp_path}" in calls
    assert not any("[" in call for call in calls)  # no [test], no extra at all
    assert calls[-1] == f"neoterra-glow render default -o clip.mp4 in {elsewhere}"  # clip.mp4 is the caller's


def test_the_test_command_installs_the_test_extra():
    assert "scripts/setup.sh --extras test " in (ROOT / "scripts/test.sh").read_text()


def test_the_wheel_carries_the_mit_licence_and_declares_it(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    with zipfile.ZipFile(next(tmp_path.glob("*.whl"))) as wheel:
        files = {Path(name).name: name for name in wheel.namelist()}
        licence = wheel.read(files["LICENSE"]).decode()
        metadata = wheel.read(files["METADATA"]).decode()
    assert licence.startswith("MIT License") and licence == (ROOT / "LICENSE").read_text()
    assert "License-Expression: MIT" in metadata
    required = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert required and not names([line.split(":", 1)[1].strip() for line in required]) & HEAVY


@pytest.mark.parametrize("missing", ["mido", "rtmidi"])
def test_midi_without_the_live_extra_names_the_extra_in_one_line(tmp_path, monkeypatch, missing):
    from neoterra_glow.control.midi import MidiControl
    from neoterra_glow.core.params import Registry

    monkeypatch.setitem(sys.modules, missing, None)  # the package is not installed: its import fails
    with pytest.raises(UserError, match=r"^MIDI needs the optional extra: pip install 'neoterra-glow\[live\]'$"):
        MidiControl("any", tmp_path / "midi.toml", Registry())


def test_an_audio_device_without_the_live_extra_names_the_extra_in_one_line(monkeypatch):
    from neoterra_glow.audio.capture import AudioInput

    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(UserError, match=r"^live audio needs the optional extra: pip install 'neoterra-glow\[live\]'$"):
        AudioInput()
