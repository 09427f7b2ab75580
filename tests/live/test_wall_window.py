"""A two-projector wall in a real window under Xvfb: one window spans the desktop, each slice
in its half; the operator picks a slice with tab, drags its corner, and the whole venue is saved."""

import json
import time

import pytest

from tests.live.window_show import WindowShow

VENUE = {"version": 2, "canvas": [1216, 800], "slices": [
    {"name": "left", "region": [0, 0, 640, 800]}, {"name": "right", "region": [576, 0, 640, 800]}]}


def test_a_wall_is_calibrated_slice_by_slice_with_the_mouse_and_saved_whole(display, tmp_path):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps(VENUE))
    show = WindowShow(["default", "--calibration", str(venue)], tmp_path)
    values, press, eventually = show.values, show.press, show.eventually
    try:
        assert eventually(lambda: show.geometry() == (1280, 800))  # one window across the desktop
        press("c")
        assert eventually(lambda: values("/output/test_card") == [True])
        press("Tab")  # the right slice
        time.sleep(0.5)
        show.drag((645, 5), (704, 48))
        pinned = [pytest.approx(64 / 640, abs=0.02), pytest.approx(1 - 48 / 800, abs=0.02)]
        assert eventually(lambda: values("/output/slices/right/corners/top_left") == pinned)
        assert values("/output/slices/left/corners/top_left") == [0.0, 1.0]  # the other slice is left alone
        press("c")  # done: the whole venue is saved
        assert eventually(lambda: "values" in json.loads(venue.read_text()))
        saved = json.loads(venue.read_text())
        assert saved["slices"] == [{**s, "monitor": None} for s in VENUE["slices"]]
        assert saved["values"]["output.slices.right.corners.top_left"][0] == pytest.approx(0.1, abs=0.02)
    finally:
        status, errors = show.stop()
    assert status == 0, errors
