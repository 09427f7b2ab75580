"""Visitors' own words over the real page (its own process, HTTP on loopback): apostrophes as
phones type them, names in any script, emoji and whole names reach the wall; words that are
offensive in other languages, or spelt with look-alike letters, are turned away."""

import http.client
import json
import time

import pytest

from neoterra_glow.audience.server import AudienceServer
from neoterra_glow.pipeline import declare_params

WALES = "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"  # the black flag and its tags: g b w l s
SENT = iter(range(1, 250))  # each request from an address of its own, as phones at a venue are


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    server = AudienceServer("127.0.0.1", 0, token_file=tmp_path_factory.mktemp("remote") / "token")
    yield server
    server.close()


def send(page, text: str, kind: str = "name") -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", page.port, timeout=30, source_address=(f"127.0.3.{next(SENT)}", 0))
    try:
        connection.request("POST", "/api/send", body=json.dumps({"text": text, "kind": kind}),
                           headers={"Content-Type": "application/json"})
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def on_the_wall(page, registry, text: str, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(control.address == "/wall/add" and control.args == (text,) for control in page.take(registry)):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("name", ["O’Brien", "प्रिया", "Ana 🌸", "1️⃣ Kai", f"{WALES} Cerys",
                                  "👨\u200d👩\u200d👧\u200d👦" * 8, "Mr Dick Van Dyke!", "Amina", "Concha"])
def test_a_visitors_name_goes_on_the_wall(page, name):
    registry = declare_params()
    page.take(registry)  # the page hears the show's settings: names go straight to the wall
    assert send(page, name) == (200, {"status": "on its way to the wall"})
    assert on_the_wall(page, registry, name)


def test_a_story_in_a_phones_apostrophes_waits_for_the_host_as_written(page):
    story = "I’m happy we came, didn’t expect the sea to glow 🌊"
    status, _ = send(page, story, "story")
    assert status == 202
    deadline = time.monotonic() + 30
    while story not in [text for _, text in page.pending.values()] and time.monotonic() < deadline:
        page.take(declare_params())
        time.sleep(0.02)
    assert ("story", story) in page.pending.values()


@pytest.mark.parametrize("text", ["hijo de puta", "Scheiße!", "kurwa", "блядь", "चूतिया", "傻 逼", "fսck", "🅵🆄🅲🅺",
                                  "a\U000e0041\U000e0042"])
def test_offensive_words_in_any_language_and_hidden_tricks_are_turned_away(page, text):
    status, answer = send(page, text)
    assert status == 400 and answer["error"] in ("that cannot go on the wall",
                                                 "letters, numbers, emoji, spaces and simple punctuation only")
