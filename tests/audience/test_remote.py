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


def test_the_token_is_kept_owner_only_and_the_same_across_restarts(tmp_path):
    from neoterra_glow.audience.remote import private_file, remote_token

    path = tmp_path / "remote-token"
    token = remote_token(path)
    assert len(token) >= 22 and path.read_text().strip() == token
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o644)  # someone opened it up
    assert remote_token(path) == token and path.stat().st_mode & 0o777 == 0o600
    path.unlink()  # how the operator renews it
    assert remote_token(path) != token
    private_file(tmp_path / "remote-qr.png", b"\x89PNG")
    assert (tmp_path / "remote-qr.png").stat().st_mode & 0o777 == 0o600


def test_the_remote_socket_takes_only_its_own_pages_origin_and_no_answer_sends_a_referer(live):  # noqa: F811
    token = live.audience.token
    here = f"127.0.0.1:{live.audience.port}"

    async def open_with(origin):
        headers = {"Origin": origin} if origin else {}
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"ws://{here}/remote/ws?token={token}", headers=headers) as socket:
                    await socket.close()
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    assert asyncio.run(open_with(f"http://{here}")) == 101
    assert asyncio.run(open_with(None)) == 101
    assert asyncio.run(open_with("http://evil.example")) == 403
    for path in ("/", "/remote/", f"/remote/state?token={token}", "/remote/state", "/no/such/page"):
        assert call(live, path)[1]["Referrer-Policy"] == "no-referrer", path


def test_the_remote_reads_the_waiting_list_a_page_at_a_time_and_can_turn_it_all_away(live):  # noqa: F811
    from tests.audience.test_no_blocking import fill

    waiting = fill(live, 45)
    token = live.audience.token
    state = json.loads(call(live, f"/remote/state?token={token}")[2])
    assert state["waiting"]["total"] == waiting and len(state["waiting"]["items"]) == 20
    last = json.loads(call(live, f"/remote/waiting?token={token}&page=2")[2])
    assert [item[0] for item in last["items"]] == list(live.audience.pending)[40:]
    assert call(live, "/remote/waiting?page=0")[0] == 403

    async def reject_all():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"ws://127.0.0.1:{live.audience.port}/remote/ws?token={token}") as socket:
                await socket.send_json({"address": "/audience/reject_all", "args": []})
                await asyncio.sleep(0.5)

    asyncio.run(reject_all())
    assert steps_until(live, lambda: not live.audience.pending)
    assert json.loads(call(live, f"/remote/state?token={token}")[2])["waiting"]["total"] == 0
