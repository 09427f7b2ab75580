"""A wall keeps its faces lit by bots of their own (swarm.memory): when a face joins, the faces there keep theirs where
they are, and only a fair share of them streams to the newcomer (shaders/swarm/home.glsl)."""

import numpy as np
import pytest

from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.gpu.stage import Build
from neoterra_glow.swarm.gathering import placements
from neoterra_glow.swarm.swarm import resident_share
from tests.conftest import SMALL, frame_at, pixels
from tests.swarm.conftest import ASPECT, GLYPHS, SwarmUnderTest, bots, glyph_mask, grown, run

WALL = [*GLYPHS, smile_glyph("Nara")]


@pytest.fixture
def wall(ctx, library, quick):
    quick.set("swarm.layout", "wall")
    quick.set("swarm.memory", 0.45, immediate=True)
    made = SwarmUnderTest(Build(ctx, library, SMALL, WALL))
    yield made
    made.release()


def faces_of(points: np.ndarray) -> np.ndarray:
    """Which of the wall's faces each point is on (its nearest, within its reach), -1 for none."""
    places = placements("wall", len(WALL), ASPECT)
    far = np.linalg.norm(points[:, None, :] - places[None, :, :2], axis=2) / places[None, :, 2]
    return np.where(far.min(axis=1) < 1.3, far.argmin(axis=1), -1)


def next_face(swarm, registry, index: int, frames: int) -> int:
    registry.set("swarm.next", True)
    index = run(swarm, registry, 1, index)
    registry.set("swarm.next", False)
    return run(swarm, registry, frames, index)


def test_the_residents_share_leaves_the_face_being_formed_its_part_and_the_others_theirs():
    for faces in (2, 3, 6):
        share = resident_share(0.45, faces)
        assert share * (faces - 1) / faces == pytest.approx(0.45)  # the others' together: the memory
    assert resident_share(0.45, 1) == 0.0 and resident_share(0.8, 2) == 1.0


def test_when_a_face_joins_the_wall_the_faces_there_keep_their_bots_and_only_a_share_goes_to_the_newcomer(wall, quick):
    index = next_face(wall, quick, run(wall, quick, 45), 45)  # the first two faces formed
    before = bots(wall)[:, 4:6].copy()
    face = faces_of(before)
    index = next_face(wall, quick, index, 0)  # the third joins: the swarm sets off for it
    after = bots(wall)[:, 4:6]
    moved = (after != before).any(axis=1)
    assert wall.visits.current == 2 and (face >= 0).mean() > 0.99
    first, second = moved[face == 0].mean(), moved[face == 1].mean()
    to = faces_of(after[moved & (face >= 0)])
    print(f"targets changed: first face {first:.2f}, second {second:.2f}; to the newcomer {(to == 2).mean():.2f}")
    assert first < 0.55, f"{first:.2f} of the first face's bots left it"  # its share halves: 0.45 of the swarm to 0.225
    assert second < 0.65, f"{second:.2f} of the second face's bots left it"  # was all of them: others' came in their place
    assert (to == 2).mean() > 0.99, f"only {(to == 2).mean():.2f} of the bots that moved went to the newcomer"  # was 0.71


def test_just_after_a_face_joins_the_wall_the_room_between_the_faces_stays_dark(ctx, wall, quick, target):
    start = next_face(wall, quick, next_face(wall, quick, run(wall, quick, 45), 45), 0)  # the third joins
    places = placements("wall", len(WALL), ASPECT)
    faces = np.zeros(SMALL[::-1], bool)
    for glyph, place in zip(WALL, places, strict=True):
        faces |= glyph_mask(glyph, place=place)
    away = ~grown(faces, 6)
    seen = []
    for index in range(start, start + 12):  # the first 0.8 s of the swarm's way to it
        frame = frame_at(quick, index)
        wall.simulate(frame)
        wall.draw(frame, target)
        light = pixels(target, 3).sum(axis=2)
        seen.append(light[away].mean() / light[faces].mean())
    print(f"away from the faces: at most {max(seen):.3f} of the faces' light")
    assert max(seen) < 0.07, f"a fog between the faces, at {max(seen):.3f} of their light"  # was 0.118: re-dealt bots crossing


def test_past_the_walls_limit_a_visitors_face_takes_the_oldest_visitors_place_and_every_other_face_keeps_its_own(wall):
    own = len(WALL)
    for name in ("Ines", "Kai", "Marisol"):
        wall.add(smile_glyph(name), keep=2)
    names = [glyph.name for glyph in wall.glyphs]
    assert names == [*(glyph.name for glyph in WALL), "Marisol", "Kai"]  # Ines, the oldest, retired; Kai did not move
    assert wall.visits.queued == own and wall.visits.waiting  # the newcomer, formed next, where Ines was
    assert not wall.visits.visited[own]
    wall.add(smile_glyph("Priya"), keep=2)
    assert [glyph.name for glyph in wall.glyphs][own:] == ["Marisol", "Priya"]  # then Kai, the oldest now
