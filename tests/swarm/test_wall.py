import itertools

import numpy as np
import pytest

from neoterra_glow.glyphs.glyph import EXTENT
from neoterra_glow.swarm.wall import LAYOUTS, Visits, placements

ASPECT = 16 / 9


@pytest.mark.parametrize("layout", ["grid", "wall", "ring"])
@pytest.mark.parametrize("count", [2, 7, 16, 40])
def test_glyphs_on_a_wall_sit_inside_the_frame_without_overlapping(layout, count):
    places = placements(layout, count, ASPECT)
    assert places.shape == (count, 3)
    ink = places[:, 2]  # the ink reaches one scale from each centre
    assert (np.abs(places[:, 0]) + ink <= ASPECT).all() and (np.abs(places[:, 1]) + ink <= 1.0).all()
    for a, b in itertools.combinations(range(count), 2):
        gap = np.linalg.norm(places[a, :2] - places[b, :2])
        assert gap >= places[a, 2] + places[b, 2], (layout, count, a, b)


def test_the_centre_layout_puts_every_glyph_in_the_middle_with_room_to_glow():
    places = placements("centre", 5, ASPECT)
    assert (places[:, :2] == 0).all()
    assert (places[:, 2] * EXTENT <= 1.0).all()


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
