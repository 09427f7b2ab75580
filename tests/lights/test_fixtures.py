from pathlib import Path

import pytest

from neoterra_glow.errors import UserError
from neoterra_glow.lights.fixtures import load_fixtures

GOOD = """
rate = 30
destination = "127.0.0.1"
[[fixture]]
name = "wash"
universe = 2
address = 10
layout = "dimmer+rgb"
region = [0.25, 0.5]
"""


def test_a_point_is_a_small_region_and_defaults_fill_in(tmp_path: Path) -> None:
    (tmp_path / "fixtures.toml").write_text(GOOD)
    rig = load_fixtures(tmp_path / "fixtures.toml")
    wash = rig.fixtures[0]
    assert (rig.rate, rig.destination, wash.universe, wash.address, wash.channels) == (30.0, "127.0.0.1", 2, 10, 4)
    assert wash.region == pytest.approx((0.248, 0.498, 0.004, 0.004))
    assert (wash.gamma, wash.cap, wash.delay_ms) == (2.2, 1.0, 0.0)


@pytest.mark.parametrize("change, named", [
    ("layout = \"dimmer+rgb\"", "layout must be one of rgb, rgbw, dimmer+rgb, not 'rgbx'"),
    ("address = 10", "'wash': address must be from 1 to 509, not 511"),
    ("region = [0.25, 0.5]", "'wash': region reaches past the canvas"),
    ("rate = 30", "line 2"),  # TOML's own error, with where it is
    ("rate = 30\n", "protocol must be \"sacn\" or \"artnet\", not 'dmx'"),
    ('destination = "127.0.0.1"', "Art-Net is sent to one node: give its destination, like \"10.0.0.5\""),
    ("universe = 2", "'wash': universe must be from 1 to 63999, not 0"),  # sACN's universes start at 1
])
def test_a_bad_fixtures_file_is_one_line_naming_the_file_and_what(tmp_path: Path, change: str, named: str) -> None:
    bad = {"layout = \"dimmer+rgb\"": "layout = \"rgbx\"", "address = 10": "address = 511",
           "region = [0.25, 0.5]": "region = [0.5, 0.5, 0.6, 0.1]", "rate = 30": "rate = = 30",
           "rate = 30\n": "rate = 30\nprotocol = \"dmx\"\n", 'destination = "127.0.0.1"': 'protocol = "artnet"',
           "universe = 2": "universe = 0"}[change]
    path = tmp_path / "fixtures.toml"
    path.write_text(GOOD.replace(change, bad))
    with pytest.raises(UserError) as raised:
        load_fixtures(path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{path}: not a usable fixtures file: ") and named in message


def test_art_net_numbers_universes_from_0_as_its_port_address(tmp_path: Path) -> None:
    artnet = GOOD.replace("rate = 30", 'rate = 30\nprotocol = "artnet"').replace("universe = 2", "universe = 0")
    (tmp_path / "fixtures.toml").write_text(artnet)
    rig = load_fixtures(tmp_path / "fixtures.toml")
    assert (rig.protocol, rig.fixtures[0].universe) == ("artnet", 0)


def test_two_fixtures_on_the_same_channels_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "fixtures.toml"
    path.write_text(GOOD + "[[fixture]]" + GOOD.split("[[fixture]]")[1].replace("wash", "spot").replace("address = 10", "address = 12"))
    with pytest.raises(UserError, match="fixture 'spot' overlaps 'wash' at universe 2 channel 12"):
        load_fixtures(path)


def test_the_readmes_fixtures_file_reads_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## Lights and timecode"):]
    start = section.index("```toml") + len("```toml")
    (tmp_path / "fixtures.toml").write_text(section[start:section.index("```", start)])
    rig = load_fixtures(tmp_path / "fixtures.toml")
    assert [f.name for f in rig.fixtures] == ["wash_left", "spot"] and rig.rate == 40
    assert rig.fixtures[1].delay_ms == 80 and rig.fixtures[0].cap == 0.8


def test_the_readmes_festival_night_reads_as_written(tmp_path: Path) -> None:
    from neoterra_glow.core.presets import find_preset
    from neoterra_glow.direction.cues import read_cues
    from neoterra_glow.glitch.faults import KINDS

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("### A festival night from one command"):]
    blocks = []
    for _ in range(2):
        start = section.index("```toml") + len("```toml")
        blocks.append(section[start:section.index("```", start)])
        section = section[section.index("```", start) + 3:]
    (tmp_path / "fixtures.toml").write_text(blocks[0])
    (tmp_path / "cues.toml").write_text(blocks[1])
    rig = load_fixtures(tmp_path / "fixtures.toml")
    assert [f.name for f in rig.fixtures] == ["wash_left", "wash_right", "head_centre"] and rig.protocol == "artnet"
    cues = read_cues(tmp_path / "cues.toml")
    assert [cue.at for cue in cues] == sorted(cue.at for cue in cues) and cues[0].at == 3600.0
    assert all(find_preset(cue.scene) for cue in cues if cue.scene) and all(cue.glitch in KINDS for cue in cues if cue.glitch)
