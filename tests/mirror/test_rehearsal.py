"""The smile mirror's rehearsal: community-wall run against a fake camera of several people
(scripts/mirror_rehearsal.py) adds their smiles to the wall and moves the room's joy."""

import time

from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.piece import load_piece
from scripts.mirror_rehearsal import write_rehearsal
from tests.conftest import SMALL


def test_several_people_smiling_at_community_wall_join_it_and_move_its_joy(ctx, tmp_path):
    from neoterra_glow.direction.session import read_session

    record = tmp_path / "set.oscrec"
    live = LiveShow(ctx, load_piece("community-wall"), SMALL, 5, Listening(port=0, query_port=None), record=record,
                    connections=Connections(camera=str(write_rehearsal(tmp_path / "room.avi"))))
    joy, level, faces = [], [], []
    try:
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline:
            live.step()
            joy.append(live.frame.params["emotion.joy"])
            level.append(live.piece.registry.value("smile.level"))
            faces.append(live.piece.registry.value("smile.faces"))
            wall = [glyph.name for glyph in live.pipeline["swarm"].glyphs if glyph.name.startswith("mirror ")]
            if len(wall) >= 2 and max(level) > 0.6:
                break
    finally:
        live.close()
    assert max(faces) == 3.0  # three people at once
    # two visitors' smiles on the wall, each its own face: one lopsided one way, the mirrored one the other
    assert len(set(wall)) >= 2, wall
    assert {float(name.split()[3]) > 0 for name in wall} == {True, False}, wall
    # the room's joy is its smile: at rest before anyone smiles, up to two-thirds when two of three do
    assert min(joy) < 0.05 and max(joy) > 0.6
    assert max(abs(j - s) for j, s in zip(joy, level, strict=False)) < 0.05
    session = read_session(record)
    kept = [c.args for frame in session.frames for c in frame.controls if c.address == "/wall/mirror"]
    assert len(kept) == len(wall)  # the session keeps each smile as four numbers, for the replay (docs/mirror.mp4)
