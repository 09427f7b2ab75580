"""What the participation page answers, in the server's process: the page itself, a visitor's
glyph preview, sending it (straight to the wall, or to the operator's queue), and feelings.

Every request is limited per address and per visitor, and checked; a refusal is a clear
status and message for the visitor, and a count for the operator. A visitor is who the server
says: a cookie it signs (HMAC), never an id the page chooses; and the crowd hears one voice
per address, so a phone that invents visitors moves the room no more than one person.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import io
import json
import secrets
import time
from collections.abc import Callable

from PIL import Image

from neoterra_glow.audience.compact import compact
from neoterra_glow.audience.crowd import Crowd
from neoterra_glow.audience.guard import RateLimit, TextRefused, wall_text
from neoterra_glow.control.emotions import EMOTIONS
from neoterra_glow.glyphs.sheet import glow_image
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.resources import data_dir

MAX_BODY = 4096  # bytes of a request at most: a story and its wrapping
PREVIEWS = 256  # glyph previews kept drawn
PREVIEW_PIXELS = 256
APPROVAL = {"name": "approve_names", "story": "approve_stories"}  # the setting that holds each kind back
PAGES = {"/": ("index.html", "text/html"), "/app.js": ("app.js", "text/javascript"), "/style.css": ("style.css", "text/css")}
COOKIE = "visitor"
COOKIE_SECONDS = 12 * 3600  # a visitor stays who they are for an evening
MAX_WAITING = 1000  # names and stories waiting for the operator at most; more are turned away, said so
PAGE = 20  # waiting items the remote is sent at a time


class Waiting:
    """Names and stories waiting for the operator, numbered, in order of arrival; read a page at a time."""

    def __init__(self) -> None:
        self.items: dict[int, tuple[str, str]] = {}  # number -> (kind, text)
        self.version = 0  # moves whenever the list changes, so the remote is told only then
        self._last = 0

    def add(self, kind: str, text: str) -> int | None:
        if len(self.items) >= MAX_WAITING:
            return None
        self._last += 1
        self.items[self._last] = (kind, text)
        self.version += 1
        return self._last

    def take(self, number: int) -> tuple[str, str] | None:
        self.version += 1
        return self.items.pop(number, None)

    def restore(self, items: dict[int, tuple[str, str]]) -> None:
        """What waited before this process started again (the show kept it)."""
        self.items = dict(sorted(items.items())[:MAX_WAITING])
        self._last = max([self._last, *self.items])
        self.version += 1

    def clear(self) -> int:
        """Every waiting item turned away; the number of the last, for the show to forget up to."""
        self.items.clear()
        self.version += 1
        return self._last

    def page(self, number: int) -> dict:
        numbers = list(self.items)[number * PAGE:(number + 1) * PAGE]
        return {"total": len(self.items), "page": number, "size": PAGE,
                "items": [[n, *self.items[n]] for n in numbers]}


class Visitors:
    """The participation page's answers: visitors' names, stories and feelings, rate-limited and
    signed before they reach the show."""

    def __init__(self, tell_show: Callable[[tuple], object], key: bytes) -> None:
        self._tell_show = tell_show
        self._key = key
        self.waiting = Waiting()
        self.crowd = Crowd()
        self.settings = {"approve_names": False, "approve_stories": True}
        self._per_address = RateLimit(rate=4.0, burst=20.0)
        self._per_visitor = RateLimit(rate=1.0, burst=6.0)
        self._feelings = RateLimit(rate=5.0, burst=10.0)
        self._previews: collections.OrderedDict[str, bytes] = collections.OrderedDict()
        self._refused: dict[str, list] = {}
        self._pages = {path: (data_dir("web").joinpath("audience", name).read_bytes(), kind) for path, (name, kind) in PAGES.items()}

    def app(self):
        """The aiohttp application: the page and its API, every request through the guard."""
        from aiohttp import web

        @web.middleware
        async def guarded(request, handler):
            return await self._guarded(request, handler)

        app = web.Application(client_max_size=MAX_BODY, middlewares=[guarded])
        for path in PAGES:
            app.router.add_get(path, self._page)
        app.router.add_post("/api/glyph", self._preview)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/feel", self._feel)
        return app

    async def _guarded(self, request, handler):
        """Whatever a request is, a clear status: nothing a visitor sends ends the server. A
        request without a valid signed cookie is answered with a new one."""
        from aiohttp import web

        visitor = self._signed(request.cookies.get(COOKIE, ""))
        request["visitor"] = visitor
        answer = await self._answer(request, handler)
        if visitor is None and isinstance(answer, web.StreamResponse) and not answer.prepared:
            answer.set_cookie(COOKIE, self._sign(secrets.token_urlsafe(9)), max_age=COOKIE_SECONDS, httponly=True,
                              samesite="Strict", path="/")
        return answer

    def _sign(self, visitor: str) -> str:
        return f"{visitor}.{hmac.new(self._key, visitor.encode(), hashlib.sha256).hexdigest()[:32]}"

    def _signed(self, cookie: str) -> str | None:
        """The visitor a cookie names, if this server signed it."""
        visitor = cookie.rpartition(".")[0]
        return visitor if visitor and len(cookie) < 80 and hmac.compare_digest(self._sign(visitor), cookie) else None

    async def _answer(self, request, handler):
        from aiohttp import web

        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.status == 413:
                self.refuse("too large", f"{request.remote}: a request over the size limit")
                return _json(413, {"error": "that is too long"})
            raise
        except (ValueError, UnicodeDecodeError) as error:
            self.refuse("malformed", f"{request.remote} {request.path}: {error}")
            return _json(400, {"error": "that was not understood"})
        except ConnectionResetError:
            self.refuse("gone", f"{request.remote} left mid-request")
            raise
        except Exception as error:  # a fault of ours: the visitor is told, the operator counts it
            self.refuse("failed", f"{request.remote} {request.path}: {type(error).__name__}: {error}")
            return _json(500, {"error": "that did not work; try again"})

    async def _page(self, request):
        from aiohttp import web

        body, kind = self._pages[request.path]
        return web.Response(body=body, content_type=kind, headers={"Cache-Control": "max-age=300"})

    async def _read(self, request, *, visitor_limit: RateLimit | None) -> dict:
        """The request's JSON, once its sender is within limits (else an HTTP 429)."""
        from aiohttp import web

        body = json.loads((await request.read()).decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        limited = not self._per_address.allow(request.remote or "?") or (
            visitor_limit is not None and not visitor_limit.allow(request["visitor"] or request.remote or "?"))
        if limited:
            self.refuse("too many", f"{request.remote}: too many requests")
            raise web.HTTPTooManyRequests(text=json.dumps({"error": "slow down a little, and try again"}),
                                          content_type="application/json")
        return body

    async def _preview(self, request):
        from aiohttp import web

        body = await self._read(request, visitor_limit=self._per_visitor)
        try:
            text = wall_text(body.get("text"), _kind(body))
        except TextRefused as refusal:
            self.refuse("refused text", f"{request.remote}: {refusal}")
            return _json(400, {"error": str(refusal)})
        return web.Response(body=self._drawn(text), content_type="image/png", headers={"Cache-Control": "max-age=3600"})

    async def _send(self, request):
        body = await self._read(request, visitor_limit=self._per_visitor)
        kind = _kind(body)
        try:
            text = wall_text(body.get("text"), kind)
        except TextRefused as refusal:
            self.refuse("refused text", f"{request.remote}: {refusal}")
            return _json(400, {"error": str(refusal)})
        if self.settings[APPROVAL[kind]]:
            number = self.waiting.add(kind, text)
            if number is None:
                self.refuse("queue full", f"{request.remote}: {MAX_WAITING} wait for the host already")
                return _json(503, {"error": "the host has a lot to read just now; try again later"})
            self._tell_show(("pending", number, kind, text))
            return _json(202, {"status": "waiting for the host to let it on the wall"})
        self._to_wall(text)
        return _json(200, {"status": "on its way to the wall"})

    async def _feel(self, request):
        body = await self._read(request, visitor_limit=self._feelings)
        feelings = body.get("feelings")
        if not isinstance(feelings, dict) or not all(
                name in EMOTIONS and isinstance(v, (int, float)) and not isinstance(v, bool) for name, v in feelings.items()):
            raise ValueError("expected feelings by name, 0 to 1")
        self.crowd.feel(request.remote or "?", feelings, time.monotonic())  # one voice per address, its latest
        return _json(200, {"status": "felt"})

    def tell(self, kind: str, value) -> None:
        """A word from the show: settings, the operator's approval of a waiting text, or what
        waited before this process started again."""
        if kind == "settings":
            self.settings = value
        elif kind == "restore":
            self.waiting.restore(value)
        elif kind in ("approve", "reject"):
            waiting = self.waiting.take(value)
            if waiting and kind == "approve":
                self._to_wall(waiting[1])

    def _to_wall(self, text: str) -> None:
        self._tell_show(("glyph", text, compact(smile_glyph(text))))

    def _drawn(self, text: str) -> bytes:
        if text not in self._previews:
            image = Image.fromarray((glow_image(smile_glyph(text), PREVIEW_PIXELS) * 255 + 0.5).astype("uint8"), "RGB")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            self._previews[text] = out.getvalue()
            while len(self._previews) > PREVIEWS:
                self._previews.popitem(last=False)
        self._previews.move_to_end(text)
        return self._previews[text]

    def refuse(self, kind: str, detail: str) -> None:
        entry = self._refused.setdefault(kind, [0, detail])
        entry[0] += 1

    def report(self, now: float) -> None:
        """To the show, a few times a second: the crowd's feelings (while visitors move) and what was refused."""
        room = self.crowd.say(now)
        if room is not None:
            self._tell_show(("feelings", room, self.crowd.visitors))
        if self._refused:
            self._tell_show(("refused", {kind: tuple(entry) for kind, entry in self._refused.items()}))
            self._refused = {}


def _kind(body: dict) -> str:
    kind = body.get("kind", "name")
    if kind not in ("name", "story"):
        raise ValueError("kind is a name or a story")
    return kind


def _json(status: int, value: dict):
    from aiohttp import web

    return web.json_response(value, status=status)
