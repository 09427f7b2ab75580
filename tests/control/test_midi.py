"""A MIDI controller with no hardware: JACK's dummy backend, and a virtual port that plays the
controller (its knobs and pads out, its lights in)."""

import time

import pytest

from neoterra_glow.control.midi import MidiError, read_mappings
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL


@pytest.fixture
def controller(jack):
    """The controller's two ports: what it sends (knobs, pads) and where its lights are told."""
    name = f"nanoKNOB-{time.monotonic_ns() % 100000}"
    out = jack.open_output(name, virtual=True)
    lights = []
    lit = jack.open_input(name + "-lights", virtual=True, callback=lights.append)
    out.lights = lights
    out.name = name
    yield out
    out.close()
    lit.close()


def frames_until(live, done, seconds=3.0):
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        live.step()
        time.sleep(0.01)
    return done()


def test_a_controller_moves_parameters_learns_and_lights_its_buttons(ctx, tmp_path, jack, controller):
    mido = pytest.importorskip("mido")
    mapping = tmp_path / "midi.toml"
    mapping.write_text('[[map]]\ncontrol = "cc 7"\nparam = "swarm.brightness"\n\n'
                       '[[map]]\ncontrol = "note 36"\nparam = "output.blackout"\nmode = "toggle"\n\n'
                       '[[map]]\ncontrol = "note 37"\naddress = "/glitch/trigger"\nargs = ["tear", 0.8]\n')
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(midi=controller.name, midi_map=mapping))
    registry = live.piece.registry
    try:
        assert live.midi.absent is None
        controller.send(mido.Message("control_change", control=7, value=127))
        assert frames_until(live, lambda: registry.value("swarm.brightness") == 20.0)  # the top of its range
        controller.send(mido.Message("control_change", control=7, value=0))
        assert frames_until(live, lambda: registry.value("swarm.brightness") == 0.0)
        controller.send(mido.Message("note_on", note=36, velocity=100))
        assert frames_until(live, lambda: registry.value("output.blackout") is True)
        assert frames_until(live, lambda: any(m.type == "note_on" and m.note == 36 and m.velocity == 127 for m in controller.lights))
        controller.send(mido.Message("note_on", note=37, velocity=90))
        assert frames_until(live, lambda: live.frame.faults["tear"] > 0)  # a pad fires a command

        live.inject("/midi/learn", "swarm.tremble")
        assert frames_until(live, lambda: live.midi.armed == "swarm.tremble")
        assert "learning: move a control for swarm.tremble" in "\n".join(live.hud_lines(60.0, 16.0))
        controller.send(mido.Message("control_change", control=21, value=64, channel=2))
        assert frames_until(live, lambda: live.midi.armed is None)
        controller.send(mido.Message("control_change", control=21, value=127, channel=2))
        assert frames_until(live, lambda: registry.value("swarm.tremble") == 4.0)
    finally:
        live.close()
    learned = read_mappings(mapping, registry)[-1]
    assert (learned.control, learned.param, learned.channel) == ("cc 21", "swarm.tremble", 3)  # saved for the next show


def test_a_missing_port_or_a_broken_mapping_file_is_said_and_the_show_goes_on(ctx, tmp_path, jack, caplog):
    mapping = tmp_path / "midi.toml"
    mapping.write_text('[[map]]\ncontrol = "knob 7"\nparam = "swarm.brightness"\n')
    with pytest.raises(MidiError, match=r"midi.toml: map\[0\]: control 'knob 7' must be"):
        read_mappings(mapping, load_piece("default").registry)
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(midi="no such pads", midi_map=mapping))
    try:
        for _ in range(3):
            live.step()
        assert "error: MIDI: no MIDI input 'no such pads'" in "\n".join(live.hud_lines(60.0, 16.0))
        assert live.midi.file_error is not None
    finally:
        live.close()


def test_a_controller_unplugged_mid_show_is_said_and_found_again(ctx, tmp_path, jack):
    name = f"padsXL-{time.monotonic_ns() % 100000}"
    port = jack.open_output(name, virtual=True)
    live = LiveShow(ctx, load_piece("default"), SMALL, 3, Listening(port=0, query_port=None),
                    connections=Connections(midi=name, midi_map=tmp_path / "m.toml"))
    try:
        assert live.midi.absent is None
        port.close()  # unplugged
        assert frames_until(live, lambda: live.midi.absent is not None, 8.0)
        assert any(line.startswith("error: MIDI:") and "is gone" in line for line in live.hud_lines(60.0, 16.0))
        port = jack.open_output(name, virtual=True)  # plugged in again
        assert frames_until(live, lambda: live.midi.absent is None, 8.0)
    finally:
        port.close()
        live.close()
