"""An independent sACN receiver for the tests: a raw UDP socket on loopback that parses E1.31
data packets as the standard lays them out (ANSI E1.31-2018, section 4: root, framing, DMP)."""

from __future__ import annotations

import socket
import struct
import threading
import time

PORT = 5568
ACN_ID = b"ASC-E1.17\x00\x00\x00"


def parse(packet: bytes) -> tuple[int, bytes] | None:
    """(universe, DMX channels) of an E1.31 data packet; None for anything else (sync, discovery)."""
    if len(packet) < 126 or packet[4:16] != ACN_ID or struct.unpack(">I", packet[18:22])[0] != 0x04:
        return None
    if struct.unpack(">I", packet[40:44])[0] != 0x02 or packet[117] != 0x02 or packet[125] != 0x00:
        return None  # not DMX data with the null start code
    universe = struct.unpack(">H", packet[113:115])[0]
    count = struct.unpack(">H", packet[123:125])[0] - 1
    return universe, packet[126:126 + count]


class Receiver:
    """Collects (arrival time, universe, channels) of every data packet sent to 127.0.0.1."""

    def __init__(self) -> None:
        self.packets: list[tuple[float, int, bytes]] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", PORT))
        self._socket.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._socket.recv(1024)
            except TimeoutError:
                continue
            parsed = parse(data)
            if parsed:
                self.packets.append((time.monotonic(), *parsed))

    def of(self, universe: int) -> list[tuple[float, bytes]]:
        return [(t, data) for t, u, data in list(self.packets) if u == universe]

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()
