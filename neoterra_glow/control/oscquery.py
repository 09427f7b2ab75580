"""OSCQuery: an HTTP endpoint that serves the tree of every parameter as JSON, so controllers
find the engine's addresses, types, ranges and current values by themselves.

Spec: https://github.com/Vidvox/OSCQueryProposal. The tree is made from the
registry on each request, so layers added live appear at once. Optionally the
service is advertised over mDNS as _oscjson._tcp (zeroconf).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.core.params import Kind, Param, ParamError, Registry

log = logging.getLogger(__name__)

_TYPES = {Kind.FLOAT: "f", Kind.INT: "i", Kind.BOOL: "T", Kind.COLOUR: "r", Kind.VEC2: "ff", Kind.ENUM: "s", Kind.TRIGGER: "I"}
READ_WRITE, WRITE_ONLY, NO_VALUE = 3, 2, 0
ATTRIBUTES = ("FULL_PATH", "CONTENTS", "TYPE", "RANGE", "VALUE", "DESCRIPTION", "ACCESS", "HOST_INFO")


def leaf(param: Param, value: Any) -> dict[str, Any]:
    """One parameter as an OSCQuery node."""
    node: dict[str, Any] = {
        "FULL_PATH": param.osc_address,
        "TYPE": _TYPES[param.kind],
        "DESCRIPTION": param.doc,
        "ACCESS": WRITE_ONLY if param.kind is Kind.TRIGGER else READ_WRITE,
    }
    if param.kind in (Kind.FLOAT, Kind.INT):
        node["RANGE"] = [{"MIN": param.range[0], "MAX": param.range[1]}]
    elif param.kind is Kind.VEC2:
        node["RANGE"] = [{"MIN": param.range[0], "MAX": param.range[1]}] * 2
    elif param.kind is Kind.ENUM:
        node["RANGE"] = [{"VALS": list(param.choices)}]
    if param.kind is Kind.COLOUR:
        node["VALUE"] = ["#" + "".join(f"{round(c * 255):02x}" for c in value) + "ff"]
    elif param.kind is Kind.VEC2:
        node["VALUE"] = list(value)
    elif param.kind is Kind.TRIGGER:
        node["VALUE"] = [None]  # write-only: there is no value to read, but clients expect the field
    else:
        node["VALUE"] = [value]
    return node


def command(address: str, types: str, doc: str) -> dict[str, Any]:
    """A desk command as an OSCQuery node: write-only, with its argument types."""
    return {"FULL_PATH": address, "TYPE": types, "DESCRIPTION": doc, "ACCESS": WRITE_ONLY, "VALUE": [None] * len(types)}


def tree(registry: Registry) -> dict[str, Any]:
    """The whole namespace: containers by path part, parameters as leaves."""
    root: dict[str, Any] = {"FULL_PATH": "/", "ACCESS": NO_VALUE, "DESCRIPTION": "neoterra-glow", "CONTENTS": {}}
    for param in registry:
        try:
            value = registry.value(param.path)
        except (KeyError, ParamError):
            continue  # its layer was removed while we read
        node = root
        parts = param.path.split(".")
        for depth, part in enumerate(parts[:-1]):
            node = node["CONTENTS"].setdefault(
                part, {"FULL_PATH": "/" + "/".join(parts[: depth + 1]), "ACCESS": NO_VALUE, "CONTENTS": {}}
            )
        node["CONTENTS"][parts[-1]] = leaf(param, value)
    for address, (types, doc, _) in COMMANDS.items():
        parts = address.strip("/").split("/")
        node = root
        for depth, part in enumerate(parts[:-1]):
            node = node["CONTENTS"].setdefault(
                part, {"FULL_PATH": "/" + "/".join(parts[: depth + 1]), "ACCESS": NO_VALUE, "CONTENTS": {}}
            )
        node["CONTENTS"][parts[-1]] = command(address, types, doc)
    return root


def find(node: dict[str, Any], path: str) -> dict[str, Any] | None:
    for part in [p for p in path.split("/") if p]:
        node = node.get("CONTENTS", {}).get(part)
        if node is None:
            return None
    return node


class OscQueryServer:
    """Serves the registry's tree on http://host:port/ (port 0 picks a free one)."""

    def __init__(self, registry: Registry, host: str, port: int, osc_port: int, name: str = "neoterra-glow",
                 allow: frozenset[str] = frozenset()) -> None:
        """`allow`: when given, only these client addresses are answered (as for OSC senders)."""
        self.host_info = {
            "NAME": name,
            "OSC_IP": host,
            "OSC_PORT": osc_port,
            "OSC_TRANSPORT": "UDP",
            "EXTENSIONS": {"ACCESS": True, "VALUE": True, "RANGE": True, "DESCRIPTION": True, "TYPE": True,
                           "TAGS": False, "CLIPMODE": False, "UNIT": False, "CRITICAL": False, "LISTEN": False,
                           "PATH_CHANGED": False},
        }
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                if allow and self.client_address[0] not in allow:
                    status, body = 403, {"error": f"{self.client_address[0]} is not on the allow list"}
                else:
                    status, body = server.answer(self.path, registry)
                data = b"" if status == 204 else json.dumps(body).encode("utf-8")  # a 204 has no body
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", "*")  # browser controllers on other origins
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args) -> None:
                log.debug("OSCQuery: " + format, *args)

        try:
            self._http = ThreadingHTTPServer((host, port), Handler)
        except OSError as error:
            raise OSError(f"cannot serve OSCQuery on http://{host}:{port}: {error.strerror or error}") from None
        self._http.daemon_threads = True
        self.host, self.port = self._http.server_address[:2]
        self._thread = threading.Thread(target=self._http.serve_forever, name="oscquery", daemon=True)
        self._thread.start()
        self._zeroconf = None

    def answer(self, raw_path: str, registry: Registry) -> tuple[int, Any]:
        """The status and JSON for a request: a node, one of its attributes, or HOST_INFO."""
        url = urlsplit(raw_path)
        attribute = url.query.split("&")[0].split("=")[0] if url.query else ""
        if attribute == "HOST_INFO":
            return 200, self.host_info
        node = find(tree(registry), url.path)
        if node is None:
            return 404, {"error": f"no node at {url.path}"}
        if not attribute:
            return 200, node
        if attribute not in ATTRIBUTES:
            return 400, {"error": f"unknown attribute {attribute}; OSCQuery attributes are {', '.join(ATTRIBUTES)}"}
        if attribute not in node:
            return 204, {}
        return 200, {attribute: node[attribute]}

    def advertise(self) -> bool:
        """Announce the service over mDNS as _oscjson._tcp (and OSC as _osc._udp); False if it cannot."""
        try:
            from zeroconf import ServiceInfo, Zeroconf

            address = self.host if self.host not in ("0.0.0.0", "") else socket.gethostbyname(socket.gethostname())
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
        self._http.shutdown()
        self._http.server_close()
