"""The operator's remote over real HTTP and WebSocket: only with the token; it changes the
show's parameters and approves what waits; it sees values, the HUD and a preview."""

import asyncio
import io
import json
import time

import aiohttp
from PIL import Image

from tests.audience.test_participation import call, live, steps_until  # noqa: F401 (a fixture)


def test_the_remote_needs_the_token_and_runs_the_show(live):  # noqa: F811
    assert call(live, "/remote/state")[0] == 403
    assert call(live, "/remote/state?token=guess")[0] == 403
    token = live.audience.token
    assert steps_until(live, lambda: json.loads(call(live, f"/remote/state?token={token}")[2])["nodes"])
    state = json.loads(call(live, f"/remote/state?token={token}")[2])
    nodes = {node["FULL_PATH"]: node for node in state["nodes"]}
    assert nodes["/swarm/brightness"]["RANGE"] == [{"MIN": 0.0, "MAX": 20.0}] and "/output/blackout" in nodes
    assert "festival" in state["scenes"] and any(c["FULL_PATH"] == "/scene/go" for c in state["commands"])
    assert any(line.startswith("audience http://127.0.0.1") for line in state["hud"])

    url = f"ws://127.0.0.1:{live.audience.port}/remote/ws?token={token}"
    news = []

    async def operate():
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket:
            await socket.send_json({"address": "/swarm/brightness", "args": [3.5]})
            await socket.send_json({"address": "/output/blackout", "args": [True]})
            await socket.send_json({"nothing": 1})
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                message = await socket.receive(timeout=10)
                news.append(json.loads(message.data))
                if any(n.get("values", {}).get("/swarm/brightness") == [3.5] for n in news):
                    return

    result = {}

    def run():
        result["done"] = asyncio.run(operate())

    import threading

    worker = threading.Thread(target=run)
    worker.start()
    while worker.is_alive():
        live.step()
    assert live.piece.registry.value("swarm.brightness") == 3.5 and live.piece.registry.value("output.blackout") is True
    assert any("error" in n and "address" in n["error"] for n in news)  # a malformed change is answered, not applied
    assert any(n.get("values", {}).get("/swarm/brightness") == [3.5] for n in news)  # and the new value comes back

    assert steps_until(live, lambda: call(live, f"/remote/preview.jpg?token={token}")[2][:2] == b"\xff\xd8")
    preview = Image.open(io.BytesIO(call(live, f"/remote/preview.jpg?token={token}")[2]))
    assert preview.format == "JPEG" and preview.size == (256, 144)  # the output, small enough for a phone
