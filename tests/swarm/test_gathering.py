import itertools

import numpy as np
import pytest

from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.swarm.gathering import CENTRE_SCALE, INK_WIDE, LAYOUTS, Visits, parting, placements, threaded

ASPECT = 16 / 9


@pytest.mark.parametrize("layout", ["grid", "wall", "ring"])
@pytest.mark.parametrize("count", [2, 7, 16, 40])
def test_glyphs_on_a_wall_sit_inside_the_frame_without_overlapping(layout, count):
    places = placements(layout, count, ASPECT)
    assert places.shape == (count, 3)
    wide, tall = np.ptp(smile_glyph("Priya").samples[:, :2], axis=0) / 2  # how far a portrait's ink reaches, in scales
    scale = places[:, 2]
    assert (np.abs(places[:, 0]) + wide * scale <= ASPECT).all() and (np.abs(places[:, 1]) + tall * scale <= 1.0).all()
    for a, b in itertools.combinations(range(count), 2):
        gap = np.hypot(*((places[a, :2] - places[b, :2]) / (wide, tall)))  # heads as ellipses
        assert gap >= scale[a] + scale[b], (layout, count, a, b)


def test_the_centre_layout_gives_each_face_half_the_frames_height_and_room_to_glow():
    places = placements("centre", 5, ASPECT)
    assert (places[:, 2] * EXTENT <= 1.0).all()
    heights = []
    for name in ("Elara", "Kai", "Nara", "Aryn", "Tomas", "Priya", "Olu", "Mira", "Wen", "Ines", "Sami", "Bao"):
        rows = np.nonzero((smile_glyph(name).sdf < 0).any(axis=1))[0]
        ink = (rows[-1] - rows[0] + 1) / SDF_SIZE * 2 * EXTENT  # the ink's height, in glyph units
        heights.append(ink * CENTRE_SCALE / 2.0)  # as a share of the frame's height (2 frame units)
    assert 0.45 <= np.median(heights) <= 0.6, heights


def test_the_centre_layout_starts_in_the_middle_then_moves_along_the_thirds():
    places = placements("centre", 8, ASPECT)
    assert places[0, 0] == 0.0
    thirds = ASPECT / 3
    assert (np.abs(places[:, 0]) <= thirds + 1e-6).all() and np.abs(places[:, 0]).max() > 0.8 * thirds
    assert (np.abs(np.diff(places[:, 0])) > 0.1 * thirds).all()  # each face somewhere else than the last
    assert np.array_equal(places, placements("centre", 8, ASPECT))  # the same every run


def test_the_community_wall_grows_organically_from_its_middle():
    places = placements("wall", 16, ASPECT)
    assert len(np.unique(np.round(places[:, 1] * 20))) >= 10  # no rows: a 5-5-5-1 grid has four heights
    assert places[:, 2].max() / places[:, 2].min() > 1.15  # faces of different sizes
    assert places[:, 2].mean() > 0.2  # as large as a grid's, or larger
    out = np.hypot(places[:, 0] / ASPECT, places[:, 1])
    assert np.corrcoef(np.arange(16), out)[0, 1] > 0.6  # visited from the heart outwards
    assert abs(places[:8, 1].mean()) < 0.2  # the first half neither top- nor bottom-heavy


def test_an_unknown_layout_names_the_ones_there_are():
    with pytest.raises(ValueError, match="centre, grid, wall, ring"):
        placements("spiral", 4, ASPECT)
    assert LAYOUTS == ("centre", "grid", "wall", "ring")


def test_the_swarm_visits_each_glyph_in_turn_and_remembers_which():
    visits = Visits(3)
    moves = [visits.advance(0.5, hold=2.0, move_on=False) for _ in range(12)]
    assert moves == [False, False, False, True] * 3
    assert visits.current == 0  # round the wall and back to the first

    visits = Visits(3)
    visits.advance(0.1, hold=10.0, move_on=True)
    assert visits.current == 1 and visits.time == 0.0
    assert list(visits.visited) == [True, True, False]


def test_a_wall_of_a_few_neighbours_gives_each_face_more_than_a_third_of_the_frames_height():
    places = placements("wall", 5, ASPECT)
    ink = np.ptp(smile_glyph("Priya").samples[:, :2], axis=0)  # a portrait's ink, hair to chin, in glyph units
    assert (places[:, 2] * ink[1] / 2.0).min() > 1.0 / 3.0  # each face stands over a third of the frame's height (a margin kept)
    assert (np.abs(places[:, 1]) + places[:, 2] * ink[1] / 2.0).max() < 0.9  # with room to the frame's edge: no head cut
    for a, b in itertools.combinations(places, 2):  # and no two heads overlap
        reach = (a[2] + b[2]) * ink / 2.0
        assert (np.abs(a[:2] - b[:2]) >= 0.97 * reach).any()
    assert len(np.unique(np.round(places[:, 0], 2))) == 5  # side by side across the frame, not stacked


def test_the_rooms_currents_part_round_the_face_and_follow_it_to_the_next():
    places = placements("centre", 3, ASPECT)
    visits = Visits(3)
    visits.advance(1.0, hold=1.0, move_on=False)  # off to the second face
    x, y, radius = parting("centre", places, visits)
    assert (x, y) == pytest.approx(tuple(places[0, :2]), abs=1e-6)  # still round the first, as the swarm sets off
    assert radius > places[0, 2] * INK_WIDE  # clear of the face's ink
    visits.advance(3.0, hold=10.0, move_on=False)
    assert parting("centre", places, visits)[:2] == pytest.approx(tuple(places[1, :2]), abs=1e-6)  # round the new face
    assert parting("wall", placements("wall", 3, ASPECT), visits)[2] == 0.0  # a wall of faces has threads instead


def test_a_walls_threads_join_the_faces_visited_and_the_new_one_once_formed():
    places = placements("wall", 4, ASPECT)
    visits = Visits(4)
    visits.advance(1.0, hold=1.0, move_on=False)  # off to the second face
    assert threaded("wall", places, visits) == (tuple(float(v) for v in places[0]),)  # the second is still forming
    visits.advance(3.0, hold=10.0, move_on=False)
    assert len(threaded("wall", places, visits)) == 2  # and now it has formed
    assert threaded("centre", placements("centre", 4, ASPECT), visits) == ()  # one face at a time: streams instead


def test_a_glyph_asked_to_stay_stays_past_its_hold_then_moves_on_and_a_move_asked_for_goes_at_once():
    visits = Visits(3)
    visits.advance(1.0, hold=2.0, move_on=False)
    visits.stay(4.0)  # a face an embrace heals, while its seam is seen (swarm.py)
    assert [visits.advance(1.0, hold=2.0, move_on=False) for _ in range(3)] == [False, False, True]  # at 4 s, not 2
    assert visits.current == 1 and visits.least == 0.0  # the next keeps to the hold
    assert [visits.advance(1.0, hold=2.0, move_on=False) for _ in range(2)] == [False, True]
    visits.stay(10.0)
    assert visits.advance(0.1, hold=2.0, move_on=True) and visits.current == 0  # the operator's next goes at once


def test_a_healed_face_stays_while_its_seam_is_seen_and_while_a_long_embrace_lasts_then_moves_on():
    """The finale's 20 s embrace kept its healed face 9 s, then healed a fresh, whole face to the end; now it holds the
    face it healed to its end. A face is kept SEAM_SEEN from the embrace's first step, once a visit, as before."""
    short, long = Visits(3), Visits(3)
    for visits, steps in ((short, 2), (long, 12)):
        visits.advance(3.0, hold=4.0, move_on=False)
        for _ in range(steps):  # an embrace heals it for `steps` seconds, a step a second
            visits.heal(5.0)
            assert not visits.advance(1.0, hold=4.0, move_on=False)
    assert short.current == long.current == 0 and short.time == 5.0 and long.time == 15.0  # held 5 s on, and while healing
    assert [short.advance(1.0, hold=4.0, move_on=False) for _ in range(3)] == [False, False, True]  # at 8 s: 5 from the heal
    assert long.advance(1.0, hold=4.0, move_on=False) and long.current == 1  # the embrace over, it goes on
    long.heal(5.0)
    assert long.advance(0.1, hold=4.0, move_on=True) and long.current == 2  # the operator's next still goes at once
