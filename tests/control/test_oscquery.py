"""OSCQuery's WebSocket against a stranger: a page on another site cannot open it, one address
keeps a few sockets, and a socket that LISTENs to 300,000 paths costs the frame boundary nothing."""

import asyncio
import json
import statistics
import time

import aiohttp
import pytest

from neoterra_glow.control.oscquery import MAX_SOCKETS_PER_ADDRESS, OscQueryServer
from neoterra_glow.piece import load_piece


@pytest.fixture
def query():
    registry = load_piece("community-wall").registry
    server = OscQueryServer(registry, "127.0.0.1", 0, 9000)
    yield server
    server.close()


def connect(query, headers=None):
    """A WebSocket to the server, or the HTTP status that refused it."""

    async def attempt():
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"http://127.0.0.1:{query.port}/", headers=headers or {}) as socket:
                    await socket.close()
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    return asyncio.run(attempt())


def test_a_page_on_another_site_cannot_open_the_socket(query):
    here = f"127.0.0.1:{query.port}"
    assert connect(query) == 101  # a native controller sends no Origin
    assert connect(query, {"Origin": f"http://{here}"}) == 101  # a page this server served
    assert connect(query, {"Origin": "http://evil.example"}) == 403
    rebound = f"evil.example:{query.port}"  # a stranger's name pointed at this machine
    assert connect(query, {"Origin": f"http://{rebound}", "Host": rebound}) == 403


def test_one_address_keeps_a_few_sockets(query):
    async def crowd():
        async with aiohttp.ClientSession() as session:
            sockets, statuses = [], []
            for _ in range(MAX_SOCKETS_PER_ADDRESS + 2):
                try:
                    sockets.append(await session.ws_connect(f"http://127.0.0.1:{query.port}/"))
                    statuses.append(101)
                except aiohttp.WSServerHandshakeError as refused:
                    statuses.append(refused.status)
            for socket in sockets:
                await socket.close()
            return statuses

    assert asyncio.run(crowd()) == [101] * MAX_SOCKETS_PER_ADDRESS + [429, 429]
    assert connect(query) == 101  # once they close, the address is welcome again


def test_a_socket_listening_to_300000_paths_costs_the_frame_nothing(query):
    registry = query.registry

    async def flood():
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"http://127.0.0.1:{query.port}/") as socket:
                try:
                    for n in range(300_000):
                        path = "/swarm/hold" if n % 2 else f"/swarm/hold/{n}"
                        await socket.send_str(json.dumps({"COMMAND": "LISTEN", "DATA": path}))
                except ConnectionError:
                    pass  # closed on us: the point
                closed = await socket.receive(timeout=30)
            costs = []
            for _ in range(30):
                started = time.perf_counter()
                query.publish(registry)
                costs.append(time.perf_counter() - started)
            async with session.ws_connect(f"http://127.0.0.1:{query.port}/") as socket:  # a fair client is still heard
                await socket.send_str(json.dumps({"COMMAND": "LISTEN", "DATA": "/swarm/brightness"}))
                await asyncio.sleep(0.2)
                query.publish(registry)
                value = await socket.receive(timeout=5)
            return closed, statistics.median(costs), value.data

    closed, cost, value = asyncio.run(flood())
    assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    assert cost < 1e-3, f"publish took {cost * 1e3:.1f} ms a frame"
    assert query.refused >= 1000  # the paths no parameter has, and then the flood itself
    assert value.startswith(b"/swarm/brightness\0")
