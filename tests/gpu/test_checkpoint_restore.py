"""Checkpoints: a run restored from frame N's checkpoint renders frame N onwards byte for byte
as the run that went straight through, whatever happened before N (a scene change, faults,
emotions, a visitor's smile, the swarm resized); a checkpoint that does not fit is refused."""

import json
import zipfile

import pytest

from neoterra_glow.direction.session import read_session
from neoterra_glow.gpu.checkpoint import CheckpointError
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from tests.farm.sessions import FPS, record_set


def replay(ctx, session_path):
    session = read_session(session_path)
    return Run(ctx, load_piece(session.preset), session.size, FPS, session.seed, session)


def frames(run, count):
    out = []
    for _ in range(count):
        _, image = run.step()
        out.append(image.texture.read())
    return out


def test_a_restored_run_renders_the_same_bytes_as_one_that_went_straight_through(ctx, tmp_path):
    played = record_set(tmp_path / "set.oscrec", 36)
    straight = replay(ctx, played)
    whole = frames(straight, 36)
    straight.release()

    first = replay(ctx, played)
    before = frames(first, 20)
    first.save(tmp_path / "at-20.ckpt")
    first.release()
    second = replay(ctx, played)
    assert second.restore(tmp_path / "at-20.ckpt") == 20
    assert second.piece.preset.path.stem == "ember-tide"  # the scene it had changed to
    assert len(second.pipeline["swarm"].glyphs) == len(load_piece("ember-tide").glyphs or [None]) + 1  # and Ada's smile
    after = frames(second, 16)
    second.release()
    assert before == whole[:20]
    assert [a == b for a, b in zip(after, whole[20:], strict=False)] == [True] * 16
    assert len(set(whole[20:])) == 16  # the piece moves: equal frames would prove nothing


def test_no_checkpoint_is_taken_while_a_scene_change_is_under_way(ctx, tmp_path):
    run = replay(ctx, record_set(tmp_path / "set.oscrec", 10))
    frames(run, 8)  # the crossfade began at frame 4 and lasts 9 frames
    with pytest.raises(CheckpointError, match="a scene change is under way"):
        run.save(tmp_path / "at-8.ckpt")
    run.release()
    assert not (tmp_path / "at-8.ckpt").exists()


def test_a_checkpoint_of_another_piece_or_engine_is_refused_with_what_it_is(ctx, tmp_path):
    run = Run(ctx, load_piece("default"), (256, 144), FPS, 3)
    frames(run, 2)
    run.save(tmp_path / "default.ckpt")
    run.release()

    other = Run(ctx, load_piece("calm"), (256, 144), FPS, 3)
    with pytest.raises(CheckpointError, match=r"default.ckpt: a checkpoint of plays '.*default.toml', not '.*calm.toml'"):
        other.restore(tmp_path / "default.ckpt")
    other.release()

    with zipfile.ZipFile(tmp_path / "default.ckpt") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(members["checkpoint.json"])
    header["engine"] = "0.0.1"
    with zipfile.ZipFile(tmp_path / "old.ckpt", "w") as archive:
        for name, data in {**members, "checkpoint.json": json.dumps(header).encode()}.items():
            archive.writestr(name, data)
    again = Run(ctx, load_piece("default"), (256, 144), FPS, 3)
    with pytest.raises(CheckpointError, match="old.ckpt: a checkpoint of format 1 from neoterra-glow 0.0.1; this is neoterra-glow"):
        again.restore(tmp_path / "old.ckpt")
    (tmp_path / "junk.ckpt").write_bytes(b"not a zip")
    with pytest.raises(CheckpointError, match="junk.ckpt: not a checkpoint"):
        again.restore(tmp_path / "junk.ckpt")
    again.release()
