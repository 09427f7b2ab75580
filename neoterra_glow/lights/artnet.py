"""Art-Net 4 out: ArtDmx packets, unicast to a node. Written by hand (a header of 18 bytes): the
Python libraries measured (stupidArtnet 1.6) print their errors instead of raising them, open a
socket a universe and clamp the universe to 0..255 unless told otherwise."""

from __future__ import annotations

import socket
import struct

PORT = 6454  # Art-Net's UDP port
PROTOCOL = 14  # Art-Net 4's protocol version
OP_DMX = 0x5000


def artdmx(universe: int, sequence: int, data: bytes) -> bytes:
    """An ArtDmx packet: `universe` is the 15-bit Port-Address (net, sub-net, universe), `sequence`
    1..255 so a node can put late packets back in order, `data` up to 512 channels (sent even)."""
    if len(data) % 2:
        data += b"\x00"
    return b"Art-Net\x00" + struct.pack("<H", OP_DMX) + struct.pack(">H", PROTOCOL) + bytes((sequence, 0)) + \
        struct.pack("<H", universe) + struct.pack(">H", len(data)) + data


class ArtnetOut:
    """The rig's universes to one node, each with its own sequence."""

    def __init__(self, destination: str, bind_address: str = "0.0.0.0") -> None:
        self.destination = destination
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((bind_address, 0))
        self._sequences: dict[int, int] = {}

    def send(self, universes: dict[int, bytes]) -> None:
        for universe, data in universes.items():
            sequence = self._sequences.get(universe, 0) % 255 + 1
            self._sequences[universe] = sequence
            self._socket.sendto(artdmx(universe, sequence, data), (self.destination, PORT))

    def close(self) -> None:
        self._socket.close()
