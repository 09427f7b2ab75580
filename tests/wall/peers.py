"""Peers for the wall's attack tests, on loopback: a leader or follower process as the operator
starts it (with a key made by `wall-key`), and the other end played by the test through the
wall's own handshake and seals, with the right key or a stranger's."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from neoterra_glow.wall.key import NONCE_BYTES, nonce, proof, proven, read_key
from neoterra_glow.wall.protocol import PROOF, Link, plain, receive_proof

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def make_key(folder: Path, name: str = "wall.key") -> Path:
    key = folder / name
    subprocess.run([sys.executable, "-m", "neoterra_glow", "wall-key", str(key)], cwd=folder, env=ENV, check=True, capture_output=True)
    return key


def show(folder: Path, key: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "neoterra_glow", "show", *args, "--wall-key", str(key)], cwd=folder, env=ENV,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not check():
        time.sleep(0.1)
    return check()


def follower_handshake(sock: socket.socket, key: bytes) -> Link:
    """As a follower: prove the key to a leader (which must prove it first)."""
    ours = nonce()
    sock.sendall(plain(PROOF, ours))
    answer = receive_proof(sock)
    theirs = answer[:NONCE_BYTES]
    assert proven(proof(key, b"leader", ours, theirs), answer[NONCE_BYTES:]), "the leader did not prove the key"
    sock.sendall(plain(PROOF, proof(key, b"follower", theirs, ours)))
    return Link(key, theirs, ours, leading=False)


def leader_handshake(sock: socket.socket, key: bytes) -> Link | None:
    """As a leader: answer a follower's nonce, and check its proof (None: it gave up, as it should with a wrong key)."""
    theirs, ours = receive_proof(sock), nonce()
    sock.sendall(plain(PROOF, ours + proof(key, b"leader", theirs, ours)))
    try:
        shown = receive_proof(sock)
    except OSError:
        return None
    assert proven(proof(key, b"follower", ours, theirs), shown), "the follower did not prove the key"
    return Link(key, ours, theirs, leading=True)


def key_of(path: Path) -> bytes:
    return read_key(path)
