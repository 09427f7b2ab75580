"""The wall's shared secret: a key file the operator makes once (`neoterra-glow wall-key FILE`)
and copies to every machine of the wall. Leader and follower each prove they hold it before
anything else is said, and every message after is sealed with keys drawn from it and from
both ends' fresh nonces (protocol.Link)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from neoterra_glow.errors import UserError

KEY_BYTES = 32
NONCE_BYTES = 32


def make_key(path: Path) -> None:
    """A new key in `path`, readable by its owner only; an existing file is never overwritten."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UserError(f"{path}: already exists; a wall's machines share one key: copy that file, or remove it first") from None
    with os.fdopen(descriptor, "w") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")


def read_key(path: Path) -> bytes:
    """The key in `path`, which only its owner may read (as ssh insists of a private key)."""
    try:
        mode, text = path.stat().st_mode, path.read_text(encoding="ascii", errors="replace")[:1024]
    except OSError as error:
        raise UserError(f"{path}: cannot read the wall's key ({error.strerror or error}); "
                        "make one with: neoterra-glow wall-key FILE") from None
    if mode & 0o077:
        raise UserError(f"{path}: the wall's key is readable by others; make it the owner's alone: chmod 600 {path}")
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) < 16:
        raise UserError(f"{path}: not a wall key; make one with: neoterra-glow wall-key FILE, and copy it to every machine")
    return key


def nonce() -> bytes:
    return secrets.token_bytes(NONCE_BYTES)


def proof(key: bytes, role: bytes, first: bytes, second: bytes) -> bytes:
    """What `role` ("leader", "follower", or a direction's key) shows of the key over both nonces,
    the asker's first: a proof made for one connection, or one role, is of no use in another."""
    return hmac.new(key, b"neoterra-glow wall " + role + b"\0" + first + second, hashlib.sha256).digest()


def proven(expected: bytes, given: bytes) -> bool:
    return hmac.compare_digest(expected, given)
