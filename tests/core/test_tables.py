"""TOML tables into dataclasses: the keys are the fields, a typo is told the nearest key."""

import pytest

from neoterra_glow.core.tables import read_table
from neoterra_glow.glitch.faults import Fault
from neoterra_glow.live.cues import Cue


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
