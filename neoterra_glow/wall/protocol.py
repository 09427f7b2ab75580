"""The wall's messages, over TCP. TCP because the frames' controls must all arrive, in order,
and a lost one would make a follower's piece another piece; the kernel retransmits, and the
leader keeps a bounded queue per follower, so a slow or stopped follower is dropped rather
than waited for.

A connection opens with the handshake, PROOF messages of fixed sizes and nothing else: the
follower sends a fresh nonce; the leader answers with its own nonce and its proof of the
wall's key over both; the follower checks it and sends its own proof. Only then is anything
said. Every later message is sealed: a 4-byte length, a 1-byte kind, the body (JSON, or a
checkpoint's zip), then an HMAC-SHA256 of its number on this connection, its kind and body,
under this connection's key for its direction (wall/key.py), so a message forged, altered,
replayed from another connection or out of its order is refused.

Leader to follower: HELLO (what is played), CHECKPOINT (the state to start from), FRAME (a
frame's index, time, step and controls, as a session line), PRESENT (show frame N now),
REFUSED (why the follower cannot join). Follower to leader: JOIN (its tile, preset and seed),
BUILT (its piece is built from the hello: the checkpoint may come), READY (frame N is rendered),
SHOWN (frame N was presented, and when). A follower builds its piece (shaders, glyphs) before
it asks for the checkpoint, since frames stamped meanwhile count against it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import struct
from pathlib import Path

from neoterra_glow.resources import data_dir
from neoterra_glow.wall.key import NONCE_BYTES, proof

FORMAT = "neoterra-glow wall 3"
HELLO, CHECKPOINT, FRAME, PRESENT, REFUSED, JOIN, BUILT, READY, SHOWN, PROOF = (bytes([kind]) for kind in b"HCFPXJBRSA")
HEADER = struct.Struct(">Ic")
TAG_BYTES = 32
MESSAGE = 1 << 20  # any message but a checkpoint: a few hundred bytes of JSON


class WallError(OSError):
    """The other end went away, spoke nonsense, or does not hold the wall's key."""


def plain(kind: bytes, body: bytes) -> bytes:
    """A handshake message: not sealed, as there is no key between the ends yet."""
    return HEADER.pack(len(body), kind) + body


def take_proof(buffer: bytearray) -> bytes | None:
    """The next handshake message's body from `buffer` (non-blocking reads), or None while it is
    incomplete; anything but a PROOF of its fixed size is refused before it is waited for."""
    if len(buffer) < HEADER.size:
        return None
    length, kind = HEADER.unpack_from(buffer)
    if kind != PROOF or length not in (NONCE_BYTES, 2 * NONCE_BYTES):
        raise WallError("it does not open with the wall's handshake")
    if len(buffer) < HEADER.size + length:
        return None
    body = bytes(buffer[HEADER.size:HEADER.size + length])
    del buffer[:HEADER.size + length]
    return body


def receive_proof(sock: socket.socket) -> bytes:
    """A handshake message (blocking)."""
    buffer = bytearray(exactly(sock, HEADER.size))
    length, _ = HEADER.unpack_from(buffer)
    take_proof(buffer)  # refuses any other kind or size
    return exactly(sock, length)


class Link:
    """One connection's sealed messages, under keys drawn from the wall's key and both ends'
    nonces (`leading`: this end is the leader)."""

    def __init__(self, key: bytes, leader_nonce: bytes, follower_nonce: bytes, leading: bool) -> None:
        down = proof(key, b"leader to follower", follower_nonce, leader_nonce)
        up = proof(key, b"follower to leader", follower_nonce, leader_nonce)
        self._out, self._in = (down, up) if leading else (up, down)
        self._sent = self._heard = 0

    def pack(self, kind: bytes, payload: dict | bytes) -> bytes:
        body = payload if isinstance(payload, bytes) else json.dumps(payload, separators=(",", ":")).encode()
        tag = _tag(self._out, self._sent, kind, body)
        self._sent += 1
        return HEADER.pack(len(body), kind) + body + tag

    def split(self, buffer: bytearray, limit: int = MESSAGE, checkpoint: int = 0) -> list[tuple[bytes, dict | bytes]]:
        """The whole messages at the start of `buffer` (non-blocking reads), checked and taken out
        of it; one said to be longer than `limit` (`checkpoint`, for a checkpoint) is refused
        before it is waited for."""
        out = []
        while len(buffer) >= HEADER.size:
            length, kind = HEADER.unpack_from(buffer)
            most = checkpoint if kind == CHECKPOINT else limit
            if length > most:
                raise WallError(f"a message of {length} bytes, more than the {most} expected")
            end = HEADER.size + length
            if len(buffer) < end + TAG_BYTES:
                break
            body = bytes(buffer[HEADER.size:end])
            if not hmac.compare_digest(_tag(self._in, self._heard, kind, body), bytes(buffer[end:end + TAG_BYTES])):
                raise WallError("a message not sealed with the wall's key for this connection")
            self._heard += 1
            del buffer[:end + TAG_BYTES]
            out.append((kind, body if kind == CHECKPOINT else _object(body)))
        return out

    def receive(self, sock: socket.socket, limit: int = MESSAGE, checkpoint: int = 0) -> tuple[bytes, dict | bytes]:
        """One whole message (blocking), checked as `split` checks it."""
        buffer = bytearray(exactly(sock, HEADER.size))
        length, kind = HEADER.unpack_from(buffer)
        if length > (checkpoint if kind == CHECKPOINT else limit):
            raise WallError(f"a message of {length} bytes, more than expected")
        buffer += exactly(sock, length + TAG_BYTES)
        return self.split(buffer, limit, checkpoint)[0]


def _tag(key: bytes, number: int, kind: bytes, body: bytes) -> bytes:
    return hmac.new(key, number.to_bytes(8, "big") + kind + body, hashlib.sha256).digest()


def _refuse_constant(word: str):
    raise ValueError(f"{word} is not a number the wall sends")


def _object(body: bytes) -> dict:
    """A message's JSON, which must be an object of finite values."""
    try:
        message = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise WallError(f"a message that is not JSON ({str(error)[:80]})") from None
    if not isinstance(message, dict):
        raise WallError(f"a message that is a JSON {type(message).__name__}, not an object")
    return message


def exactly(sock: socket.socket, count: int) -> bytes:
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(min(count - len(data), 1 << 20))
        if not chunk:
            raise WallError("the other end closed the connection")
        data += chunk
    return bytes(data)


def played(path: Path) -> tuple[str, str]:
    """What a follower finds the preset by (a shipped preset's name, or the file's own name in
    its folder; never where it lies on the leader's disk) and the file's SHA-256, to be sure it
    found the same."""
    name = path.stem if path.resolve().parent == data_dir("presets").resolve() else path.name
    return name, hashlib.sha256(path.read_bytes()).hexdigest()
