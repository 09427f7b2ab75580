"""TOML tables into dataclasses: the keys are the fields, a typo is told the nearest key."""

import pytest

from neoterra_glow.core.tables import read_table
from neoterra_glow.direction.cues import Cue
from neoterra_glow.glitch.faults import Fault


def test_a_table_becomes_its_dataclass_with_defaults_and_renamed_keys():
    assert read_table({"at": 2, "name": "drop", "glitch": "tear"}, Cue, "a cue") == Cue(at=2.0, name="drop", glitch="tear")
    fault = read_table({"at": 1, "kind": "split", "intensity": 0.5, "duration": 2}, Fault, "a fault", seed=3)
    assert (fault.start, fault.seed, fault.envelope) == (1.0, 3, "spike")


@pytest.mark.parametrize("table, message", [
    ({"at": 1, "glich": "tear"}, "unknown key 'glich'; did you mean 'glitch'\\? a cue has at, name, scene"),
    ({"at": "soon"}, "'at' must be seconds into the show, a number, got 'soon'"),
    ({"at": float("nan")}, "'at' must be a finite number"),
    ({"name": 7}, "'name' must be text, got 7"),
    ({"at": True}, "'at' must be seconds into the show"),
])
def test_a_wrong_key_or_value_is_named(table, message):
    with pytest.raises(ValueError, match=message):
        read_table(table, Cue, "a cue")


def test_a_key_the_engine_sets_is_no_key_of_the_table():
    with pytest.raises(ValueError, match="unknown key 'seed'"):
        read_table({"at": 1, "kind": "split", "intensity": 1, "duration": 1, "seed": 9}, Fault, "a fault")
    with pytest.raises(ValueError, match="a fault needs 'duration'"):
        read_table({"at": 1, "kind": "split", "intensity": 1}, Fault, "a fault")


DEEP_TOML = {  # 3,000 levels, each way TOML nests
    "arrays": "x = " + "[" * 3000 + "]" * 3000 + "\n",
    "inline tables": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
    "table headers": "[" + ".".join(["a"] * 3000) + "]\nx = 1\n",
}


@pytest.mark.parametrize("nesting", DEEP_TOML)
def test_a_deeply_nested_file_from_the_operator_is_one_clear_error_in_every_reader(tmp_path, nesting):
    from neoterra_glow.control.midi import MidiError, read_mappings
    from neoterra_glow.core.presets import PresetError, read_preset
    from neoterra_glow.direction.cues import read_cues
    from neoterra_glow.errors import UserError
    from neoterra_glow.pipeline import declare_params

    deep = tmp_path / "deep.toml"
    deep.write_text(DEEP_TOML[nesting])
    for read, error in ((read_preset, PresetError), (read_cues, UserError), (lambda p: read_mappings(p, declare_params()), MidiError)):
        with pytest.raises(error) as raised:
            read(deep)
        message = str(raised.value)
        assert message.startswith(str(deep)) and "nested more than 32 levels deep" in message and "\n" not in message


def test_a_deeply_nested_json_file_is_one_clear_error(tmp_path):
    from neoterra_glow.core.params import Registry
    from neoterra_glow.errors import UserError
    from neoterra_glow.output.venue import read_venue
    from neoterra_glow.output.warp import load_calibration

    calibration = tmp_path / "calibration.json"
    calibration.write_text("[" * 100_000)
    for read in (read_venue, load_calibration):
        with pytest.raises(UserError, match="calibration.json: .*nested more than 32 levels deep"):
            read(calibration, Registry())


def test_params_on_a_deeply_nested_preset_says_what_is_wrong_without_a_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    deep = tmp_path / "deep.toml"
    deep.write_text(DEEP_TOML["arrays"])
    done = subprocess.run([sys.executable, "-m", "neoterra_glow", "params", str(deep)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert "deep.toml: nested more than 32 levels deep" in done.stderr
