"""The lights' own thread: at the rig's rate it takes each fixture's colour as it was its
delay ago, holds back any fixture that would flash more than three times a second, and
sends every universe as sACN (E1.31) with the `sacn` library (MIT; `pip install
neoterra-glow[lights]`), or as Art-Net (lights/artnet.py) where the fixtures file says so."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

import numpy as np

from neoterra_glow.errors import UserError
from neoterra_glow.lights.artnet import ArtnetOut
from neoterra_glow.lights.fixtures import Rig
from neoterra_glow.output.flash_guard import committed, switches

log = logging.getLogger(__name__)

TURNS = 6  # a flash is two opposing changes: three flashes a second is six turns


class FlashLimiter:
    """The flash guard's rule for a handful of values: a fixture's brightness turns when it has moved
    CHANGE back the other way from its last turning point; a seventh turn within a second is held.
    The second is counted a packet long (`margin`), so jitter on the way never shows seven turns in one."""

    def __init__(self, count: int, margin: float = 0.0) -> None:
        self.window = 1.0 + margin
        self.anchor = np.zeros(count)
        self.trend = np.zeros(count, np.int8)
        self.turns = np.full((count, TURNS), -np.inf)  # each fixture's last turns' times, oldest first
        self.shown = np.zeros((count, 3))

    def limit(self, now: float, colours: np.ndarray) -> np.ndarray:
        """The colours as they may be sent now."""
        turn = switches(colours.max(axis=1), self.anchor, self.trend)
        held = (turn != 0) & (self.turns[:, 0] > now - self.window)
        turn[held] = 0
        turned = turn != 0
        self.turns[turned] = np.column_stack([self.turns[turned, 1:], np.full(turned.sum(), now)])
        self.shown = np.where(held[:, None], self.shown, colours)
        self.anchor, self.trend = committed(self.shown.max(axis=1), turn, self.anchor, self.trend)
        return self.shown


def encode(rig: Rig, colours: np.ndarray) -> dict[int, bytes]:
    """Each universe's 512 DMX channels for the fixtures' colours (n x 3, 0..1)."""
    gamma = np.array([f.gamma for f in rig.fixtures])[:, None]
    cap = np.array([f.cap for f in rig.fixtures])[:, None]
    light = np.clip(colours, 0.0, 1.0) ** gamma
    universes = {f.universe: bytearray(512) for f in rig.fixtures}
    for fixture, rgb, limit in zip(rig.fixtures, light, cap[:, 0], strict=True):
        if fixture.layout == "rgbw":
            white = rgb.min()
            values = [*(rgb - white), white]
        elif fixture.layout == "dimmer+rgb":
            peak = rgb.max()
            values = [peak, *(rgb / peak if peak > 0 else rgb)]
            limit = np.array([limit, 1.0, 1.0, 1.0])
        else:
            values = list(rgb)
        out = np.rint(np.clip(np.asarray(values) * limit, 0.0, 1.0) * 255).astype(np.uint8)
        universes[fixture.universe][fixture.address - 1:fixture.address - 1 + fixture.channels] = out.tobytes()
    return {u: bytes(data) for u, data in universes.items()}


class SacnOut:
    """The rig's universes as sACN, by the `sacn` library, to a unicast address or multicast."""

    def __init__(self, rig: Rig, bind_address: str) -> None:
        try:
            import sacn
        except ImportError:
            raise UserError("lights need the sacn library: pip install 'neoterra-glow[lights]'") from None
        self._sender = sacn.sACNsender(bind_address=bind_address, bind_port=0, source_name="neoterra-glow",
                                       fps=int(rig.rate), universeDiscovery=False)
        for universe in sorted({f.universe for f in rig.fixtures}):
            self._sender.activate_output(universe)
            if rig.destination:
                self._sender[universe].destination = rig.destination
            else:
                self._sender[universe].multicast = True
        self._sender.manual_flush = True  # the lights' thread paces the packets, not the library's
        self._sender.start()

    def send(self, universes: dict[int, bytes]) -> None:
        for universe, data in universes.items():
            self._sender[universe].dmx_data = data
        self._sender.flush()

    def close(self) -> None:
        self._sender.stop()


class LightSender:
    """Sends the rig from a thread of its own; `push` hands it each frame's colours (cheap: a copy)."""

    def __init__(self, rig: Rig, bind_address: str = "0.0.0.0") -> None:
        self.rig = rig
        if rig.protocol == "artnet":
            assert rig.destination is not None  # the rig's table gives Art-Net its node's address
            self._out: ArtnetOut | SacnOut = ArtnetOut(rig.destination, bind_address)
        else:
            self._out = SacnOut(rig, bind_address)
        self._delays = np.array([f.delay_ms / 1000.0 for f in rig.fixtures])
        self._history: deque[tuple[float, np.ndarray]] = deque()
        self._keep = float(self._delays.max()) + 1.0
        self._limiter = FlashLimiter(len(rig.fixtures), 1.0 / rig.rate)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lights", daemon=True)
        self._thread.start()

    def push(self, colours: np.ndarray, now: float | None = None) -> None:
        """The fixtures' colours in the frame just shown."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._history.append((now, np.array(colours, dtype=float)))
            while len(self._history) > 2 and self._history[1][0] < now - self._keep:
                self._history.popleft()

    def _due(self, now: float) -> np.ndarray | None:
        """Each fixture's colour as it was its delay ago (black before the first frame that old)."""
        with self._lock:
            if not self._history:
                return None
            times = np.array([t for t, _ in self._history])
            stack = np.stack([c for _, c in self._history])
        index = np.searchsorted(times, now - self._delays, side="right") - 1
        colours = stack[np.maximum(index, 0), np.arange(len(self._delays))]
        return np.where((index >= 0)[:, None], colours, 0.0)

    def _run(self) -> None:
        period = 1.0 / self.rig.rate
        next_send = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            colours = self._due(now)
            if colours is not None:
                try:
                    self._out.send(encode(self.rig, self._limiter.limit(now, colours)))
                except OSError as error:
                    log.warning("lights: cannot send: %s", error)
            next_send = max(next_send + period, time.monotonic() - period)
            self._stop.wait(max(0.0, next_send - time.monotonic()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        self._out.close()
