"""The operator's remote, in the participation server's process: a page that shows every
parameter as a control (built from the OSCQuery nodes the show sends), scenes, cues, faults,
blackout and freeze, the waiting names and stories, the HUD's figures and a low-rate preview
of the output, so the HUD can stay off the projector.

Every request needs the token printed when the show starts. What the operator changes goes
to the show as Controls, which the desk checks and applies like OSC (and a session records).
"""

from __future__ import annotations

import hmac
import json
from typing import Callable

from neoterra_glow.audience.guard import RateLimit
from neoterra_glow.resources import data_dir

PAGES = {"/remote/": ("index.html", "text/html"), "/remote/app.js": ("app.js", "text/javascript"),
         "/remote/style.css": ("style.css", "text/css")}
MAX_MESSAGE = 4096  # bytes of one message from the remote


class Remote:
    def __init__(self, token: str, tell_show: Callable[[tuple], None]) -> None:
        self.token = token
        self._tell_show = tell_show
        self.state: dict = {"nodes": [], "commands": [], "scenes": [], "cues": [], "faults": [], "values": {}, "hud": [],
                            "pending": []}
        self.preview = b""
        self._sockets: set = set()
        self._limit = RateLimit(rate=100.0, burst=200.0)
        self._pages = {path: (data_dir("web").joinpath("remote", name).read_bytes(), kind) for path, (name, kind) in PAGES.items()}

    def route(self, app) -> None:
        for path in PAGES:
            app.router.add_get(path, self._page)
        app.router.add_get("/remote/state", self._state)
        app.router.add_get("/remote/preview.jpg", self._preview)
        app.router.add_get("/remote/ws", self._socket)

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
        return web.json_response(self.state)

    async def _preview(self, request):
        from aiohttp import web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
        return web.Response(body=self.preview, content_type="image/jpeg", headers={"Cache-Control": "no-store"})

    async def _socket(self, request):
        from aiohttp import WSMsgType, web

        if not self._allowed(request):
            return web.json_response({"error": "this remote needs the show's token"}, status=403)
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
        self._tell_show(("control", address, args))
        return None

    async def show_said(self, kind: str, value) -> None:
        """The show's news: its parameters (once, and when they change), values, the HUD, a preview."""
        if kind == "schema":
            self.state.update(value)
            news = {"schema": True}
        elif kind == "state":
            values, hud, pending = value
            self.state["values"].update(values)
            self.state["hud"], self.state["pending"] = hud, pending
            news = {"values": values, "hud": hud, "pending": pending}
        else:
            self.preview = value
            news = {"preview": True}
        for socket in list(self._sockets):
            try:
                await socket.send_json(news)
            except (ConnectionError, RuntimeError):
                self._sockets.discard(socket)
