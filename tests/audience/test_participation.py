"""The participation page over real HTTP on loopback: a visitor's smile joins the wall, the
crowd's feelings move the room, and what a public page must refuse is refused."""

import http.client
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from tests.conftest import SMALL

PRESET = 'title = "wall"\nseed = 4\nglyphs = ["Elara", "Kai"]\n"swarm.count" = 20000\n"swarm.layout" = "wall"\n"swarm.hold" = 600.0\n'


def call(live, path, body=None, raw=None, source="127.0.0.1", headers=None):
    """(status, headers, bytes) of a request to the page's server, from a loopback address of
    our choosing (each phone at a venue has its own)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    connection = http.client.HTTPConnection("127.0.0.1", live.audience.port, timeout=20, source_address=(source, 0))
    try:
        connection.request("GET" if data is None else "POST", path, body=data,
                           headers={"Content-Type": "application/json", **(headers or {})})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


@pytest.fixture
def live(ctx, tmp_path):
    (tmp_path / "wall.toml").write_text(PRESET)
    show = LiveShow(ctx, load_piece(tmp_path / "wall.toml"), SMALL, 4, Listening(port=0, query_port=None),
                    connections=Connections(audience=("127.0.0.1", 0)), record=tmp_path / "set.oscrec")
    yield show
    show.close()


def steps_until(live, done, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        live.step()
        time.sleep(0.01)
    return done()


def test_a_visitor_sees_their_smile_and_sends_it_to_the_wall(live):
    status, headers, page = call(live, "/")
    assert status == 200 and b"Your smile, in light" in page
    status, headers, png = call(live, "/api/glyph", {"text": "Amara", "kind": "name", "visitor": "v1"})
    assert status == 200 and headers["Content-Type"] == "image/png"
    preview = np.asarray(Image.open(io.BytesIO(png)).convert("L"), np.float32)
    assert preview.shape == (256, 256) and (preview > 200).mean() > 0.01 and np.median(preview) < 40  # bright ink on dark water
    swarm = live.pipeline["swarm"]
    before = len(swarm.atlas)
    status, _, answer = call(live, "/api/send", {"text": "Amara", "kind": "name", "visitor": "v1"})
    assert status == 200 and json.loads(answer)["status"] == "on its way to the wall"
    assert steps_until(live, lambda: len(swarm.atlas) == before + 1)
    assert swarm.atlas.glyphs[-1].name == "Amara"
    assert steps_until(live, lambda: swarm.visits.current == before)  # the swarm goes to form it


def test_a_story_waits_for_the_operator(live):
    status, _, answer = call(live, "/api/send", {"text": "my grandmother sang to the sea", "kind": "story", "visitor": "v2"})
    assert status == 202 and "waiting" in json.loads(answer)["status"]
    assert steps_until(live, lambda: live.audience.pending)
    assert "waiting #1 my grandmother sang" in "\n".join(live.hud_lines(60.0, 16.0))
    before = len(live.pipeline["swarm"].atlas)
    live.inject("/audience/approve", 1)
    assert steps_until(live, lambda: len(live.pipeline["swarm"].atlas) == before + 1)


def test_the_crowds_feelings_move_the_room_and_one_visitor_cannot_take_it(live):
    call(live, "/api/feel", {"visitor": "alone", "feelings": {"joy": 1.0}})
    assert steps_until(live, lambda: live.piece.registry.value("emotion.joy") > 0.1)
    live.step()
    assert live.piece.registry.value("emotion.joy") == pytest.approx(0.2, abs=0.02)  # a fifth of the room at most
    for visitor in range(5):  # five phones, each at its own address
        call(live, "/api/feel", {"feelings": {"joy": 1.0, "calm": 0.5}}, source=f"127.0.0.{visitor + 2}")
    assert steps_until(live, lambda: live.piece.registry.value("emotion.joy") > 0.95)
    assert live.piece.registry.value("emotion.calm") == pytest.approx(5 * 0.5 / 6, abs=0.05)


@pytest.mark.parametrize("body, raw, status, says", [
    ({"text": "<script>alert(1)</script>", "kind": "name"}, None, 400, "simple punctuation only"),
    ({"text": "x" * 41, "kind": "name"}, None, 400, "40 characters at most"),
    ({"text": "fuck this", "kind": "name"}, None, 400, "cannot go on the wall"),
    (None, b"\xff\xfe{not utf-8", 400, "not understood"),
    (None, b"[1, 2]", 400, "not understood"),
    (None, json.dumps({"text": "a" * 5000}).encode(), 413, "too long"),
])
def test_what_a_public_page_must_refuse_is_refused_clearly(live, body, raw, status, says):
    got, _, answer = call(live, "/api/send", body, raw)
    assert got == status and says in json.loads(answer)["error"]
    live.step()
    assert len(live.pipeline["swarm"].atlas) == 2  # nothing reached the wall


def test_a_flood_from_one_address_is_slowed_and_counted(live):
    with ThreadPoolExecutor(40) as pool:  # all at once, as a script floods: a slow machine does not spread them out
        statuses = list(pool.map(lambda n: call(live, "/api/glyph", {"text": f"Name {n}", "visitor": f"v{n}"})[0], range(40)))
    assert statuses.count(429) >= 10 and 200 in statuses
    assert steps_until(live, lambda: live.audience.rejections.counts.get("too many", 0) >= 10, 3.0)


def test_a_visitor_who_leaves_mid_request_changes_nothing(live):
    import socket

    with socket.create_connection(("127.0.0.1", live.audience.port)) as half:
        half.sendall(b"POST /api/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"text\": \"Ha")
    assert steps_until(live, lambda: sum(live.audience.rejections.counts.values()) >= 1, 5.0)
    assert call(live, "/")[0] == 200  # the page goes on serving
    live.step()
    assert len(live.pipeline["swarm"].atlas) == 2
