"""The room's emotions as a mix: the VJ's word over OSC holds against the crowd's phones while the
VJ moves it and a few seconds after; then the crowd's; a scene's values speak as a cue."""

import time
from pathlib import Path

import pytest
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.control.message import Control
from neoterra_glow.control.mix import SOURCES
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.direction.desk import Desk
from neoterra_glow.glitch.malfunction import Malfunction
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.audience.test_participation import PRESET, call
from tests.conftest import SMALL

CROWD = Control("/crowd/feel", (0.3, 0.0, 0.0, 0.0, 0.0, 0.0))


def test_the_desk_holds_against_the_crowd_then_the_crowd_moves_the_room(registry):
    desk = Desk(registry, None, Malfunction(), Path("."), Rejections())
    desk.apply([CROWD], now=0.0)
    assert registry.value("emotion.joy") == pytest.approx(0.3)
    desk.apply([Control("/emotion/joy", (1.0,)), CROWD], now=1.0)  # the crowd speaks after the VJ, in the same frame
    assert registry.value("emotion.joy") == 1.0
    hold = SOURCES["desk"].hold
    for now in (1.5, 2.0, 1.0 + hold - 0.1):  # the phones go on; the VJ's value holds
        desk.apply([CROWD], now=now)
        assert registry.value("emotion.joy") == 1.0
    assert "joy 1.00 desk" in "\n".join(desk.mix.lines(1.0 + hold - 0.1))
    desk.apply([CROWD], now=1.0 + hold + 0.1)
    assert registry.value("emotion.joy") == pytest.approx(0.3)
    assert "joy 0.30 crowd" in "\n".join(desk.mix.lines(1.0 + hold + 0.1))
    desk.apply([], now=60.0)  # nobody speaks: the room stays where it was left
    assert registry.value("emotion.joy") == pytest.approx(0.3) and "joy 0.30 -" in "\n".join(desk.mix.lines(60.0))


def test_a_scenes_value_is_a_cue_under_the_desk_and_over_the_crowd(registry):
    desk = Desk(registry, None, Malfunction(), Path("."), Rejections())
    desk.apply([CROWD], now=0.0)
    registry.set("emotion.joy", 0.8, immediate=True)  # as a scene's crossfade sets it
    desk.apply([CROWD], now=0.1)
    assert registry.value("emotion.joy") == pytest.approx(0.8) and "joy 0.80 cue" in "\n".join(desk.mix.lines(0.1))
    desk.apply([Control("/emotion/joy", (0.1,)), CROWD], now=0.2)
    assert registry.value("emotion.joy") == pytest.approx(0.1)
    desk.apply([CROWD], now=0.2 + SOURCES["desk"].hold + 0.1)  # the cue has lapsed too: the crowd's
    assert registry.value("emotion.joy") == pytest.approx(0.3)


def test_a_valence_arousal_pair_is_the_desks_word_too(registry):
    desk = Desk(registry, None, Malfunction(), Path("."), Rejections())
    desk.apply([Control("/emotion/va", (-1.0, 1.0)), Control("/crowd/feel", (1.0,) * 6)], now=0.0)
    assert registry.value("emotion.energy") == 1.0 and registry.value("emotion.joy") == 0.0


@pytest.fixture
def live(ctx, tmp_path):
    (tmp_path / "wall.toml").write_text(PRESET)
    show = LiveShow(ctx, load_piece(tmp_path / "wall.toml"), SMALL, 4, Listening(port=0, query_port=None),
                    connections=Connections(audience=("127.0.0.1", 0)))
    yield show
    show.close()


def steps_for(live, seconds, each=lambda: None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        each()
        live.step()
        time.sleep(0.02)


def test_joy_sent_over_osc_holds_while_phones_move_a_slider_and_the_crowd_has_it_after_the_vjs_hold(live):
    registry = live.piece.registry
    for visitor in range(5):  # a full room of phones feel joy 0.3
        call(live, "/api/feel", {"feelings": {"joy": 0.3}}, source=f"127.0.0.{visitor + 2}")
    steps_for(live, 1.5)
    assert registry.value("emotion.joy") == pytest.approx(0.3, abs=0.02)

    vj = SimpleUDPClient("127.0.0.1", live.osc.port)
    seen = []

    def vj_moves_and_phones_too():
        vj.send_message("/emotion/joy", 1.0)
        if len(seen) % 10 == 0:  # a visitor moves the slider, within what the page lets one phone send
            call(live, "/api/feel", {"feelings": {"joy": 0.3 + 0.01 * (len(seen) % 3)}}, source="127.0.0.2")
        seen.append(registry.value("emotion.joy"))

    steps_for(live, 2.0, vj_moves_and_phones_too)
    assert seen[-1] == 1.0 and all(value == 1.0 for value in seen[len(seen) // 3:])  # the VJ's, once it has landed
    assert "joy 1.00 desk" in "\n".join(live.hud_lines(60.0, 16.0))
    stopped = time.monotonic()
    steps_for(live, SOURCES["desk"].hold - 1.5)  # the VJ lets go; the phones still speak
    assert registry.value("emotion.joy") == 1.0
    steps_for(live, stopped + SOURCES["desk"].hold + 2.0 - time.monotonic())
    assert registry.value("emotion.joy") == pytest.approx(0.3, abs=0.04)  # the crowd's (its older voices fading a little)
    assert f"joy {registry.value('emotion.joy'):.2f} crowd" in "\n".join(live.hud_lines(60.0, 16.0))



def test_while_the_desk_holds_a_scenes_fade_does_not_take_the_emotion(registry):
    desk = Desk(registry, None, Malfunction(), Path("."), Rejections())
    desk.apply([Control("/emotion/joy", (0.9,))], now=0.0)
    registry.set("emotion.joy", 0.2, immediate=True)  # a crossfade sets its value for the frame
    desk.apply([], now=0.5)
    assert registry.value("emotion.joy") == pytest.approx(0.9) and "joy 0.90 desk" in "\n".join(desk.mix.lines(0.5))
