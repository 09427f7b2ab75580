"""14-bit MIDI through real ports (JACK's dummy backend and a virtual controller): a fader's
MSB/LSB pair (cc14) and an NRPN move a parameter in 16384 steps, not 128."""

import pytest

from neoterra_glow.control.midi import MidiError, read_mappings, save_mappings
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL
from tests.control.test_midi import controller, frames_until  # noqa: F401  (controller: the fixture)

MAPPINGS = """[[map]]
cc14 = [7, 39]
param = "swarm.brightness"

[[map]]
nrpn = 1000
param = "swarm.tremble"

[[map]]
nrpn = 1001
param = "swarm.flow"
channel = 2
"""


@pytest.fixture
def show(ctx, tmp_path, jack, controller):  # noqa: F811
    mapping = tmp_path / "midi.toml"
    mapping.write_text(MAPPINGS)
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(midi=controller.name, midi_map=mapping))
    yield live, controller, jack
    live.close()


def cc(mido, port, control, value, channel=0):
    port.send(mido.Message("control_change", control=control, value=value, channel=channel))


def test_a_14_bit_fader_moves_its_parameter_in_16384_steps(show):
    live, port, _ = show
    mido = pytest.importorskip("mido")
    value = live.piece.registry.value
    assert live.midi.absent is None
    cc(mido, port, 7, 0)
    cc(mido, port, 39, 1)  # the finest step above nothing: 20/16383, where 7 bits move 20/127
    assert frames_until(live, lambda: value("swarm.brightness") == pytest.approx(20 / 16383, rel=1e-9))
    cc(mido, port, 7, 100)
    cc(mido, port, 39, 77)
    assert frames_until(live, lambda: value("swarm.brightness") == pytest.approx(20 * (100 * 128 + 77) / 16383, rel=1e-9))
    cc(mido, port, 7, 64)  # a controller that sends only the coarse half: its LSB is 0
    assert frames_until(live, lambda: value("swarm.brightness") == pytest.approx(20 * 64 * 128 / 16383, rel=1e-9))
    cc(mido, port, 7, 127)
    cc(mido, port, 39, 127)
    assert frames_until(live, lambda: value("swarm.brightness") == 20.0)  # the top of its range, exactly


def test_an_nrpn_moves_only_its_parameter_and_data_entry_for_an_rpn_moves_none(show):
    live, port, _ = show
    mido = pytest.importorskip("mido")
    value = live.piece.registry.value
    flow = value("swarm.flow")
    cc(mido, port, 99, 1000 >> 7)  # choose NRPN 1000 ...
    cc(mido, port, 98, 1000 & 127)
    cc(mido, port, 6, 100)  # ... and send its value: data entry, MSB then LSB
    cc(mido, port, 38, 50)
    assert frames_until(live, lambda: value("swarm.tremble") == pytest.approx(4 * (100 * 128 + 50) / 16383, rel=1e-9))
    cc(mido, port, 99, 1001 >> 7)  # NRPN 1001 is mapped on channel 2 only: on channel 1 it moves nothing
    cc(mido, port, 98, 1001 & 127)
    cc(mido, port, 6, 127)
    cc(mido, port, 99, 1001 >> 7, channel=1)
    cc(mido, port, 98, 1001 & 127, channel=1)
    cc(mido, port, 6, 32, channel=1)
    cc(mido, port, 38, 0, channel=1)
    assert frames_until(live, lambda: value("swarm.flow") == pytest.approx(6 * 32 * 128 / 16383, rel=1e-9))
    assert value("swarm.tremble") == pytest.approx(4 * (100 * 128 + 50) / 16383, rel=1e-9) and flow != value("swarm.flow")
    cc(mido, port, 101, 0)  # choose RPN 0 (pitch bend range): its data entry is not the NRPN's
    cc(mido, port, 100, 0)
    cc(mido, port, 6, 12)
    cc(mido, port, 7, 127)  # then a fader, to know when the frame has heard all of it
    assert frames_until(live, lambda: value("swarm.brightness") == pytest.approx(20 * 127 * 128 / 16383, rel=1e-9))
    assert value("swarm.tremble") == pytest.approx(4 * (100 * 128 + 50) / 16383, rel=1e-9)


def test_an_nrpn_is_learned_from_its_data_entry(show, tmp_path):
    live, port, _ = show
    mido = pytest.importorskip("mido")
    live.inject("/midi/learn", "swarm.cohesion")
    assert frames_until(live, lambda: live.midi.armed == "swarm.cohesion")
    cc(mido, port, 99, 3, channel=4)
    cc(mido, port, 98, 9, channel=4)
    cc(mido, port, 6, 10, channel=4)
    assert frames_until(live, lambda: live.midi.armed is None)
    learned = read_mappings(tmp_path / "midi.toml", live.piece.registry)[-1]
    assert (learned.control, learned.nrpn, learned.param, learned.channel) == (None, 3 * 128 + 9, "swarm.cohesion", 5)
    cc(mido, port, 6, 127, channel=4)
    cc(mido, port, 38, 127, channel=4)
    assert frames_until(live, lambda: live.piece.registry.value("swarm.cohesion") == 20.0)


@pytest.mark.parametrize("table, said", [
    ('cc14 = [7, 39]\ncontrol = "cc 7"', "a mapping reads one control"),
    ("cc14 = [7]", r"cc14 \[7\] must be two different CC numbers"),
    ("cc14 = [7, 7]", "must be two different CC numbers"),
    ("cc14 = [7, 128]", "must be two different CC numbers"),
    ("nrpn = 16384", "nrpn 16384 must be a number from 0 to 16383"),
    ('nrpn = "1"', "'nrpn' must be an NRPN's number"),
    ('nrpn = 5\nmode = "relative"', "a 14-bit control .* is absolute or toggle"),
])
def test_a_wrong_14_bit_mapping_is_one_line_naming_it(tmp_path, table, said):
    path = tmp_path / "midi.toml"
    path.write_text(f'[[map]]\n{table}\nparam = "swarm.brightness"\n')
    with pytest.raises(MidiError, match=r"midi.toml: map\[0\]: (.* )?" + said):
        read_mappings(path, load_piece("default").registry)


def test_14_bit_mappings_are_saved_and_read_back(tmp_path):
    registry = load_piece("default").registry
    path = tmp_path / "midi.toml"
    path.write_text(MAPPINGS)
    mappings = read_mappings(path, registry)
    save_mappings(tmp_path / "again.toml", mappings)
    assert read_mappings(tmp_path / "again.toml", registry) == mappings
    assert [m.key for m in mappings] == [("cc14", (7, 39)), ("nrpn", 1000), ("nrpn", 1001)]


def test_the_readmes_mapping_example_reads_as_written(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## MIDI controllers"):]
    example = section[section.index("```toml") + len("```toml"):section.index("```", section.index("```toml") + 7)]
    (tmp_path / "midi.toml").write_text(example)
    mappings = read_mappings(tmp_path / "midi.toml", load_piece("festival").registry)
    assert [m.param for m in mappings if m.param] == ["swarm.brightness", "swarm.hue_drift", "output.blackout",
                                                      "swarm.flow", "swarm.cohesion"]
    assert [m.cc14 for m in mappings if m.cc14] == [(7, 39)] and [m.nrpn for m in mappings if m.nrpn] == [1000]
