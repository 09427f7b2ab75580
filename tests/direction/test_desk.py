"""The desk's own commands, applied at a frame boundary on the show's clock."""

import logging
from pathlib import Path

import pytest

from neoterra_glow.control.commands import ARGUMENTS
from neoterra_glow.control.message import Control
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.direction.desk import Desk
from neoterra_glow.glitch.malfunction import Malfunction


def test_taps_a_beat_apart_set_the_tempo(registry):
    desk = Desk(registry, None, Malfunction(), Path("."), Rejections())
    for n in range(4):
        desk.apply([Control("/glitch/tap")], now=n * 0.5)
    assert registry.value("glitch.bpm") == pytest.approx(120.0, abs=2)
    desk.apply([Control("/glitch/tap")], now=30.0)  # a lone tap, long after: the tempo stands
    assert registry.value("glitch.bpm") == pytest.approx(120.0, abs=2)


RIGHT = {"s": "calm", "f": 0.5, "i": 1, "I": 1}  # a value of each OSC type tag that its argument takes
WRONG = {"s": 3, "f": "x", "i": 2.5, "I": "x"}  # and one it refuses


@pytest.mark.parametrize("address", sorted(ARGUMENTS))
def test_a_wrongly_typed_argument_to_any_command_is_refused_with_a_line_naming_it(registry, caplog, address):
    """One check, from the declared type tags, where a control reaches the desk: each argument of each
    command, sent as the wrong type with the others right, is refused as "wrong type", and the log
    line names the command and that argument."""
    rejections = Rejections(period=0.0)  # every refusal on its own line
    desk = Desk(registry, None, Malfunction(), Path("."), rejections)
    declared = ARGUMENTS[address]
    for place, arg in enumerate(declared):
        args = tuple(WRONG[a.tag] if n == place else RIGHT[a.tag] for n, a in enumerate(declared))
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="neoterra_glow"):
            assert desk.apply([Control(address, args)]) == []
        assert rejections.counts["wrong type"] == place + 1
        assert [record.getMessage() for record in caplog.records if address in record.getMessage()
                and f"({arg.what})" in record.getMessage()], f"{address}: no line names {arg.what}"
