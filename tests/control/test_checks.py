"""Every control value checked once, from what the commands and parameters declare."""

import math

import pytest

from neoterra_glow.control.checks import Refused, command_args, parameter_value
from neoterra_glow.control.commands import ARGUMENTS, COMMANDS
from neoterra_glow.control.tempo import TapTempo
from neoterra_glow.core.params import Kind, Param, Registry

LONG = "x" * 60_000


def refusal(call) -> str:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.kind


def test_the_commands_type_tags_are_derived_from_their_declared_arguments():
    assert COMMANDS["/glitch/trigger"][0] == "sffs" and COMMANDS["/glitch/tap"][0] == "I"
    assert COMMANDS["/scene/go"][0] == "sf" and set(COMMANDS) == set(ARGUMENTS)


@pytest.mark.parametrize("address", sorted(ARGUMENTS))
def test_no_command_takes_nan_infinity_long_text_or_too_many_arguments(address):
    notes = []
    for bad in (math.nan, math.inf, -math.inf):
        assert refusal(lambda bad=bad: command_args(address, ("calm", bad), notes.append)) in ("not a number", "wrong type")
        assert refusal(lambda bad=bad: command_args(address, (bad,), notes.append)) in ("not a number", "wrong type")
    assert refusal(lambda: command_args(address, (LONG,), notes.append)) == "too long"
    assert refusal(lambda: command_args(address, ("a",) * 17, notes.append)) == "wrong type"
    assert refusal(lambda: command_args(address, (b"blob",), notes.append)) == "wrong type"


def test_a_scene_fade_is_a_finite_number_of_seconds_at_most_ten_minutes():
    notes = []
    assert command_args("/scene/go", ("calm",), notes.append) == ("calm",)
    assert command_args("/scene/go", ("calm", 2), notes.append) == ("calm", 2.0)
    assert command_args("/scene/go", ("calm", 1e9), notes.append) == ("calm", 600.0) and "600" in notes[-1]
    assert refusal(lambda: command_args("/scene/go", ("calm", math.nan), notes.append)) == "not a number"
    assert refusal(lambda: command_args("/scene/go", ("calm", "4"), notes.append)) == "wrong type"
    assert refusal(lambda: command_args("/scene/start", ("calm",), notes.append)) == "wrong type"


def test_a_tap_takes_nothing_or_a_number():
    assert command_args("/glitch/tap", (), [].append) == ()
    assert command_args("/glitch/tap", (1,), [].append) == (1.0,)
    assert refusal(lambda: command_args("/glitch/tap", (LONG,), [].append)) == "too long"
    assert refusal(lambda: command_args("/glitch/tap", ("x",), [].append)) == "wrong type"
    assert refusal(lambda: command_args("/glitch/tap", (1.0, 2.0), [].append)) == "wrong type"


def test_a_parameter_takes_only_what_its_kind_and_range_allow():
    size = Param("swarm.size", Kind.FLOAT, 1.0, "size", (0.0, 8.0))
    assert parameter_value(size, (3,), {}) == (3.0, None)
    assert parameter_value(size, (80.0,), {})[0] == 8.0
    for bad in ((math.nan,), (math.inf,), ("big",), (1.0, 2.0), (LONG,), ()):
        assert refusal(lambda bad=bad: parameter_value(size, bad, {})) in ("not a number", "wrong type", "too long")
    count = Param("swarm.count", Kind.INT, 20_000, "bots", (10_000, 64_000_000))
    assert refusal(lambda: parameter_value(count, (64_000_000,), {"swarm.count": (5_592_405, "the driver binds 128 MiB")})) \
        == "beyond the machine"
    guard = Param("output.flash_guard", Kind.BOOL, True, "the guard", local=True)
    assert refusal(lambda: parameter_value(guard, (False,), {})) == "local only"
    assert [p.path for p in Registry([size, guard]).listed()] == ["swarm.size"]  # what OSCQuery and the remote list


def test_two_taps_in_one_frame_make_no_tempo_and_no_error():
    taps = TapTempo()
    assert taps.tap(1.0) is None and taps.tap(1.0) is None  # the same moment: no gap, no division by it
    assert taps.tap(1.5) == 120.0
    for _ in range(10_000):  # a flood in one frame keeps few taps
        taps.tap(1.5)
    assert len(taps._taps) <= 17 and taps.tap(2.0) == 120.0
