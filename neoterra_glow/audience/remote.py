"""The operator's remote, in the participation server's process: a page that shows every
parameter as a control (built from the OSCQuery nodes the show sends), scenes, cues, faults,
blackout and freeze, the waiting names and stories, the HUD's figures and a low-rate preview
of the output, so the HUD can stay off the projector.

Every request but the page itself needs the token, which is kept in a file only its owner can
read (and in the remote's QR code), the same across restarts, so a printed code stays valid.
The WebSocket is taken only from the remote's own page (its Origin); no response sends a
Referer on, so the token never leaves in a link. What the operator changes goes to the show as
Controls, which the desk checks and applies like OSC (and a session records). The waiting names
and stories are read here, a page at a time.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neoterra_glow.audience.guard import RateLimit
from neoterra_glow.audience.visitors import Waiting
from neoterra_glow.control.oscquery import same_origin
from neoterra_glow.resources import data_dir

PAGES = {"/remote/": ("index.html", "text/html"), "/remote/app.js": ("app.js", "text/javascript"),
         "/remote/style.css": ("style.css", "text/css")}
MAX_MESSAGE = 4096  # bytes of one message from the remote
MAX_SOCKETS = 8  # remotes open at once
TOKEN_CHARS = 22


def remote_token(path: Path | None) -> str:
    """The remote's token: read from `path`, or made and written there, readable by its owner
    only; None: a token for this run alone. Delete the file to issue a new one."""
    if path is None:
        return secrets.token_urlsafe(16)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        token = ""
    if len(token) < TOKEN_CHARS or not token.replace("-", "").replace("_", "").isalnum():
        token = secrets.token_urlsafe(16)
        private_file(path, token.encode() + b"\n")
    os.chmod(path, 0o600)  # a file someone opened up is closed again
    return token


def private_file(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, never readable by others even for a moment."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.replace(partial, path)


class Remote:
    """The operator's remote page and its socket: the show's controls off the projector, behind a token."""

    def __init__(self, token: str, tell_show: Callable[[tuple], object], waiting: Waiting) -> None:
        self.token = token
        self._tell_show = tell_show
        self._waiting = waiting
        self._told_waiting = -1  # the waiting list's version the sockets last heard
        self.state: dict = {"nodes": [], "commands": [], "scenes": [], "cues": [], "faults": [], "values": {}, "hud": []}
        self.preview = b""
        self._sockets: set = set()
        self._limit = RateLimit(rate=100.0, burst=200.0)
        self._pages = {path: (data_dir("web").joinpath("remote", name).read_bytes(), kind) for path, (name, kind) in PAGES.items()}

    def route(self, app) -> None:
        for path in PAGES:
            app.router.add_get(path, self._page)
        app.router.add_get("/remote/state", self._state)
        app.router.add_get("/remote/preview.jpg", self._preview)
        app.router.add_get("/remote/waiting", self._waiting_page)
        app.router.add_get("/remote/ws", self._socket)
        app.on_response_prepare.append(_no_referrer)

    def _allowed(self, request) -> bool:
        return hmac.compare_digest(request.query.get("token", ""), self.token)

    async def _page(self, request):
        from aiohttp import web

        body, kind = self._pages[request.path]
        return web.Response(body=body, content_type=kind)

    async def _state(self, request):
        from aiohttp import web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
        return web.json_response({**self.state, "waiting": self._waiting.page(0)})

    async def _waiting_page(self, request):
        from aiohttp import web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
        try:
            page = int(request.query.get("page", "0"))
        except ValueError:
            page = -1
        if not 0 <= page < 10_000:
            return web.json_response({"error": "page is a number from 0"}, status=400)
        return web.json_response(self._waiting.page(page))

    async def _preview(self, request):
        from aiohttp import web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
        return web.Response(body=self.preview, content_type="image/jpeg", headers={"Cache-Control": "no-store"})

    async def _socket(self, request):
        from aiohttp import WSMsgType, web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
        if not same_origin(request):
            return web.json_response({"error": "only the remote's own page can open this socket"}, status=403)
        if len(self._sockets) >= MAX_SOCKETS:
            return web.json_response({"error": f"{MAX_SOCKETS} remotes are open already"}, status=429)
        socket = web.WebSocketResponse(heartbeat=20.0, max_msg_size=MAX_MESSAGE)
        await socket.prepare(request)
        self._sockets.add(socket)
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                answer = self._control(message.data)
                if answer:
                    await socket.send_json({"error": answer})
        finally:
            self._sockets.discard(socket)
        return socket

    def _control(self, text: str) -> str | None:
        """A change from the remote, on its way to the desk; a reason when it cannot go."""
        if not self._limit.allow(self.token):
            return "too many changes at once"
        try:
            change = json.loads(text)
            address, args = change["address"], change.get("args", [])
        except (ValueError, KeyError, TypeError):
            return "expected {\"address\": ..., \"args\": [...]}"
        if not isinstance(address, str) or not address.startswith("/") or not isinstance(args, list) or len(args) > 8:
            return "expected an address and a list of arguments"
        if not all(isinstance(a, (str, int, float, bool)) for a in args):
            return "arguments are numbers, text and true/false"
        if address == "/audience/reject_all":  # the waiting list is here: turned away at once, and the show forgets it
            self._tell_show(("rejected", self._waiting.clear()))
            return None
        self._tell_show(("control", address, args))
        return None

    async def show_said(self, kind: str, value) -> None:
        """The show's news: its parameters (once, and when they change), values, the HUD, a preview;
        with the waiting list's first page when the list changed."""
        if kind == "schema":
            self.state.update(value)
            news: dict[str, Any] = {"schema": True}
        elif kind == "state":
            values, hud = value
            self.state["values"].update(values)
            self.state["hud"] = hud
            news = {"values": values, "hud": hud}
            if self._waiting.version != self._told_waiting:
                self._told_waiting = self._waiting.version
                news["waiting"] = self._waiting.page(0)
        else:
            self.preview = value
            news = {"preview": True}
        for socket in list(self._sockets):
            try:
                await socket.send_json(news)
            except (ConnectionError, RuntimeError):
                self._sockets.discard(socket)


async def _no_referrer(request, response) -> None:
    """Every answer: a link followed from the remote's page carries no Referer with the token in it."""
    response.headers["Referrer-Policy"] = "no-referrer"
