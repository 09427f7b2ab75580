"""The audience page is supervised (issue 21, finding 14): its process killed, the show starts
it again on the same port, so the QR codes on the wall work again, and what waited still waits."""

import json
import os
import signal
import time

from tests.audience.test_participation import call, live, steps_until  # noqa: F401 (a fixture)


def answers(show, path="/"):
    try:
        return call(show, path)[0]
    except OSError:
        return None


def test_a_killed_page_comes_back_on_its_port_with_what_waited(live):  # noqa: F811
    port, url, qr = live.audience.port, live.audience.url, live.audience.qr_png()
    assert call(live, "/api/send", {"text": "a story that waits", "kind": "story"})[0] == 202
    assert steps_until(live, lambda: live.audience.pending)
    os.kill(live.audience._process.pid, signal.SIGKILL)
    assert steps_until(live, lambda: live.audience.restarts == 1, 10.0)
    assert steps_until(live, lambda: answers(live) == 200, 60.0)
    assert (live.audience.port, live.audience.url, live.audience.qr_png()) == (port, url, qr)  # the printed codes hold
    assert live.audience.rejections.counts["page stopped"] == 1
    token = live.audience.token
    assert steps_until(live, lambda: json.loads(call(live, f"/remote/state?token={token}")[2])["waiting"]["total"] == 1)
    before = len(live.pipeline["swarm"].atlas)
    assert call(live, "/api/send", {"text": "Back again", "kind": "name"}, source="127.0.0.7")[0] == 200
    assert steps_until(live, lambda: len(live.pipeline["swarm"].atlas) == before + 1)


def test_a_page_that_keeps_dying_is_started_again_less_and_less_often(live):  # noqa: F811
    waits = []
    for _ in range(3):
        restarts, killed = live.audience.restarts, time.monotonic()
        os.kill(live.audience._process.pid, signal.SIGKILL)
        assert steps_until(live, lambda restarts=restarts: live.audience.restarts == restarts + 1, 30.0)
        waits.append(time.monotonic() - killed)
    assert waits[0] < 2.5 and waits[1] > 1.8 and waits[2] > 3.8, waits  # 1 s, 2 s, 4 s: a crash loop costs little
