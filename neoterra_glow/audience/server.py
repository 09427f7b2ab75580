"""The participation server: a phone page where visitors see their own smile drawn from their
name or story, send it to the wall, and move the room with what they feel.

It runs in a process of its own (aiohttp), so a crowd on the page never holds up a frame:
it checks and limits what visitors send, draws their glyphs, aggregates their feelings,
and hands the show only approved glyphs and the crowd's feelings, drained at the frame
boundary. Nothing a visitor sends reaches a file, a shader or a parameter but through those.
Refusals are counted and logged, a few times a minute at most.

Nothing blocks between the two processes: each side sends through an Outbox (a thread of its
own, a byte budget, drops counted), over two one-way pipes; a glyph travels compact; the
waiting list stays in the page's process and the remote reads it a page at a time. The show
watches the process and starts it again, with backoff, on the same port, if it dies.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import io
import logging
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neoterra_glow.audience.compact import expanded
from neoterra_glow.audience.remote import remote_token
from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.control.emotions import EMOTIONS
from neoterra_glow.control.message import Control
from neoterra_glow.control.oscquery import command, leaf, reachable
from neoterra_glow.core.children import Backoff, Outbox, leave_ctrl_c_to_the_show
from neoterra_glow.core.params import Registry
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.errors import UserError
from neoterra_glow.resources import data_dir

log = logging.getLogger(__name__)

FEELINGS_SECONDS = 0.25  # how often the crowd's feelings go to the show
SHARE_SECONDS = 0.25  # how often the remote hears of the show's values
PREVIEW_SECONDS = 1.0  # how often it gets a new preview
TO_PAGE_BYTES = 4 << 20  # what the show lets wait for the page's process at most
TO_SHOW_BYTES = 8 << 20  # and what that process lets wait for the show
MESSAGES_A_FRAME = 256  # read from the page's process at one frame boundary at most
ARRIVED = 256  # glyphs drawn and waiting for a frame of their own at most


class AudienceServer:
    """`take(registry)` at a frame boundary: the glyphs approved since the last and the crowd's
    feelings, as Controls (/wall/add, /crowd/feel), which the desk applies and a session records.

    `token_file`: where the remote's token is kept (owner-only, the same across restarts)."""

    def __init__(self, host: str, port: int, page_url: str | None = None, token_file: Path | None = None) -> None:
        self.token = remote_token(token_file)  # the operator's remote needs it
        self._key = hmac.new(self.token.encode(), b"visitor cookies", hashlib.sha256).digest()
        self.glyphs: dict[str, object] = {}  # text -> its glyph, drawn by the server, until the desk takes it
        self.pending: dict[int, tuple[str, str]] = {}  # id -> (kind, text): waiting for the operator
        self.rejections = Rejections("audience ")
        self.visitors = self.restarts = 0
        self._backoff = Backoff()
        self._down = self._closing = False
        self._settings: dict | None = None
        self._arrived: collections.deque[tuple[str, bytes]] = collections.deque()  # (text, SDF) drawn, waiting for their frame
        self._schema: int | None = None  # the registry's version the remote was last told of
        self._shared: dict[str, object] = {}  # address -> the value the remote was last told
        self._next_share = self._next_preview = 0.0
        self.host = host
        self._start(port)
        value: Any  # the port the page's process serves on, or why it did not start
        kind, value = "error", "it did not start"
        try:
            if self._inbox.poll(30.0):
                kind, value = self._inbox.recv()
        except (EOFError, OSError):
            kind, value = "error", "its process ended"
        if kind == "error":
            self.close()
            raise UserError(f"cannot serve the audience page on http://{host}:{port}/: {value}")
        self.port = value
        self.url = page_url or f"http://{reachable(host)}:{self.port}/"
        self.remote_url = f"{self.url}remote/?token={self.token}"

    def _start(self, port: int) -> None:
        """Start the page's process (its answer comes through the inbox)."""
        context = multiprocessing.get_context("spawn")
        self._inbox, theirs_out = context.Pipe(duplex=False)
        theirs_in, ours_out = context.Pipe(duplex=False)
        self._process = context.Process(target=serve, args=(theirs_in, theirs_out, self.host, port, self.token, self._key),
                                        name="audience", daemon=True)
        self._process.start()
        theirs_in.close()
        theirs_out.close()
        self._outbox = Outbox(ours_out, TO_PAGE_BYTES, "audience-send")
        self._backoff.started(time.monotonic())

    def watch(self, now: float) -> None:
        """Start the page's process again if it died: at once, then with backoff if it keeps dying."""
        if self._closing or self._process.is_alive():
            return
        if not self._down:
            self._down = True
            self._backoff.died(now)
            self.rejections.count("page stopped", f"the audience page's process stopped (exit {self._process.exitcode}); "
                                                  f"it starts again in {self._backoff.due - now:.0f} s")
            self._outbox.close(0.0)
            self._inbox.close()
        if now < self._backoff.due:
            return
        self._down = False
        self.restarts += 1
        self._start(self.port)
        self._settings = self._schema = None  # the new process hears everything again
        if self.pending:
            self._send(("restore", dict(self.pending)))

    def take(self, registry: Registry) -> list[Control]:
        self.watch(time.monotonic())
        settings = {key: registry.value(f"audience.{key}") for key in ("approve_names", "approve_stories")}
        if settings != self._settings and not self._down and self._send(("settings", settings)):
            self._settings = settings
        controls: list[Control] = []
        try:
            for _ in range(MESSAGES_A_FRAME):
                if self._down or not self._inbox.poll():
                    break
                controls += self._heard(registry, *self._inbox.recv())
        except (EOFError, OSError):
            pass  # the server is gone; what came before stays, and watch() starts it again
        if self._arrived:  # one smile joins the wall a frame: each rebuilds the atlas, and none is dropped
            text, sdf = self._arrived.popleft()
            try:
                self.glyphs[text] = expanded(text, sdf)
                controls.append(Control("/wall/add", (text,)))
            except ValueError as error:
                self.rejections.count("bad glyph", f"{text[:40]}: {error}")
        return controls

    def _heard(self, registry: Registry, kind: str, *rest) -> list[Control]:
        """One message from the page's process, as the Controls it makes (if any)."""
        if kind == "glyph":
            if len(self._arrived) < ARRIVED:
                self._arrived.append(tuple(rest))
            else:
                self.rejections.count("too many arriving", f"{ARRIVED} smiles wait for the wall already; {rest[0][:40]} is dropped")
        elif kind == "pending":
            number, what, text = rest
            self.pending[number] = (what, text)
        elif kind == "rejected":  # the remote turned every waiting item away, up to this number
            self.pending = {n: item for n, item in self.pending.items() if n > rest[0]}
        elif kind == "feelings":
            room, self.visitors = rest
            gain = registry.value("audience.gain")
            return [Control("/crowd/feel", tuple(room[name] * gain for name in EMOTIONS))]  # the room mixes it with the desk
        elif kind == "control":  # from the operator's remote
            address, args = rest
            return [Control(address, tuple(args))]
        elif kind == "refused":
            for why, (times, detail) in rest[0].items():
                self.rejections.count(why, detail, times)
        elif kind == "error":  # a restart that could not listen: watch() tries again later
            self.rejections.count("page stopped", f"the audience page could not start again: {rest[0]}")
        return []

    def share(self, registry: Registry, hud: Callable[[], list[str]], menus: dict[str, list[str]],
              preview: Callable[[], bytes]) -> None:
        """Tell the remote what it shows, a few times a second: the parameters (when they change),
        their values that moved, the HUD's lines; and a preview once a second. `menus`: the
        show's cues and fault kinds, for the remote's buttons. `hud` and `preview` are asked
        for only when they are due."""
        now = time.monotonic()
        if now < self._next_share or self._down:
            return
        self._next_share = now + SHARE_SECONDS
        if registry.version != self._schema:
            schema = {
                "nodes": [leaf(p, registry.value(p.path)) for p in registry.listed()],
                "commands": [command(address, types, doc) for address, (types, doc, _) in COMMANDS.items()],
                "scenes": sorted(p.stem for p in data_dir("presets").glob("*.toml")), **menus,
            }
            if not self._send(("schema", schema)):
                return  # told again at the next share
            self._schema, self._shared = registry.version, {}
        values = {}
        for param in registry.listed():
            value = leaf(param, registry.value(param.path)).get("VALUE")  # a trigger has none
            if self._shared.get(param.osc_address) != value:
                values[param.osc_address] = value
        if self._send(("state", (values, hud()))):
            self._shared.update(values)
        if now >= self._next_preview:
            self._next_preview = now + PREVIEW_SECONDS
            self._send(("preview", preview()))

    def decide(self, number: int, approved: bool) -> None:
        """The operator's word on a waiting name or story."""
        if number not in self.pending:
            raise UserError(f"nothing is waiting as {number}; waiting: {', '.join(map(str, list(self.pending)[:20])) or 'none'}")
        if not self._send(("approve" if approved else "reject", number)):
            raise UserError(f"the audience page is not answering; {number} still waits")
        del self.pending[number]

    def qr_png(self, url: str | None = None) -> bytes:
        """The page's address (or another, such as the remote's) as a QR code, to print or show."""
        import segno

        out = io.BytesIO()
        segno.make(url or self.url, error="m").save(out, kind="png", scale=10, border=2)
        return out.getvalue()

    def _send(self, message) -> bool:
        if self._outbox.send(message):
            return True
        self.rejections.count("not delivered", f"the audience page's process is not reading; a {message[0]} message was dropped")
        return False

    def close(self) -> None:
        self._closing = True
        self._outbox.send(("stop",))
        self._outbox.close(1.0)
        self._process.join(timeout=3.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=3.0)
        self._inbox.close()


def serve(inbox, outbox, host: str, port: int, token: str, key: bytes) -> None:
    """The server's process: the page, its API, the operator's remote, and the pipes to the show."""
    from aiohttp import web

    from neoterra_glow.audience.remote import Remote
    from neoterra_glow.audience.visitors import Visitors

    leave_ctrl_c_to_the_show()
    logging.disable(logging.WARNING)  # the show reports what this process counts
    to_show = Outbox(outbox, TO_SHOW_BYTES, "audience-tell")
    loop = asyncio.new_event_loop()
    visitors = Visitors(to_show.send, key)
    remote = Remote(token, to_show.send, visitors.waiting)
    app = visitors.app()
    remote.route(app)
    runner = web.AppRunner(app, access_log=None)
    try:
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, host, port).start())
    except OSError as error:
        to_show.send(("error", error.strerror or str(error)))
        to_show.close(3.0)
        return
    to_show.send(("ready", runner.addresses[0][1]))
    stop = asyncio.Event()

    def from_show() -> None:
        try:
            while inbox.poll():
                message = inbox.recv()
                if message[0] == "stop":
                    stop.set()
                elif message[0] in ("schema", "state", "preview"):
                    loop.create_task(remote.show_said(*message))
                else:
                    visitors.tell(*message)
        except (EOFError, OSError):
            stop.set()  # the show is gone: so is its page

    loop.add_reader(inbox.fileno(), from_show)

    async def run() -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), FEELINGS_SECONDS)
            except TimeoutError:
                pass
            visitors.report(time.monotonic())
            if to_show.dropped:
                visitors.refuse("not delivered", f"the show was not reading; {to_show.dropped} messages to it were dropped")
                to_show.dropped = 0

    loop.run_until_complete(run())
    loop.run_until_complete(runner.cleanup())
    to_show.close(1.0)
