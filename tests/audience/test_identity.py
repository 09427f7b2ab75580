"""Visitors the client cannot forge (issue 21, finding 12): who a visitor is, the server says
with a cookie it signs, and the crowd hears one voice per address, so a phone that makes up
138 visitors moves the room no more than one honest visitor."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.audience.test_participation import call, live, steps_until  # noqa: F401 (a fixture)


def cookie(headers) -> str | None:
    """The visitor cookie a response sets, as `visitor=...`, if it sets one."""
    value = headers.get("Set-Cookie")
    return value.split(";")[0] if value and value.startswith("visitor=") else None


def test_the_server_names_each_visitor_with_a_cookie_it_signed(live):  # noqa: F811
    status, headers, _ = call(live, "/")
    issued = cookie(headers)
    assert status == 200 and issued and "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    assert cookie(call(live, "/", headers={"Cookie": issued})[1]) is None  # known: kept
    forged = issued[:-4] + ("0000" if not issued.endswith("0000") else "1111")
    assert cookie(call(live, "/", headers={"Cookie": forged})[1]) not in (None, forged)  # unknown: a new one


def test_a_visitor_is_limited_by_the_cookie_not_by_an_id_it_chooses(live):  # noqa: F811
    issued = cookie(call(live, "/")[1])
    statuses = [call(live, "/api/glyph", {"text": f"Name {n}", "kind": "name", "visitor": f"forged-{n}"},
                     headers={"Cookie": issued})[0] for n in range(10)]
    assert statuses[:6] == [200] * 6 and 429 in statuses[6:]  # a visitor's burst is six, whatever ids it sends


def test_138_forged_visitors_from_one_address_move_the_room_as_one(live):  # noqa: F811
    def forged(n):
        return call(live, "/api/feel", {"visitor": f"forged-{n}", "feelings": {"joy": 1.0, "grief": 1.0}})[0]

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(forged, range(138)))
    assert statuses.count(200) >= 10
    assert steps_until(live, lambda: live.piece.registry.value("emotion.joy") > 0.1)
    for _ in range(10):
        live.step()
    joy, grief = live.piece.registry.value("emotion.joy"), live.piece.registry.value("emotion.grief")
    assert joy == pytest.approx(0.2, abs=0.02) and grief == pytest.approx(0.2, abs=0.02)  # one honest visitor's share
    assert live.audience.visitors == 1
    honest = call(live, "/api/feel", {"feelings": {"joy": 1.0}}, source="127.0.0.9")
    assert honest[0] == 200 and json.loads(honest[2])["status"] == "felt"
    assert steps_until(live, lambda: live.audience.visitors == 2)
