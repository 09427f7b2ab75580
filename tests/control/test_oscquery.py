"""OSCQuery's WebSocket against a stranger: a page on another site cannot open it, one address
keeps a few sockets, and a socket that LISTENs to 300,000 paths costs the frame boundary nothing;
and its HTTP answers as the spec says, with an address a client can reach."""

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


def status_of(port, path, host="127.0.0.1"):
    """(status, body) of a plain HTTP GET, as any OSCQuery client makes it."""
    import http.client

    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_write_only_nodes_carry_no_value_and_unsupported_attributes_answer_no_content(query):
    status, body = status_of(query.port, "/")
    root = json.loads(body)
    scatter, trigger = root["CONTENTS"]["swarm"]["CONTENTS"]["scatter"], root["CONTENTS"]["glitch"]["CONTENTS"]["trigger"]
    assert scatter["ACCESS"] == 2 and "VALUE" not in scatter and "VALUE" not in trigger
    assert status_of(query.port, "/swarm/scatter?VALUE") == (204, b"")  # write-only: nothing to read
    assert status_of(query.port, "/glitch/trigger?VALUE") == (204, b"")
    assert status_of(query.port, "/swarm/hold?UNIT") == (204, b"")  # an attribute this server does not support
    assert status_of(query.port, "/swarm/hold?CLIPMODE") == (204, b"")
    status, body = status_of(query.port, "/swarm/hold?VALUE")
    assert status == 200 and json.loads(body) == {"VALUE": [query.registry.value("swarm.hold")]}
    assert status_of(query.port, "/no/such/node?VALUE")[0] == 404


def routable():
    """This machine's address on its network, or None where it has only loopback."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return None


def test_a_show_on_every_interface_tells_clients_an_address_they_reach_and_mdns_a_routable_one():
    import os
    import subprocess
    import sys

    pytest.importorskip("zeroconf")
    name = f"neoterra-test-{os.getpid()}"
    server = OscQueryServer(load_piece("community-wall").registry, "0.0.0.0", 0, 9000, name=name)
    try:
        info = json.loads(status_of(server.port, "/?HOST_INFO")[1])
        assert info["OSC_IP"] == "127.0.0.1" and info["OSC_PORT"] == 9000  # asked on loopback: loopback, not 0.0.0.0
        address = routable()
        if address is None:
            pytest.skip("this machine has no network address but loopback")
        info = json.loads(status_of(server.port, "/?HOST_INFO", host=address)[1])
        assert info["OSC_IP"] == address  # asked on the network: the address it was reached at
    finally:
        server.close()
    # mDNS between processes of their own, as a show and a controller on the network are: a show advertising
    show = subprocess.Popen([sys.executable, "-c", ADVERTISING, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port, advertised = show.stdout.readline().split()
        assert advertised == address and not address.startswith("127.")
        # and what a controller hears, over real mDNS; it asks from a port of its own, as a controller on another machine
        # does: on one machine every mDNS stack shares port 5353, and an answer sent there reaches only one of them
        heard = subprocess.run(
            [sys.executable, "-c", "import socket, sys; from zeroconf import Zeroconf; z = Zeroconf(unicast=True); "
             "i = z.get_service_info('_oscjson._tcp.local.', sys.argv[1], timeout=5000); z.close(); "
             "print(i.port, *[socket.inet_ntoa(a) for a in i.addresses]) if i else print('none')", f"{name}._oscjson._tcp.local."],
            capture_output=True, text=True, timeout=30).stdout.split()
        assert heard == [port, address]
    finally:
        show.communicate("", timeout=30)


ADVERTISING = """
import sys
from neoterra_glow.control.oscquery import OscQueryServer
from neoterra_glow.piece import load_piece
server = OscQueryServer(load_piece("community-wall").registry, "0.0.0.0", 0, 9000, name=sys.argv[1])
print(server.port, server.advertised if server.advertise() else "none", flush=True)
sys.stdin.read()
server.close()
"""
