"""The wall's messages, over TCP: each is a 4-byte length, a 1-byte kind, then JSON (or, for a
checkpoint, its zip). TCP because the frames' controls must all arrive, in order, and a lost
one would make a follower's piece another piece; the kernel retransmits, and the leader keeps
a bounded queue per follower, so a slow or stopped follower is dropped rather than waited for.

Leader to follower: HELLO (what is played), CHECKPOINT (the state to start from), FRAME (a
frame's index, time, step and controls, as a session line), PRESENT (show frame N now),
REFUSED (why the follower cannot join). Follower to leader: JOIN (its tile, preset and seed),
READY (frame N is rendered), SHOWN (frame N was presented, and when).
"""

from __future__ import annotations

import json
import socket
import struct

FORMAT = "neoterra-glow wall 1"
HELLO, CHECKPOINT, FRAME, PRESENT, REFUSED, JOIN, READY, SHOWN = (bytes([kind]) for kind in b"HCFPXJRS")
_HEADER = struct.Struct(">Ic")
MAX_MESSAGE = 1 << 30


class WallError(OSError):
    """The other end went away or spoke nonsense."""


def pack(kind: bytes, payload: dict | bytes) -> bytes:
    body = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
    return _HEADER.pack(len(body), kind) + body


def receive(sock: socket.socket) -> tuple[bytes, dict | bytes]:
    """One whole message (blocking)."""
    length, kind = _HEADER.unpack(_exactly(sock, _HEADER.size))
    if length > MAX_MESSAGE:
        raise WallError(f"a message of {length} bytes")
    body = _exactly(sock, length)
    return kind, body if kind == CHECKPOINT else json.loads(body)


def split(buffer: bytearray, limit: int = MAX_MESSAGE) -> list[tuple[bytes, dict | bytes]]:
    """The whole messages at the start of `buffer` (non-blocking reads), taken out of it; a
    message said to be longer than `limit` is refused before it is waited for."""
    out = []
    while len(buffer) >= _HEADER.size:
        length, kind = _HEADER.unpack_from(buffer)
        if length > limit:
            raise WallError(f"a message of {length} bytes, more than the {limit} expected")
        if len(buffer) < _HEADER.size + length:
            break
        body = bytes(buffer[_HEADER.size:_HEADER.size + length])
        del buffer[:_HEADER.size + length]
        out.append((kind, body if kind == CHECKPOINT else json.loads(body)))
    return out


def _exactly(sock: socket.socket, count: int) -> bytes:
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(min(count - len(data), 1 << 20))
        if not chunk:
            raise WallError("the other end closed the connection")
        data += chunk
    return bytes(data)
