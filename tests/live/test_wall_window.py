"""A two-projector wall in a real window under Xvfb: one window spans the desktop, each slice
in its half; the operator picks a slice with tab, drags its corner, and the whole venue is saved."""

import json
import subprocess
import time

import pytest

from tests.live.window_show import WindowShow, light

VENUE = {"version": 2, "canvas": [1216, 800], "slices": [
    {"name": "left", "region": [0, 0, 640, 800]}, {"name": "right", "region": [576, 0, 640, 800]}]}


def test_a_wall_is_calibrated_slice_by_slice_with_the_mouse_and_saved_whole(display, tmp_path):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps(VENUE))
    show = WindowShow([light(tmp_path), "--calibration", str(venue)], tmp_path)
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


def test_a_wall_on_two_monitors_gets_a_window_on_each_and_each_calibrates_its_own_slice(two_monitors, tmp_path):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps({"version": 2, "canvas": [1216, 360], "slices": [
        {"name": "left", "region": [0, 0, 640, 360], "monitor": "DUMMY0"},
        {"name": "right", "region": [576, 0, 640, 360], "monitor": "DUMMY1"}]}))
    show = WindowShow([light(tmp_path), "--calibration", str(venue), "--outputs", "windows", "--size", "320x180"], tmp_path)
    values, press, eventually = show.values, show.press, show.eventually
    try:
        assert eventually(lambda: sorted(show.place(w) + show.geometry(w) for w in show.windows())
                          == [(0, 0, 640, 360), (640, 0, 640, 360)])  # fullscreen, one on each monitor
        right = next(w for w in show.windows() if show.place(w)[0] == 640)
        press("c")
        assert eventually(lambda: values("/output/test_card") == [True])
        press("Tab")  # the right slice
        time.sleep(0.5)
        show.drag((5, 5), (64, 36), right)  # in the right monitor's own window
        pinned = [pytest.approx(0.1, abs=0.02), pytest.approx(0.9, abs=0.02)]
        assert eventually(lambda: values("/output/slices/right/corners/top_left") == pinned)
        assert values("/output/slices/left/corners/top_left") == [0.0, 1.0]
        press("c")
        assert eventually(lambda: "values" in json.loads(venue.read_text()))
    finally:
        status, errors = show.stop()
    assert status == 0, errors
    assert "present spread over 2 windows: median" in show.said  # measured, and said when the show ends
    assert "Traceback" not in errors  # Ctrl-C reached every process; only the show answered it


def test_a_slice_whose_monitor_is_missing_is_said_and_the_other_goes_on(two_monitors, tmp_path):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps({"version": 2, "canvas": [1216, 360], "slices": [
        {"name": "left", "region": [0, 0, 640, 360], "monitor": "DUMMY1"},
        {"name": "right", "region": [576, 0, 640, 360], "monitor": "HDMI"}]}))
    show = WindowShow([light(tmp_path), "--calibration", str(venue), "--size", "320x180"], tmp_path)
    try:
        assert show.eventually(lambda: show.place(show.window()) + show.geometry() == (640, 0, 640, 360))  # on DUMMY1 only
        assert show.eventually(lambda: show.value("/output/slices/left/blend/gamma") == 2.2)  # and running
    finally:
        status, errors = show.stop()
    assert status == 0, errors
    assert "slice right: no monitor 'HDMI' (the monitors are 0: DUMMY0, 1: DUMMY1); the others go on" in errors


def test_a_venue_file_from_another_version_is_said_and_the_show_goes_on_without_touching_it(display, tmp_path):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps({**VENUE, "version": 1}))
    show = WindowShow([light(tmp_path), "--calibration", str(venue), "--size", "320x180"], tmp_path)
    try:
        assert show.eventually(lambda: show.value("/output/blend/gamma") == 2.2)  # running, one projector
        show.press("c")
        assert show.eventually(lambda: show.values("/output/test_card") == [True])
        show.press("c")  # calibrated: nothing may be saved over the file it could not read
        assert show.eventually(lambda: show.values("/output/test_card") == [False])
    finally:
        status, errors = show.stop()
    assert status == 0, errors
    assert "a venue file of version 1; this engine reads version 2; the show goes on uncalibrated" in errors
    assert "the calibration was not saved: its file could not be read" in errors
    assert json.loads(venue.read_text())["version"] == 1


@pytest.mark.parametrize("outputs", ["span", "windows"])
def test_a_projector_unplugged_and_plugged_back_is_laid_out_again(two_monitors, tmp_path, outputs):
    venue = tmp_path / "venue.json"
    venue.write_text(json.dumps({"version": 2, "canvas": [1216, 360], "slices": [
        {"name": "left", "region": [0, 0, 640, 360], "monitor": "DUMMY0"},
        {"name": "right", "region": [576, 0, 640, 360], "monitor": "DUMMY1"}]}))
    show = WindowShow([light(tmp_path), "--calibration", str(venue), "--size", "320x180", "--outputs", outputs], tmp_path)

    def covered() -> list[tuple[int, int, int, int]]:
        try:
            return sorted(show.place(w) + show.geometry(w) for w in show.windows())
        except AttributeError:  # a window closed while it was looked at
            return []

    def xrandr(*args: str) -> None:
        subprocess.run(["xrandr", *args], check=True, capture_output=True, timeout=30)
        subprocess.run(["xrandr", "-q"], check=True, capture_output=True, timeout=30)  # as the fixture: clients see it now

    try:
        both = [(0, 0, 1280, 360)] if outputs == "span" else [(0, 0, 640, 360), (640, 0, 640, 360)]
        assert show.eventually(lambda: covered() == both)
        xrandr("--output", "DUMMY1", "--off")  # the right projector's cable is pulled
        assert show.eventually(lambda: covered() == [(0, 0, 640, 360)])
        assert show.value("/output/slices/left/blend/gamma") == 2.2  # the show goes on, on the left
        xrandr("--output", "DUMMY1", "--mode", "640x360", "--pos", "640x0")  # and it comes back
        assert show.eventually(lambda: covered() == both)
    finally:
        xrandr("--output", "DUMMY1", "--mode", "640x360", "--pos", "640x0")
        status, errors = show.stop()
    assert status == 0, errors
    assert "the monitor DUMMY1 is gone; the wall is laid out again" in errors
    assert "slice right: no monitor 'DUMMY1'" in errors
    assert "the monitor DUMMY1 is back; the wall is laid out again" in errors
