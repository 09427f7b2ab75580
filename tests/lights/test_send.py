"""The lights end to end on loopback: a real picture on the GPU, sampled, sent as sACN by the
`sacn` library (or as Art-Net) from its own thread, and read back by an independent E1.31 (or
ArtDmx) parser."""

import dataclasses
import sys
import time

import moderngl
import numpy as np
import pytest

from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.lights.fixtures import Fixture, Rig
from neoterra_glow.lights.sampler import Sampler, level_params
from tests.lights.receiver import Receiver
from tests.lights.test_sampler import sampled

pytest.importorskip("sacn", reason="the lights need the [lights] extra")
from neoterra_glow.lights.sender import LightSender  # noqa: E402


def _received(rig, colours, receiver: Receiver) -> Receiver:
    """What `receiver` got in 1.5 s of a sender pushing `colours` to `rig` on loopback."""
    sender = LightSender(rig, bind_address="127.0.0.1")
    try:
        sender.push(colours)
        time.sleep(1.5)
    finally:
        sender.close()
        receiver.close()
    return receiver


def _quadrants(ctx: moderngl.Context) -> moderngl.Texture:
    """A 256x144 picture: red top left, green top right, blue bottom left, grey (50%) bottom right."""
    picture = np.zeros((144, 256, 4), np.uint8)
    picture[:72, :128, 0] = picture[:72, 128:, 1] = picture[72:, :128, 2] = 255
    picture[72:, 128:, :3] = 128
    picture[..., 3] = 255
    return ctx.texture((256, 144), 4, picture[::-1].tobytes())  # GL's rows start at the bottom


RIG = Rig((Fixture("red", 1, 1, "rgb", (0.0, 0.0, 0.5, 0.5), gamma=1.0),
           Fixture("green", 1, 4, "rgbw", (0.6, 0.1, 0.1, 0.1), gamma=1.0, cap=0.5),
           Fixture("blue", 7, 100, "dimmer+rgb", (0.2, 0.8, 0.0, 0.0), gamma=1.0),
           Fixture("grey", 7, 1, "rgb", (0.5, 0.5, 0.5, 0.5), gamma=2.2, delay_ms=200)),
          rate=30, destination="127.0.0.1")


def test_fixtures_get_the_colours_of_their_regions_on_their_universes_at_the_rate(ctx: moderngl.Context) -> None:
    texture = _quadrants(ctx)
    sampler = Sampler(RIG, ShaderLibrary(ctx))
    colours = sampled(sampler, texture)
    registry = Registry(level_params(RIG))
    sampler.publish(registry, colours)
    assert registry.value("lights.red") == pytest.approx(1.0) and registry["lights.red"].measured
    texture.release()
    receiver = _received(RIG, colours, Receiver())
    one, seven = receiver.of(1), receiver.of(7)
    assert one and seven and {u for _, u, _ in receiver.packets} == {1, 7}
    assert list(one[-1][1][:7]) == [255, 0, 0, 0, 128, 0, 0]  # rgb red; rgbw green capped at half
    assert list(seven[-1][1][99:103]) == [255, 0, 0, 255]  # dimmer full, then the colour: blue
    assert list(seven[-1][1][:3]) == [56, 56, 56]  # 128/255 through gamma 2.2, sent after its delay
    times = [t for t, _ in one if t >= one[0][0] + 0.25]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 27 <= rate <= 31, f"{rate:.1f} packets a second, not 30"


def test_art_net_sends_the_same_channels_to_the_node_on_their_port_addresses(ctx: moderngl.Context) -> None:
    texture = _quadrants(ctx)
    colours = sampled(Sampler(RIG, ShaderLibrary(ctx)), texture)
    texture.release()
    port_address = 1 << 8 | 2 << 4 | 3  # net 1, sub-net 2, universe 3: past what one byte holds
    fixtures = (dataclasses.replace(f, universe=0 if f.universe == 1 else port_address) for f in RIG.fixtures)
    rig = dataclasses.replace(RIG, fixtures=tuple(fixtures), protocol="artnet", rate=40)
    receiver = _received(rig, colours, Receiver(artnet=True))
    first, other = receiver.of(0), receiver.of(port_address)
    assert {u for _, u, _ in receiver.packets} == {0, port_address} and len(first[-1][1]) == 512
    assert list(first[-1][1][:7]) == [255, 0, 0, 0, 128, 0, 0]
    assert list(other[-1][1][99:103]) == [255, 0, 0, 255] and list(other[-1][1][:3]) == [56, 56, 56]
    sequences = receiver.sequences[::2]  # one universe's: they alternate
    assert 0 not in receiver.sequences and all(b == a % 255 + 1 for a, b in zip(sequences, sequences[1:], strict=False))
    times = [t for t, _ in first if t >= first[0][0] + 0.25]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 37 <= rate <= 41, f"{rate:.1f} packets a second, not 40"
    print(f"Art-Net: {rate:.1f} packets a second a universe held")


def test_a_fixture_s_delay_holds_its_colour_back_by_that_long(ctx: moderngl.Context) -> None:
    receiver = Receiver()
    sender = LightSender(RIG, bind_address="127.0.0.1")
    try:
        sender.push(np.zeros((4, 3)))
        time.sleep(0.3)
        pushed = time.monotonic()
        sender.push(np.ones((4, 3)), pushed)
        time.sleep(0.6)
    finally:
        sender.close()
        receiver.close()
    red_at = next(t for t, data in receiver.of(1) if data[0] == 255)
    grey_at = next(t for t, data in receiver.of(7) if data[0] == 255)
    assert red_at - pushed < 1.5 / 30  # within a packet of the frame
    assert 0.2 <= grey_at - pushed < 0.2 + 1.5 / 30, f"sent {1000 * (grey_at - pushed):.0f} ms after the frame, not 200"


def test_a_strobing_picture_flashes_no_fixture_more_than_three_times_a_second(ctx: moderngl.Context) -> None:
    receiver = Receiver()
    sender = LightSender(RIG, bind_address="127.0.0.1")
    start = time.monotonic()
    try:
        frame = 0
        while time.monotonic() - start < 3.0:  # white and black, every frame at 30 frames a second
            sender.push(np.full((4, 3), float(frame % 2)))
            frame += 1
            time.sleep(1 / 30)
    finally:
        sender.close()
        receiver.close()
    levels = np.array([data[0] for t, data in receiver.of(1) if t > start + 0.1], float) / 255
    times = np.array([t for t, _ in receiver.of(1) if t > start + 0.1])
    changes = np.flatnonzero(np.abs(np.diff(levels)) >= 0.1) + 1
    assert len(changes) >= 6, "the lights should still follow the picture, three flashes a second"
    turns = times[changes]
    most = max(int(np.sum((turns >= t) & (turns < t + 1.0))) for t in turns)
    assert most <= 6, f"{most} changes in a second: {most / 2:.1f} flashes"


def test_without_the_library_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from neoterra_glow.errors import UserError
    monkeypatch.setitem(sys.modules, "sacn", None)
    with pytest.raises(UserError, match=r"pip install 'neoterra-glow\[lights\]'"):
        LightSender(RIG)
