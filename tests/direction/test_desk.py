"""The desk's own commands, applied at a frame boundary on the show's clock."""

from pathlib import Path

import pytest

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
