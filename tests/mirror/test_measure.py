import time

import numpy as np

from neoterra_glow.mirror.measure import measure
from tests.mirror.conftest import portrait, room_frame


def test_a_smiling_portrait_measures_a_stronger_smile_than_a_resting_one():
    smiling, = measure(portrait("smiling")).smiles
    resting, = measure(portrait("neutral")).smiles
    assert smiling.strength > 0.8 > 0.3 > resting.strength
    assert smiling.openness > resting.openness  # the astronaut shows her teeth


def test_a_room_counts_its_faces_and_its_smiles():
    room = measure(room_frame("smiling", "neutral"))
    assert room.faces == 2 and room.smiling == 1
    assert 0.3 < room.level < 0.7
    best = max(room.smiles, key=lambda s: s.strength)
    (lx, ly), (rx, ry) = best.corners
    assert 60 / 640 < lx < rx < 260 / 640  # the smile is the left face's
    assert 140 / 480 < ly < 340 / 480 and 140 / 480 < ry < 340 / 480


def test_an_empty_room_rests():
    room = measure(np.full((480, 640, 3), 90, np.uint8))
    assert (room.faces, room.smiling, room.level) == (0, 0, 0.0)


def test_a_640x480_frame_is_measured_within_a_frame_budget():
    frame = room_frame("smiling", "neutral")
    measure(frame)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        measure(frame)
        times.append(time.perf_counter() - start)
    ms = 1000 * float(np.median(times))
    print(f"smile analysis: {ms:.1f} ms per 640x480 frame (two faces)")
    assert ms < 100
