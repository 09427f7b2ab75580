"""A real follower on loopback against a fake leader: one without the key, then one with it (a
leader gone wrong) sending a hello with no canvas, a checkpoint that names code, and a zip
bomb. The follower writes no file, holds its memory, says each in a line and joins again;
it never exits."""

from __future__ import annotations

import io
import json
import socket
import zipfile
from pathlib import Path

import numpy as np

from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.resources import data_dir
from neoterra_glow.wall.feed import Feed
from neoterra_glow.wall.protocol import BUILT, CHECKPOINT, FORMAT, HELLO, played
from tests.wall.peers import key_of, leader_handshake, make_key, show

CANVAS, SEED = (256, 72), 3


def hello(**leave_out) -> dict:
    name, digest = played(data_dir("presets") / "default.toml")
    whole = {"format": FORMAT, "preset": name, "digest": digest, "seed": SEED, "canvas": list(CANVAS), "epoch": 0.0, "fps": 20.0}
    return {key: value for key, value in whole.items() if key not in leave_out}


def checkpoints(ctx, planted: Path) -> tuple[bytes, bytes]:
    """A checkpoint of what the follower plays that names save_checkpoint, and one holding a 2 GiB blob."""
    piece = load_piece("default")
    run = Run(ctx, piece, CANVAS, 20, SEED, Feed(piece.preset.path.resolve(), SEED, CANVAS, 0.0))
    data = run.checkpoint()
    run.release()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(members["checkpoint.json"])
    payload = np.frombuffer(b"import os; os.system('touch /tmp/owned')\n", np.uint8)
    header["state"]["run"]["last_time"] = {
        "dataclass": "neoterra_glow.gpu.checkpoint:save_checkpoint",
        "fields": {"path": {"path": str(planted)}, "data": {"array": 999, "dtype": "|u1", "shape": [len(payload)]}}}
    code, bomb = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(code, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in {**members, "checkpoint.json": json.dumps(header).encode(), "blobs/999": payload.tobytes()}.items():
            out.writestr(name, body)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name, body in members.items():
            out.writestr(name, body)
        with out.open("blobs/1000", "w", force_zip64=True) as blob:  # 2 GiB in a few MB
            zeros = bytes(1 << 20)
            for _ in range(2048):
                blob.write(zeros)
    return code.getvalue(), bomb.getvalue()


def test_a_follower_outlives_a_fake_leader_and_joins_again(ctx, tmp_path):
    key_file = make_key(tmp_path)
    key = key_of(key_file)
    planted = tmp_path / "planted.pth"
    code, bomb = checkpoints(ctx, planted)
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(60)
    port = server.getsockname()[1]
    follower = show(tmp_path, key_file, "--follow", f"127.0.0.1:{port}", "--tile", "0,0,128,72", "--headless")
    try:
        def next_join(key_used: bytes):
            sock, _ = server.accept()
            sock.settimeout(30)
            return sock, leader_handshake(sock, key_used)

        sock, link = next_join(bytes(32))  # a leader without the key: the follower gives up on it
        assert link is None
        sock.close()
        for said_hello, state in ((hello(canvas=None), None), (hello(), code), (hello(), bomb)):
            sock, link = next_join(key)
            link.receive(sock)  # its JOIN
            sock.sendall(link.pack(HELLO, said_hello))
            if state is not None:
                assert link.receive(sock)[0] == BUILT  # it built the piece the hello named, and asks for the state
                sock.sendall(link.pack(CHECKPOINT, state))
            assert sock.recv(1) == b""  # it lets this leader go, and joins again
            sock.close()
        sock, link = next_join(key)  # once more: it is still there
        sock.close()
        assert follower.poll() is None
        peak = int(next(line for line in Path(f"/proc/{follower.pid}/status").read_text().splitlines()
                        if line.startswith("VmHWM")).split()[1]) * 1024
    finally:
        server.close()
        follower.terminate()
        _, said = follower.communicate(timeout=60)
    assert not planted.exists()
    assert "did not prove the wall's key" in said
    assert "its hello has no good canvas" in said
    assert "which is none of the state types a checkpoint keeps" in said
    assert "more than the" in said  # the bomb, refused before it was read
    assert "Traceback" not in said, said[-3000:]
    print(f"the follower's memory peaked at {peak / 1e6:.0f} MB")
    assert peak < 1.5e9, f"the follower's memory peaked at {peak / 1e9:.2f} GB"
