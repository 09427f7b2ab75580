"""Independent receivers for the tests: a raw UDP socket on loopback that parses E1.31 data
packets as the standard lays them out (ANSI E1.31-2018, section 4: root, framing, DMP), or
Art-Net's ArtDmx as the Art-Net 4 specification does (its table of ArtDmx fields)."""

from __future__ import annotations

import socket
import struct
import threading
import time

PORT = 5568
ACN_ID = b"ASC-E1.17\x00\x00\x00"
ARTNET_PORT = 6454


def parse(packet: bytes) -> tuple[int, bytes] | None:
    """(universe, DMX channels) of an E1.31 data packet; None for anything else (sync, discovery)."""
    if len(packet) < 126 or packet[4:16] != ACN_ID or struct.unpack(">I", packet[18:22])[0] != 0x04:
        return None
    if struct.unpack(">I", packet[40:44])[0] != 0x02 or packet[117] != 0x02 or packet[125] != 0x00:
        return None  # not DMX data with the null start code
    universe = struct.unpack(">H", packet[113:115])[0]
    count = struct.unpack(">H", packet[123:125])[0] - 1
    return universe, packet[126:126 + count]


def parse_artdmx(packet: bytes) -> tuple[int, bytes] | None:
    """(Port-Address, DMX channels) of an ArtDmx packet; None for anything else. Its fields: ID
    "Art-Net" and a zero, OpCode 0x5000 low byte first, protocol version 14 high byte first,
    Sequence, Physical, SubUni then Net (the 15-bit Port-Address, low byte first), Length (even,
    2..512, high byte first), then the channels."""
    if len(packet) < 20 or packet[:8] != b"Art-Net\x00" or packet[8:10] != b"\x00\x50" or packet[10:12] != b"\x00\x0e":
        return None
    length = packet[16] << 8 | packet[17]
    if length % 2 or not 2 <= length <= 512 or len(packet) != 18 + length or packet[15] & 0x80:
        return None
    return packet[14] | packet[15] << 8, packet[18:]


class Receiver:
    """Collects (arrival time, universe, channels) of every data packet sent to 127.0.0.1; `sequences`,
    the Art-Net packets' sequence numbers."""

    def __init__(self, artnet: bool = False) -> None:
        self.packets: list[tuple[float, int, bytes]] = []
        self.sequences: list[int] = []
        self._parse = parse_artdmx if artnet else parse
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", ARTNET_PORT if artnet else PORT))
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
            parsed = self._parse(data)
            if parsed:
                self.packets.append((time.monotonic(), *parsed))
                self.sequences.append(data[12])

    def of(self, universe: int) -> list[tuple[float, bytes]]:
        return [(t, data) for t, u, data in list(self.packets) if u == universe]

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()
