"""The participation server: a phone page where visitors see their own smile drawn from their
name or story, send it to the wall, and move the room with what they feel.

It runs in a process of its own (aiohttp), so a crowd on the page never holds up a frame:
it checks and limits what visitors send, draws their glyphs, aggregates their feelings,
and hands the show only approved glyphs and the crowd's feelings, through a pipe drained
at the frame boundary. Nothing a visitor sends reaches a file, a shader or a parameter
but through those. Refusals are counted and logged, a few times a minute at most.
"""

from __future__ import annotations

import asyncio
import collections
import io
import logging
import multiprocessing
import secrets
import socket
import time
from typing import Callable

from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.control.message import Control
from neoterra_glow.control.oscquery import command, leaf
from neoterra_glow.core.children import leave_ctrl_c_to_the_show
from neoterra_glow.core.params import Registry
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.errors import UserError
from neoterra_glow.resources import data_dir

log = logging.getLogger(__name__)

FEELINGS_SECONDS = 0.25  # how often the crowd's feelings go to the show
SHARE_SECONDS = 0.25  # how often the remote hears of the show's values
PREVIEW_SECONDS = 1.0  # how often it gets a new preview


class AudienceServer:
    """`take(registry)` at a frame boundary: the glyphs approved since the last and the crowd's
    feelings, as Controls (/wall/add, /emotion/...), which the desk applies and a session records."""

    def __init__(self, host: str, port: int, page_url: str | None = None) -> None:
        self.token = secrets.token_urlsafe(12)  # the operator's remote needs it
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child, host, port, self.token), name="audience", daemon=True)
        self._process.start()
        child.close()
        try:
            kind, value = self._pipe.recv() if self._pipe.poll(30.0) else ("error", "it did not start")
        except (EOFError, OSError):
            kind, value = "error", "its process ended"
        if kind == "error":
            self.close()
            raise UserError(f"cannot serve the audience page on http://{host}:{port}/: {value}")
        self.host, self.port = host, value
        self.url = page_url or f"http://{reachable(host)}:{self.port}/"
        self.remote_url = f"{self.url}remote/?token={self.token}"
        self.glyphs: dict[str, object] = {}  # text -> its glyph, drawn by the server, until the desk takes it
        self.pending: dict[int, tuple[str, str]] = {}  # id -> (kind, text): waiting for the operator
        self.rejections = Rejections("audience ")
        self.visitors = 0
        self._settings: dict | None = None
        self._arrived: collections.deque[tuple] = collections.deque()  # (text, glyph) drawn, waiting for their frame
        self._schema = None  # the registry's version the remote was last told of
        self._shared: dict[str, object] = {}  # address -> the value the remote was last told
        self._next_share = self._next_preview = 0.0

    def take(self, registry: Registry) -> list[Control]:
        settings = {key: registry.value(f"audience.{key}") for key in ("approve_names", "approve_stories")}
        if settings != self._settings:
            self._send(("settings", settings))
            self._settings = settings
        controls: list[Control] = []
        try:
            while self._pipe.poll():
                kind, *rest = self._pipe.recv()
                if kind == "glyph":
                    self._arrived.append(tuple(rest))
                elif kind == "pending":
                    number, what, text = rest
                    self.pending[number] = (what, text)
                elif kind == "feelings":
                    room, self.visitors = rest
                    gain = registry.value("audience.gain")
                    controls += [Control(f"/emotion/{name}", (value * gain,)) for name, value in room.items()]
                elif kind == "control":  # from the operator's remote
                    address, args = rest
                    controls.append(Control(address, tuple(args)))
                elif kind == "refused":
                    for why, (times, detail) in rest[0].items():
                        self.rejections.count(why, detail, times)
        except (EOFError, OSError):
            pass  # the server is gone; what came before stays
        if self._arrived:  # one smile joins the wall a frame: each rebuilds the atlas, and none is dropped
            text, self.glyphs[text] = self._arrived.popleft()
            controls.append(Control("/wall/add", (text,)))
        return controls

    def share(self, registry: Registry, hud: Callable[[], list[str]], menus: dict[str, list[str]],
              preview: Callable[[], bytes]) -> None:
        """Tell the remote what it shows, a few times a second: the parameters (when they change),
        their values that moved, the HUD's lines, what waits; and a preview once a second.
        `menus`: the show's cues and fault kinds, for the remote's buttons. `hud` and `preview`
        are asked for only when they are due."""
        now = time.monotonic()
        if now < self._next_share:
            return
        self._next_share = now + SHARE_SECONDS
        if registry.version != self._schema:
            self._schema, self._shared = registry.version, {}
            self._send(("schema", {
                "nodes": [leaf(p, registry.value(p.path)) for p in registry.listed()],
                "commands": [command(address, types, doc) for address, (types, doc, _) in COMMANDS.items()],
                "scenes": sorted(p.stem for p in data_dir("presets").glob("*.toml")), **menus,
            }))
        values = {}
        for param in registry.listed():
            value = leaf(param, registry.value(param.path))["VALUE"]
            if self._shared.get(param.osc_address) != value:
                values[param.osc_address] = self._shared[param.osc_address] = value
        pending = [[number, what, text] for number, (what, text) in self.pending.items()]
        self._send(("state", (values, hud(), pending)))
        if now >= self._next_preview:
            self._next_preview = now + PREVIEW_SECONDS
            self._send(("preview", preview()))

    def decide(self, number: int, approved: bool) -> None:
        """The operator's word on a waiting name or story."""
        if number not in self.pending:
            raise UserError(f"nothing is waiting as {number}; waiting: {', '.join(map(str, self.pending)) or 'none'}")
        del self.pending[number]
        self._send(("approve" if approved else "reject", number))

    def qr_png(self, url: str | None = None) -> bytes:
        """The page's address (or another, such as the remote's) as a QR code, to print or show."""
        import segno

        out = io.BytesIO()
        segno.make(url or self.url, error="m").save(out, kind="png", scale=10, border=2)
        return out.getvalue()

    def _send(self, message) -> None:
        try:
            self._pipe.send(message)
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        self._send(("stop",))
        self._process.join(timeout=3.0)
        if self._process.is_alive():
            self._process.kill()
        self._pipe.close()


def reachable(host: str) -> str:
    """An address phones can use: the host itself, or this machine's address on its network."""
    if host not in ("0.0.0.0", "", "::"):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: it picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def serve(pipe, host: str, port: int, token: str) -> None:
    """The server's process: the page, its API, the operator's remote, and the pipe to the show."""
    from aiohttp import web

    from neoterra_glow.audience.remote import Remote
    from neoterra_glow.audience.visitors import Visitors

    leave_ctrl_c_to_the_show()
    logging.disable(logging.WARNING)  # the show reports what this process counts
    loop = asyncio.new_event_loop()
    visitors = Visitors(lambda message: pipe.send(message))
    remote = Remote(token, lambda message: pipe.send(message))
    app = visitors.app()
    remote.route(app)
    runner = web.AppRunner(app, access_log=None)
    try:
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, host, port).start())
    except OSError as error:
        pipe.send(("error", error.strerror or str(error)))
        return
    pipe.send(("ready", runner.addresses[0][1]))
    stop = asyncio.Event()

    def from_show() -> None:
        try:
            while pipe.poll():
                message = pipe.recv()
                if message[0] == "stop":
                    stop.set()
                elif message[0] in ("schema", "state", "preview"):
                    loop.create_task(remote.show_said(*message))
                else:
                    visitors.tell(*message)
        except (EOFError, OSError):
            stop.set()  # the show is gone: so is its page

    loop.add_reader(pipe.fileno(), from_show)

    async def run() -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), FEELINGS_SECONDS)
            except asyncio.TimeoutError:
                pass
            visitors.report(time.monotonic())

    loop.run_until_complete(run())
    loop.run_until_complete(runner.cleanup())
