"""`show --fixtures`: the show's own frames light the room; blackout reaches the lights; a bad
fixtures file is one line and the show goes on without lights."""

import signal
import time

import pytest
from pythonosc.udp_client import SimpleUDPClient

from tests.lights.receiver import Receiver
from tests.live.test_service import start_show, value

pytest.importorskip("sacn", reason="the lights need the [lights] extra")

RIG = """
rate = 20
destination = "127.0.0.1"
[[fixture]]
name = "room"
universe = 3
address = 5
region = [0.0, 0.0, 1.0, 1.0]
gamma = 1.0
"""


def test_the_show_lights_the_room_from_its_frames_and_blackout_darkens_it(tmp_path):
    (tmp_path / "fixtures.toml").write_text(RIG)
    receiver = Receiver()
    show, osc_port, query = start_show(tmp_path, "--fixtures", str(tmp_path / "fixtures.toml"))
    try:
        time.sleep(3.0)
        lit = [data[4:7] for _, data in receiver.of(3)]
        level = value(query, "/lights/room")
        assert lit and max(lit[-1]) > 0 and level > 0, "the show's picture should light the fixture"
        assert max(lit[-1]) == pytest.approx(255 * level, abs=40)  # the level shown is the level sent, a frame or so apart
        SimpleUDPClient("127.0.0.1", osc_port).send_message("/output/blackout", 1)
        time.sleep(1.5)
        assert max(receiver.of(3)[-1][1][4:7]) == 0 and value(query, "/lights/room") == 0
    finally:
        show.send_signal(signal.SIGTERM)
        _, errors = show.communicate(timeout=30)
        receiver.close()
    assert "lights" not in errors


def test_a_frozen_show_holds_its_lights_while_the_piece_would_move_on(tmp_path):
    points = "".join(f'[[fixture]]\nname = "p{n}"\nuniverse = 3\naddress = {1 + 3 * n}\nregion = [{0.1 + 0.2 * n}, 0.5]\n'
                     f"gamma = 1.0\n" for n in range(5))
    (tmp_path / "fixtures.toml").write_text('rate = 20\ndestination = "127.0.0.1"\n' + points)
    receiver = Receiver()
    show, osc_port, _ = start_show(tmp_path, "--fixtures", str(tmp_path / "fixtures.toml"))
    osc = SimpleUDPClient("127.0.0.1", osc_port)
    try:
        time.sleep(3.0)
        moving = {data[:15] for t, data in receiver.of(3) if t > time.monotonic() - 1.5}
        osc.send_message("/output/freeze", 1)
        time.sleep(1.0)
        frozen_at = time.monotonic()
        time.sleep(1.5)
        frozen = {data[:15] for t, data in receiver.of(3) if t > frozen_at}
        osc.send_message("/output/freeze", 0)
        time.sleep(1.5)
        thawed = {data[:15] for t, data in receiver.of(3) if t > frozen_at + 2.0}
    finally:
        show.send_signal(signal.SIGTERM)
        show.communicate(timeout=30)
        receiver.close()
    assert len(moving) > 1, "the picture should move the lights"
    assert len(frozen) == 1 and any(frozen.pop()), "frozen, the lights hold the frozen frame's colours"
    assert len(thawed) > 1, "thawed, they move on"


def test_a_bad_fixtures_file_is_one_line_and_the_show_goes_on_without_lights(tmp_path):
    (tmp_path / "fixtures.toml").write_text(RIG.replace('"127.0.0.1"', "127"))
    show, _, query = start_show(tmp_path, "--fixtures", str(tmp_path / "fixtures.toml"))
    try:
        time.sleep(1.0)
        assert show.poll() is None and value(query, "/output/blackout") is False
    finally:
        show.send_signal(signal.SIGTERM)
        _, errors = show.communicate(timeout=30)
    lines = [line for line in errors.splitlines() if "fixtures" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "fixtures.toml: not a usable fixtures file: destination must be an address like \"10.0.0.5\"; the show goes on without lights")


def test_the_hud_says_what_the_rooms_lights_are_fed(tmp_path, ctx):
    from neoterra_glow.gpu.shaders import ShaderLibrary
    from neoterra_glow.lights.live import Lights

    (tmp_path / "fixtures.toml").write_text(RIG + RIG.split("\n", 3)[3].replace('"room"', '"spot"').replace("universe = 3", "universe = 4"))
    lights = Lights(tmp_path / "fixtures.toml", ShaderLibrary(ctx))
    try:
        assert lights.status() == "lights 2 fixtures on 2 universes at 20 packets/s as sACN"
    finally:
        lights.close()
