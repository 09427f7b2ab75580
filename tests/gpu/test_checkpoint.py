"""A checkpoint is data: it names none of the engine's code, and it declares no more than its
canvas and the driver hold. A crafted one (from a file, or a fake wall leader) is refused with
one line, before anything it names is made, written or read."""

import io
import json
import resource
import struct
import time
import zipfile

import numpy as np
import pytest

from neoterra_glow.gpu.checkpoint import CheckpointError
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run

SIZE = (64, 36)


@pytest.fixture
def taken(ctx):
    """A real checkpoint of a small run, and a fresh run to restore into."""
    run = Run(ctx, load_piece("default"), SIZE, 30, 3)
    run.step()
    data = run.checkpoint()
    run.release()
    fresh = Run(ctx, load_piece("default"), SIZE, 30, 3)
    yield data, fresh
    fresh.release()


def crafted(data: bytes, change, blobs: dict[str, bytes] | None = None) -> bytes:
    """The checkpoint with its header changed by `change` and blobs added or replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(members["checkpoint.json"])
    change(header)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in {**members, **(blobs or {}), "checkpoint.json": json.dumps(header).encode()}.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_a_checkpoint_naming_a_function_is_refused_and_writes_no_file(taken, tmp_path):
    data, run = taken
    planted = tmp_path / "planted.pth"
    payload = np.frombuffer(b"import os; os.system('touch /tmp/owned')\n", np.uint8)

    def name_code(header):
        header["state"]["run"]["last_time"] = {
            "dataclass": "neoterra_glow.gpu.checkpoint:save_checkpoint",
            "fields": {"path": {"path": str(planted)}, "data": {"array": 999, "dtype": "|u1", "shape": [len(payload)]}}}

    with pytest.raises(CheckpointError, match="save_checkpoint'?, which is none of the state types a checkpoint keeps"):
        run.restore(crafted(data, name_code, {"blobs/999": payload.tobytes()}))
    assert not planted.exists()


def test_a_zip_bomb_is_refused_before_it_is_read(taken, tmp_path):
    data, run = taken
    header = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("checkpoint.json"))
    bots = header["state"]["run"]["pipeline"]["keeps"]["swarm"]["keeps"]["state"]["keeps"]["bots"]["buffer"]
    bomb = tmp_path / "bomb.ckpt"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in source.namelist():
            if name != f"blobs/{bots}":
                out.writestr(name, source.read(name))
        zeros = bytes(1 << 20)
        with out.open(f"blobs/{bots}", "w", force_zip64=True) as blob:
            for _ in range(2048):  # 2 GiB of bots
                blob.write(zeros)
    assert bomb.stat().st_size < 16 << 20  # a few MB on the wire

    before, started = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.monotonic()
    with pytest.raises(CheckpointError, match=r"(it holds|a blob of) 214\d+ bytes, more than the \d+ a checkpoint of this canvas holds"):
        run.restore(bomb)
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    assert grew < 64 << 20 and time.monotonic() - started < 5, (grew, time.monotonic() - started)


@pytest.mark.parametrize("node", [{}, {"dataclass": 5, "fields": {}}, {"tuple": 3}, {"items": [[[1], 2]]},
                                  {"texture": 0, "size": [1 << 20, 1 << 20], "components": 4, "dtype": "f4"}])
def test_a_malformed_checkpoint_is_refused_with_one_line(taken, node):
    data, run = taken

    def malform(header):
        header["state"]["run"]["last_time"] = node

    with pytest.raises(CheckpointError, match="^the checkpoint: (a malformed checkpoint|run.last_time)"):
        run.restore(crafted(data, malform))


def test_a_good_checkpoint_still_restores(taken):
    data, run = taken
    assert run.restore(data) == 1


def lying(path, name: str, size: int) -> None:
    """Make the zip at `path` say its entry `name` holds `size` bytes, in both of its headers."""
    with zipfile.ZipFile(path) as archive:
        entry, central = archive.getinfo(name), archive.start_dir
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, entry.header_offset + 22, size)  # the local header's uncompressed size
    at = central
    while data[at:at + 4] == b"PK\x01\x02":  # the central directory's entries
        named, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46:at + 46 + named].decode() == name:
            struct.pack_into("<I", data, at + 24, size)
        at += 46 + named + extra + comment
    path.write_bytes(bytes(data))


def test_an_entry_holding_more_than_it_says_is_never_read_past_that(taken, tmp_path):
    data, run = taken
    header = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("checkpoint.json"))
    bots = header["state"]["run"]["pipeline"]["keeps"]["swarm"]["keeps"]["state"]["keeps"]["bots"]["buffer"]
    honest = zipfile.ZipFile(io.BytesIO(data)).getinfo(f"blobs/{bots}").file_size
    liar = tmp_path / "liar.ckpt"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in source.namelist():
            if name != f"blobs/{bots}":
                out.writestr(name, source.read(name))
        with out.open(f"blobs/{bots}", "w") as blob:
            zeros = bytes(1 << 20)
            for _ in range(1024):  # 1 GiB, said to be the bots' honest size
                blob.write(zeros)
    lying(liar, f"blobs/{bots}", honest)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(CheckpointError, match="a malformed checkpoint .*Bad CRC-32"):
        run.restore(liar)
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    assert grew < 64 << 20, f"{grew / 1e6:.0f} MB read"
