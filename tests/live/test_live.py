"""A headless live show on the test context, driven over real UDP on loopback."""

import json
import math
import socket
import struct
import time
import urllib.error
import urllib.request

import numpy as np
import pytest
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.core.params import Kind
from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL, claimed_png, pixels

PRESET = """
title = "live test"
seed = 4
glyphs = ["Elara"]

[swarm]
count = 20000

[murals.field]
brightness = 0.3

[[layers]]
shader = "field"

[[layers]]
shader = "cells"
blend = "add"
opacity = 0.5

[[drive]]
emotion = "joy"
param = "murals.field.brightness"
to = 3.0
"""


@pytest.fixture
def live(ctx, tmp_path):
    path = tmp_path / "live.toml"
    path.write_text(PRESET)
    show = LiveShow(ctx, load_piece(path), SMALL, 4, Listening(port=0, query_port=0))
    show.piece.registry.set("emotion.attack", 0.0)
    yield show
    show.close()


def client(live) -> SimpleUDPClient:
    return SimpleUDPClient("127.0.0.1", live.osc.port)


def arrive(live, count: int) -> None:
    """Wait until the receive thread has queued `count` messages in all (UDP is asynchronous)."""
    deadline = time.monotonic() + 5
    while live.osc.received < count and time.monotonic() < deadline:
        time.sleep(0.005)
    assert live.osc.received >= count


def image(live) -> np.ndarray:
    return pixels(live.step(), 3)


def test_an_emotion_over_udp_changes_the_next_frame_as_the_preset_drives_it(live):
    before = image(live)
    assert live.frame.params["murals.field.brightness"] == pytest.approx(0.3)
    client(live).send_message("/emotion/joy", 1.0)
    arrive(live, 1)
    after = image(live)
    assert live.frame.params["emotion.joy"] == 1.0
    assert live.frame.params["murals.field.brightness"] == pytest.approx(3.0)
    assert after.mean() > 1.3 * before.mean()  # the room's ground keeps the murals under the faces: 1.47 times


def test_a_parameter_over_udp_glides_from_the_next_frame(live):
    image(live)
    client(live).send_message("/murals/field/brightness", 2.0)
    arrive(live, 1)
    image(live)
    first = live.frame.params["murals.field.brightness"]
    assert 0.3 < first < 2.0  # it has set off, smoothly
    started = time.monotonic()
    while time.monotonic() < started + 2.0:
        live.step()
    assert live.frame.params["murals.field.brightness"] == pytest.approx(2.0, abs=0.02)


def test_patterns_reach_every_matching_parameter(live):
    client(live).send_message("/murals/*/opacity", 0.25)
    arrive(live, 1)
    live.step()
    registry = live.piece.registry
    assert registry.value("murals.field.opacity") == registry.value("murals.cells.opacity") == 0.25


def test_bundles_wait_for_their_timetag_and_apply_together(live):
    later = OscBundleBuilder(time.time() + 0.4)
    for address, value in (("/swarm/size", 7.0), ("/swarm/flow", 2.0)):
        message = OscMessageBuilder(address)
        message.add_arg(value)
        later.add_content(message.build())
    now = OscBundleBuilder(IMMEDIATELY)
    message = OscMessageBuilder("/swarm/tremble")
    message.add_arg(1.5)
    now.add_content(message.build())
    sender = client(live)
    sender.send(later.build())
    sender.send(now.build())
    arrive(live, 3)
    live.step()
    registry = live.piece.registry
    assert registry.value("swarm.tremble") == 1.5
    assert registry.value("swarm.size") != 7.0 and registry.value("swarm.flow") != 2.0
    time.sleep(0.45)
    live.step()
    assert registry.value("swarm.size") == 7.0 and registry.value("swarm.flow") == 2.0


def osc(address: str, tags: str, payload: bytes) -> bytes:
    def padded(text: bytes) -> bytes:
        return text + b"\0" * (4 - len(text) % 4)

    return padded(address.encode()) + padded(("," + tags).encode()) + payload


CORPUS = [
    b"",
    b"garbage",
    b"\xff" * 97,
    osc("/swarm/count", "i", b""),  # the int is missing
    osc("/swarm/layout", "s", b"cen"),  # a string with no end
    b"#bundle\0\0\0",  # a bundle cut short
    b"#bundle\0" + b"\0" * 8 + struct.pack(">i", 9999) + b"/x",  # an element longer than the packet
    osc("/swarm/size", "Z", b"\0\0\0\0"),  # a type tag OSC does not have
    osc("/swarm/size", "f", struct.pack(">f", math.nan)),
    osc("/swarm/size", "f", struct.pack(">f", math.inf)),
    osc("/swarm/size", "s", b"big\0"),
    osc("/swarm/size", "ff", struct.pack(">ff", 1.0, 2.0)),
    osc("/swarm/layout", "s", b"spiral\0\0"),
    osc("/swarm/palette/core", "s", b"teal\0\0\0\0"),
    osc("/no/such/thing", "f", struct.pack(">f", 1.0)),
    osc("/murals/[abc/opacity", "f", struct.pack(">f", 1.0)),
    osc("/murals/add", "s", b"nebula\0\0"),
    osc("/murals/remove", "s", b"nothing\0"),
    osc("/emotion/va", "f", struct.pack(">f", 0.5)),
    b"/" + b"x" * 60000,
]


def test_a_corpus_of_bad_packets_changes_nothing_but_the_counters(live):
    registry = live.piece.registry
    live.step()
    values = {p.path: registry.value(p.path) for p in registry}
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for packet in CORPUS:
        raw.sendto(packet, ("127.0.0.1", live.osc.port))
    raw.close()
    time.sleep(0.3)
    for _ in range(3):
        assert live.step() is not None  # still rendering
    assert {p.path: registry.value(p.path) for p in registry} == values
    counts = live.osc.rejections.counts
    assert counts["malformed packet"] >= 8
    for kind in ("not a number", "wrong type", "unknown address", "bad pattern", "refused layer"):
        assert counts[kind] >= 1, (kind, counts)
    assert sum(counts.values()) >= len(CORPUS) - 1
    client(live).send_message("/swarm/size", 5.0)  # and it still answers
    time.sleep(0.1)
    live.step()
    assert registry.value("swarm.size") == 5.0


def test_senders_off_the_allow_list_are_refused(ctx, tmp_path):
    path = tmp_path / "live.toml"
    path.write_text(PRESET)
    show = LiveShow(ctx, load_piece(path), SMALL, 4, Listening(port=0, query_port=0, allow=frozenset({"10.0.0.9"})))
    try:
        SimpleUDPClient("127.0.0.1", show.osc.port).send_message("/swarm/size", 9.0)
        time.sleep(0.2)
        show.step()
        assert show.osc.rejections.counts["refused sender"] == 1
        assert show.piece.registry.value("swarm.size") != 9.0
        with pytest.raises(urllib.error.HTTPError) as refused:  # OSCQuery keeps to the same list
            urllib.request.urlopen(f"http://127.0.0.1:{show.query.port}/swarm", timeout=5)
        assert refused.value.code == 403
    finally:
        show.close()


def test_mural_layers_are_added_moved_and_removed_over_osc(live):
    sender = client(live)
    sender.send_message("/murals/add", ["aurora", "sky", 0])
    arrive(live, 1)
    live.step()
    assert live.pipeline["murals"].names() == ["sky", "field", "cells"]
    assert "murals.sky.height" in live.piece.registry
    sender.send_message("/murals/move", ["sky", 2])
    sender.send_message("/murals/remove", ["cells"])
    arrive(live, 3)
    live.step()
    assert live.pipeline["murals"].names() == ["field", "sky"]
    assert "murals.cells.size" not in live.piece.registry


def test_many_messages_at_twenty_thousand_a_second_arrive_without_loss_while_rendering(live):
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    message = OscMessageBuilder("/swarm/brightness")
    message.add_arg(0.7)
    packet = message.build().dgram
    sent, started = 0, time.perf_counter()
    while sent < 4000:
        for _ in range(100):
            sender.sendto(packet, ("127.0.0.1", live.osc.port))
        sent += 100
        live.step()
        while time.perf_counter() < started + sent / 20000:
            time.sleep(0.0005)
    sender.close()
    arrive(live, 4000)
    live.step()
    assert live.desk.applied == 4000


def get(live, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{live.query.port}{path}", timeout=5) as response:
        return response.status, json.loads(response.read())


def test_oscquery_serves_every_parameter_a_sender_may_set_with_the_spec_fields(live):
    _, root = get(live, "/")
    registry = live.piece.registry
    assert "flash_guard" not in root["CONTENTS"]["output"]["CONTENTS"]  # local: only the preset sets it
    for param in registry.listed():
        node = root
        for part in param.osc_address.strip("/").split("/"):
            node = node["CONTENTS"][part]
        assert node["FULL_PATH"] == param.osc_address
        assert node["DESCRIPTION"] == param.doc
        assert node["ACCESS"] == (2 if param.kind is Kind.TRIGGER else 1 if param.measured else 3)  # measured: read-only
        assert node["TYPE"] in ("f", "i", "T", "r", "ff", "s", "I")
        if param.kind in (Kind.FLOAT, Kind.INT):
            assert node["RANGE"] == [{"MIN": param.range[0], "MAX": param.range[1]}]
            assert node["VALUE"] == [registry.value(param.path)]
        if param.kind is Kind.ENUM:
            assert node["RANGE"] == [{"VALS": list(param.choices)}]
    _, info = get(live, "/?HOST_INFO")
    assert info["OSC_PORT"] == live.osc.port and info["OSC_TRANSPORT"] == "UDP"
    assert get(live, "/swarm/palette/core?VALUE")[1]["VALUE"][0].startswith("#")
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(live, "/swarm/nothing")
    assert missing.value.code == 404


def test_oscquery_shows_what_osc_changed_and_layers_added_live(live):
    sender = client(live)
    sender.send_message("/swarm/hold", 12.5)
    sender.send_message("/murals/add", ["ribbons"])
    arrive(live, 2)
    live.step()
    assert get(live, "/swarm/hold?VALUE")[1] == {"VALUE": [12.5]}
    assert get(live, "/murals/ribbons/width")[1]["RANGE"] == [{"MIN": 0.01, "MAX": 0.4}]


def test_a_glitch_fired_over_osc_breaks_the_next_frame(live):
    calm = image(live)
    client(live).send_message("/glitch/trigger", ["split", 1.0, 0.5, "hold"])
    client(live).send_message("/glitch/trigger", ["melt", 1.0])
    arrive(live, 2)
    broken = image(live)
    assert live.frame.faults["split"] > 0.9
    assert np.abs(broken - calm).mean() > 0.01
    assert live.osc.rejections.counts["refused fault"] == 1


def test_a_broken_isf_layer_sent_live_is_refused_and_the_show_goes_on(live, tmp_path):
    (tmp_path / "broken.fs").write_text('/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = nope; }\n')
    client(live).send_message("/murals/add", [str(tmp_path / "broken.fs")])
    arrive(live, 1)
    live.step()
    assert live.pipeline["murals"].names() == ["field", "cells"]
    assert live.osc.rejections.counts["refused layer"] == 1


def test_a_value_sent_many_times_in_a_frame_is_applied_once_with_its_last_value(live):
    for value in range(1, 501):
        live.inject("/swarm/hold", float(value))
    live.inject("/swarm/scatter")
    live.inject("/glitch/trigger", "tear", 0.5, 0.5)
    live.inject("/glitch/trigger", "split", 0.5, 0.5)
    live.step()
    assert live.piece.registry.value("swarm.hold") == 500.0
    assert len(live.piece.malfunction.active) == 2  # commands are never merged


def test_control_past_the_frame_budget_is_dropped_and_counted_and_the_frame_goes_on(live):
    # every message a different pattern: each one costs a regex and a walk over the registry
    for n in range(4000):
        live.inject(f"/*/{'?' * (n % 40 + 1)}x{n}", 1.0)
    live.inject("/swarm/hold", 42.0)  # a plain value still lands
    live.step()
    counts = live.osc.rejections.counts
    assert 0 < counts["over budget"] < 4000
    assert counts["over budget"] + counts["unknown address"] == 4000
    assert live.piece.registry.value("swarm.hold") == 42.0


def test_refusals_cost_no_lookup_until_they_are_reported(live):
    asked = []
    reason = lambda: asked.append(1) or "why"  # noqa: E731
    for _ in range(1000):
        live.osc.rejections.count("unknown address", reason)
    assert live.osc.rejections.counts["unknown address"] == 1000 and len(asked) <= 1


def test_a_layer_whose_imported_image_is_not_an_image_is_refused_and_the_show_goes_on(live, tmp_path):
    (tmp_path / "notes.txt").write_text("not a picture\n")
    (tmp_path / "imports.fs").write_text(
        '/*{"ISFVSN": "2", "IMPORTED": {"tex": {"PATH": "notes.txt"}}}*/\n'
        "void main() { gl_FragColor = IMG_NORM_PIXEL(tex, isf_FragNormCoord); }\n"
    )
    live.inject("/murals/add", str(tmp_path / "imports.fs"))
    live.step()
    live.step()
    assert live.pipeline["murals"].names() == ["field", "cells"]
    assert sum(live.osc.rejections.counts[kind] for kind in ("refused", "refused layer")) == 1


def test_live_faults_are_capped_in_number_and_length(live):
    for _ in range(40):
        live.inject("/glitch/trigger", "tear", 0.5, 30.0)
    live.inject("/glitch/trigger", "split", 0.5, 3600.0)
    live.step()
    assert len(live.piece.malfunction.active) == 32
    assert live.osc.rejections.counts["refused fault"] == 9


def test_bundles_timed_far_ahead_are_refused_and_the_queue_is_bounded(live):
    sender = client(live)
    far = OscBundleBuilder(time.time() + 3600)
    message = OscMessageBuilder("/swarm/hold")
    message.add_arg(9.0)
    far.add_content(message.build())
    sender.send(far.build())
    for _ in range(42):
        soon = OscBundleBuilder(time.time() + 300)
        for _ in range(500):
            soon.add_content(message.build())
        sender.send(soon.build())
    arrive(live, 1 + 42 * 500)
    live.step()
    assert live.osc.rejections.counts["too far ahead"] == 1
    assert live.osc.rejections.counts["too many waiting"] == 42 * 500 - 20_000


def test_a_receiver_that_dies_is_started_again_on_the_same_port(live):
    port = live.osc.port
    live.osc._process.kill()
    live.osc._process.join()
    live.step()
    assert live.osc.restarts == 1 and live.osc.port == port
    client(live).send_message("/swarm/hold", 42.0)
    arrive(live, 1)
    live.step()
    assert live.piece.registry.value("swarm.hold") == 42.0


def test_a_layer_importing_an_image_that_claims_to_be_huge_is_refused_before_decoding(live, tmp_path):
    claimed_png(tmp_path / "huge.png", 100_000, 100_000)
    (tmp_path / "huge.fs").write_text(
        '/*{"ISFVSN": "2", "IMPORTED": {"tex": {"PATH": "huge.png"}}}*/\n'
        "void main() { gl_FragColor = IMG_NORM_PIXEL(tex, isf_FragNormCoord); }\n"
    )
    live.inject("/murals/add", str(tmp_path / "huge.fs"))
    live.step()
    assert live.pipeline["murals"].names() == ["field", "cells"]
    assert live.osc.rejections.counts["refused layer"] == 1


def test_senders_cannot_make_the_show_read_files_outside_its_folders(ctx, tmp_path, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "secret.toml").write_text('title = "secret"\n')
    (elsewhere / "layer.fs").write_text('/*{"ISFVSN": "2"}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n')
    (elsewhere / "pixel.png").write_bytes(b"")  # never opened
    (tmp_path / "peeks.fs").write_text(
        f'/*{{"ISFVSN": "2", "IMPORTED": {{"tex": {{"PATH": "{elsewhere / "pixel.png"}"}}}}}}*/\n'
        "void main() { gl_FragColor = IMG_NORM_PIXEL(tex, isf_FragNormCoord); }\n"
    )
    (tmp_path / "live.toml").write_text(PRESET)
    show = LiveShow(ctx, load_piece(tmp_path / "live.toml"), SMALL, 4, Listening(port=0, query_port=None))
    try:
        show.inject("/scene/go", str(elsewhere / "secret.toml"), 1.0)
        show.inject("/scene/go", "../" * 12 + str(elsewhere / "secret.toml").lstrip("/"), 1.0)
        show.inject("/murals/add", str(elsewhere / "layer.fs"))
        show.inject("/murals/add", "peeks.fs")
        show.step()
        assert show.osc.rejections.counts["outside the show's folders"] == 4
        assert show.piece.preset.title == "live test" and show.pipeline["murals"].names() == ["field", "cells"]
    finally:
        show.close()
    allowed = LiveShow(ctx, load_piece(tmp_path / "live.toml"), SMALL, 4, Listening(port=0, query_port=None),
                       allow_dirs=(elsewhere,))
    try:
        allowed.inject("/murals/add", str(elsewhere / "layer.fs"))
        allowed.step()
        assert "layer" in allowed.pipeline["murals"].names()  # the operator allowed that folder
    finally:
        allowed.close()


def test_oscquery_lists_the_commands_and_answers_browsers(live):
    _, root = get(live, "/")
    trigger = root["CONTENTS"]["glitch"]["CONTENTS"]["trigger"]
    assert trigger["TYPE"] == "sffs" and trigger["ACCESS"] == 2 and "VALUE" not in trigger  # write-only: no value
    assert root["CONTENTS"]["scene"]["CONTENTS"]["go"]["TYPE"] == "sf"
    assert root["CONTENTS"]["cue"]["FULL_PATH"] == "/cue"
    assert root["CONTENTS"]["emotion"]["CONTENTS"]["va"]["TYPE"] == "ff"
    assert "VALUE" not in root["CONTENTS"]["swarm"]["CONTENTS"]["scatter"]  # a write-only trigger has no VALUE (the spec)
    with urllib.request.urlopen(f"http://127.0.0.1:{live.query.port}/swarm/scatter?RANGE", timeout=5) as response:
        assert response.status == 204 and response.read() == b""  # nothing to say, and no body
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_mural_stack_has_a_ceiling(live):
    for n in range(40):
        live.inject("/murals/add", "ribbons", f"r{n}")
        live.step()
    assert len(live.pipeline["murals"].names()) == 12
    assert live.osc.rejections.counts["refused layer"] == 40 - 10


def test_oscquery_clients_find_every_parameter_with_python_oscquery(live):
    from pythonoscquery.osc_query_client import OSCQueryClient
    from zeroconf import ServiceInfo

    info = ServiceInfo("_oscjson._tcp.local.", "neoterra-glow._oscjson._tcp.local.",
                       addresses=[socket.inet_aton("127.0.0.1")], port=live.query.port)
    client = OSCQueryClient(info)
    assert client.get_host_info().osc_port == live.osc.port
    # python-oscquery 0.4 refuses a write-only node without VALUE, which the spec asks for: it reads leaves with values
    assert client.query_node("/swarm/hold").value == [live.piece.registry.value("swarm.hold")]


def test_oscquery_streams_values_and_namespace_changes_over_a_websocket(live):
    import asyncio

    import aiohttp
    from pythonosc.osc_message import OscMessage

    async def listen():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"http://127.0.0.1:{live.query.port}/") as socket_:
                await socket_.send_str(json.dumps({"COMMAND": "LISTEN", "DATA": "/swarm/hold"}))
                await asyncio.sleep(0.2)
                live.step()  # the current value first
                first = OscMessage((await socket_.receive(timeout=5)).data)
                live.inject("/swarm/hold", 42.0)
                live.step()
                changed = OscMessage((await socket_.receive(timeout=5)).data)
                live.inject("/murals/add", "ribbons")
                live.step()
                namespace = json.loads((await socket_.receive(timeout=5)).data)
                await socket_.send_str(json.dumps({"COMMAND": "IGNORE", "DATA": "/swarm/hold"}))
                await asyncio.sleep(0.2)
                live.inject("/swarm/hold", 43.0)
                live.step()
                with pytest.raises(asyncio.TimeoutError):
                    await socket_.receive(timeout=0.5)
                return first, changed, namespace

    before = live.piece.registry.value("swarm.hold")
    first, changed, namespace = asyncio.run(listen())
    assert first.address == "/swarm/hold" and first.params == [before]
    assert changed.address == "/swarm/hold" and changed.params == [42.0]
    assert namespace == {"COMMAND": "PATH_CHANGED", "DATA": "/"}
    assert get(live, "/?HOST_INFO")[1]["EXTENSIONS"]["LISTEN"] is True
