"""OSCQuery: an HTTP endpoint that serves the tree of every parameter as JSON, so controllers
find the engine's addresses, types, ranges and current values by themselves.

Spec: https://github.com/Vidvox/OSCQueryProposal. The tree is made from the
registry on each request, so layers added live appear at once. Clients that open
a WebSocket on the same port can LISTEN to paths and get their values as OSC
messages when they change, and hear PATH_CHANGED when parameters come or go.
Optionally the service is advertised over mDNS as _oscjson._tcp (zeroconf).

A WebSocket is taken only from a native client (no Origin) or a page this server served:
any other page open in the operator's browser could otherwise drive it. Each address keeps a
few sockets at most, each LISTENs to parameters that exist, a bounded number of them, at a
bounded rate (a flood closes the socket), and the frame boundary's work is one look per
listened path, however many sockets listen to it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.core.params import Kind, Param, ParamError, Registry

if TYPE_CHECKING:
    from zeroconf import Zeroconf

log = logging.getLogger(__name__)

_TYPES = {Kind.FLOAT: "f", Kind.INT: "i", Kind.BOOL: "T", Kind.COLOUR: "r", Kind.VEC2: "ff", Kind.ENUM: "s", Kind.TRIGGER: "I"}
READ_WRITE, WRITE_ONLY, READ_ONLY, NO_VALUE = 3, 2, 1, 0
MAX_LISTEN = 1024  # paths one socket may listen to (a show has a few hundred parameters)
MAX_SOCKETS_PER_ADDRESS = 4
MAX_SOCKETS = 32
MAX_MESSAGE = 4096  # bytes of one command from a client
COMMANDS_A_SECOND, COMMAND_BURST = 50.0, 2048.0  # a client's LISTENs: all of a show's parameters at once, then a few
WILDCARDS = ("0.0.0.0", "", "::")  # bound to every interface: not an address a client can send to


def reachable(host: str) -> str:
    """An address clients on the network can use: the host itself, or, for a show bound to every
    interface, this machine's address on the network its default route leaves by (loopback only
    where it has none). Not gethostbyname(hostname): on Debian that is 127.0.1.1."""
    if host not in WILDCARDS:
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: it picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def leaf(param: Param, value: Any) -> dict[str, Any]:
    """One parameter as an OSCQuery node."""
    node: dict[str, Any] = {
        "FULL_PATH": param.osc_address,
        "TYPE": _TYPES[param.kind],
        "DESCRIPTION": param.doc,
        "ACCESS": WRITE_ONLY if param.kind is Kind.TRIGGER else READ_ONLY if param.measured else READ_WRITE,
    }
    if param.kind in (Kind.FLOAT, Kind.INT):
        assert param.range is not None  # a number parameter has one
        node["RANGE"] = [{"MIN": param.range[0], "MAX": param.range[1]}]
    elif param.kind is Kind.VEC2:
        assert param.range is not None
        node["RANGE"] = [{"MIN": param.range[0], "MAX": param.range[1]}] * 2
    elif param.kind is Kind.ENUM:
        node["RANGE"] = [{"VALS": list(param.choices)}]
    if param.kind is Kind.COLOUR:
        node["VALUE"] = ["#" + "".join(f"{round(c * 255):02x}" for c in value) + "ff"]
    elif param.kind is Kind.VEC2:
        node["VALUE"] = list(value)
    elif param.kind is not Kind.TRIGGER:  # a write-only trigger has no value to read: the spec leaves VALUE out
        node["VALUE"] = [value]
    return node


def command(address: str, types: str, doc: str) -> dict[str, Any]:
    """A desk command as an OSCQuery node: write-only, with its argument types (and no VALUE)."""
    return {"FULL_PATH": address, "TYPE": types, "DESCRIPTION": doc, "ACCESS": WRITE_ONLY}


def tree(registry: Registry) -> dict[str, Any]:
    """The whole namespace: containers by path part, parameters and commands as leaves."""
    root: dict[str, Any] = {"FULL_PATH": "/", "ACCESS": NO_VALUE, "DESCRIPTION": "neoterra-glow", "CONTENTS": {}}
    for param in registry.listed():
        try:
            value = registry.value(param.path)
        except (KeyError, ParamError):
            continue  # its layer was removed while we read
        _place(root, param.osc_address, leaf(param, value))
    for address, (types, doc, _) in COMMANDS.items():
        _place(root, address, command(address, types, doc))
    return root


def _place(root: dict[str, Any], address: str, node: dict[str, Any]) -> None:
    """Put a leaf at its address, making the containers on the way."""
    parts = address.strip("/").split("/")
    for depth, part in enumerate(parts[:-1]):
        root = root["CONTENTS"].setdefault(
            part, {"FULL_PATH": "/" + "/".join(parts[: depth + 1]), "ACCESS": NO_VALUE, "CONTENTS": {}}
        )
    root["CONTENTS"][parts[-1]] = node


def same_origin(request) -> bool:
    """Whether a request comes from a native client (no Origin) or from a page this server served,
    at an address rather than a name a stranger's DNS could point here (DNS rebinding)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    host = urlsplit(f"//{request.host}").hostname or ""
    return urlsplit(origin).netloc.lower() == request.host.lower() and _ours(host)


def _ours(host: str) -> bool:
    if host in ("localhost", socket.gethostname().lower(), f"{socket.gethostname().lower()}.local"):
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def find(node: dict[str, Any], path: str) -> dict[str, Any] | None:
    for part in [p for p in path.split("/") if p]:
        node = node.get("CONTENTS", {}).get(part)
        if node is None:
            return None
    return node


class OscQueryServer:
    """Serves the registry's tree on http://host:port/ (port 0 picks a free one), and streams
    values and namespace changes to WebSocket clients on the same port (LISTEN, PATH_CHANGED).

    aiohttp runs in a thread of its own; the render thread calls `publish` at each frame
    boundary, so values are read where they are written and sent from the server's loop.
    """

    def __init__(self, registry: Registry, host: str, port: int, osc_port: int, name: str = "neoterra-glow",
                 allow: frozenset[str] = frozenset()) -> None:
        """`allow`: when given, only these client addresses are answered (as for OSC senders)."""
        from aiohttp import web

        self.host_info: dict[str, Any] = {
            "NAME": name,
            "OSC_IP": host,
            "OSC_PORT": osc_port,
            "OSC_TRANSPORT": "UDP",
            "EXTENSIONS": {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True, "TYPE": True,
                           "TAGS": False, "CLIPMODE": False, "UNIT": False, "CRITICAL": False, "LISTEN": True,
                           "PATH_CHANGED": True},
        }
        self.registry, self.allow = registry, allow
        self.refused = 0  # sockets and LISTENs turned away
        self._lock = threading.Lock()  # the maps below: the server's thread writes them, the render thread reads
        self._listening: dict[Any, set[str]] = {}  # WebSocket -> the paths it listens to
        self._addresses: dict[Any, str] = {}  # WebSocket -> its client's address
        self._listeners: dict[str, set[Any]] = {}  # path -> the sockets listening to it
        self._sent: dict[str, Any] = {}  # path -> the value its listeners last heard
        self._fresh: list[tuple[Any, str]] = []  # (socket, path) just listened to: sent the value at the next boundary
        self._version = registry.version
        self._zeroconf: Zeroconf | None = None
        self.advertised: str | None = None  # the address mDNS announces, once it does
        self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        try:
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, host, port)
            self._loop.run_until_complete(site.start())
        except OSError as error:
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()
            raise OSError(f"cannot serve OSCQuery on http://{host}:{port}: {error.strerror or error}") from None
        self.host, self.port = self._runner.addresses[0][:2]
        self._thread = threading.Thread(target=self._loop.run_forever, name="oscquery", daemon=True)
        self._thread.start()

    async def _handle(self, request):
        from aiohttp import WSCloseCode, WSMsgType, web

        if self.allow and request.remote not in self.allow:
            return self._json(403, {"error": f"{request.remote} is not on the allow list"})
        if request.headers.get("Upgrade", "").lower() != "websocket":
            arrived = (request.transport.get_extra_info("sockname") or ("",))[0] if request.transport else ""
            return self._json(*self.answer(request.path_qs, self.registry, arrived))
        if not same_origin(request):
            self.refused += 1
            return self._json(403, {"error": "a page on another site cannot open this socket"})
        address = request.remote
        with self._lock:
            mine = sum(1 for other in self._addresses.values() if other == address)
            if mine >= MAX_SOCKETS_PER_ADDRESS or len(self._listening) >= MAX_SOCKETS:
                self.refused += 1
                return self._json(429, {"error": f"{MAX_SOCKETS_PER_ADDRESS} sockets an address, {MAX_SOCKETS} in all"})
            socket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE)
            self._listening[socket], self._addresses[socket] = set(), address
        tokens, then = COMMAND_BURST, time.monotonic()
        try:
            await socket.prepare(request)
            async for message in socket:
                now = time.monotonic()
                tokens, then = min(COMMAND_BURST, tokens + (now - then) * COMMANDS_A_SECOND) - 1.0, now
                if tokens < 0:  # a flood: the socket is closed rather than read
                    self.refused += 1
                    await socket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too many commands")
                    break
                if message.type is WSMsgType.TEXT:
                    self._command(socket, message.data)
        finally:
            with self._lock:
                self._addresses.pop(socket, None)
                for path in self._listening.pop(socket, ()):
                    self._drop(socket, path)
        return socket

    @staticmethod
    def _json(status: int, body: Any):
        from aiohttp import web

        headers = {"Access-Control-Allow-Origin": "*"}  # browser controllers on other origins
        if status == 204:
            return web.Response(status=204, headers=headers)  # a 204 has no body
        return web.json_response(body, status=status, headers=headers)

    def _command(self, socket, text: str) -> None:
        """LISTEN to a parameter or IGNORE it, as the client asks; anything else is ignored."""
        try:
            command = json.loads(text)
            kind, path = command["COMMAND"], str(command["DATA"])
        except (ValueError, KeyError, TypeError):
            log.debug("OSCQuery: ignoring %r", text[:80])
            return
        with self._lock:
            paths = self._listening.get(socket)
            if paths is None:
                return
            if kind == "LISTEN" and path not in paths:
                param = self.registry.at_address(path)
                if param is None or param.kind is Kind.TRIGGER or len(paths) >= MAX_LISTEN:
                    self.refused += 1
                    return
                paths.add(path)
                self._listeners.setdefault(path, set()).add(socket)
                self._fresh.append((socket, path))
            elif kind == "IGNORE" and path in paths:
                paths.discard(path)
                self._drop(socket, path)

    def _drop(self, socket, path: str) -> None:
        """(Under the lock.) The socket no longer listens to the path."""
        listeners = self._listeners.get(path, set())
        listeners.discard(socket)
        if not listeners:
            self._listeners.pop(path, None)
            self._sent.pop(path, None)

    def publish(self, registry: Registry) -> None:
        """At a frame boundary: send each listener the values that changed on its paths, and tell
        every client when parameters came or went (layers added or removed)."""
        with self._lock:
            sockets, listeners = list(self._listening), [(path, list(s)) for path, s in self._listeners.items()]
            fresh, self._fresh = self._fresh, []
        if registry.version != self._version:
            self._version = registry.version
            for socket in sockets:
                self._send(socket, json.dumps({"COMMAND": "PATH_CHANGED", "DATA": "/"}))
        changed = set()
        for path, listening in listeners:
            param = registry.at_address(path)
            if param is None:
                continue
            value = registry.value(param.path)
            if self._sent.get(path) != value:
                self._sent[path] = value
                changed.add(path)
                message = osc_message(param, value)
                for socket in listening:
                    self._send(socket, message)
        for socket, path in fresh:  # a new listener hears the value now, even if it did not change
            param = registry.at_address(path)
            if param is not None and path not in changed:
                self._send(socket, osc_message(param, registry.value(param.path)))

    def _send(self, socket, data: str | bytes) -> None:
        send = socket.send_bytes(data) if isinstance(data, bytes) else socket.send_str(data)
        asyncio.run_coroutine_threadsafe(send, self._loop)

    def answer(self, raw_path: str, registry: Registry, arrived: str = "") -> tuple[int, Any]:
        """The status and JSON for a request: a node, one of its attributes, or HOST_INFO. `arrived`:
        the address the request came in on, which is the one to send OSC to when the show listens on
        every interface."""
        url = urlsplit(raw_path)
        attribute = url.query.split("&")[0].split("=")[0] if url.query else ""
        if attribute == "HOST_INFO":
            wildcard = self.host_info["OSC_IP"] in WILDCARDS
            return 200, {**self.host_info, "OSC_IP": (arrived or reachable(self.host)) if wildcard else self.host_info["OSC_IP"]}
        node = find(tree(registry), url.path)
        if node is None:
            return 404, {"error": f"no node at {url.path}"}
        if not attribute:
            return 200, node
        if attribute not in node:  # the spec: an attribute the node lacks, or the server does not support, is No Content
            return 204, {}
        return 200, {attribute: node[attribute]}

    def advertise(self) -> bool:
        """Announce the service over mDNS as _oscjson._tcp (and OSC as _osc._udp); False if it cannot."""
        try:
            from zeroconf import ServiceInfo, Zeroconf

            address = reachable(self.host)
            self.advertised = address
            self._zeroconf = Zeroconf()
            for kind, port in (("_oscjson._tcp.local.", self.port), ("_osc._udp.local.", self.host_info["OSC_PORT"])):
                info = ServiceInfo(kind, f"{self.host_info['NAME']}.{kind}", addresses=[socket.inet_aton(address)], port=port)
                self._zeroconf.register_service(info)
            return True
        except Exception as error:  # no network, no multicast, or no zeroconf: the show goes on
            log.warning("could not advertise OSCQuery over mDNS: %s", error)
            return False

    def close(self) -> None:
        if self._zeroconf is not None:
            self._zeroconf.close()
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


def osc_message(param: Param, value: Any) -> bytes:
    """A value as the OSC message a LISTEN client receives for its parameter."""
    from pythonosc.osc_message_builder import OscMessageBuilder

    message = OscMessageBuilder(param.osc_address)
    if param.kind is Kind.COLOUR:
        rgba = [round(c * 255) for c in value] + [255]
        message.add_arg((rgba[0] << 24) | (rgba[1] << 16) | (rgba[2] << 8) | rgba[3], OscMessageBuilder.ARG_TYPE_RGBA)
    elif param.kind is Kind.VEC2:
        for v in value:
            message.add_arg(float(v), OscMessageBuilder.ARG_TYPE_FLOAT)
    elif param.kind is Kind.FLOAT:
        message.add_arg(float(value), OscMessageBuilder.ARG_TYPE_FLOAT)
    else:
        message.add_arg(value)
    return message.build().dgram
