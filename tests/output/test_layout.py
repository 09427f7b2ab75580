"""A wall on a desktop's monitors: each slice on the monitor it names, at its place on the desktop."""

from neoterra_glow.gpu.monitors import Screen
from neoterra_glow.output.venue import Slice, Venue, lay_out

LEFT, RIGHT = Screen("DUMMY0", 0, 0, 640, 360), Screen("DUMMY1", 640, 0, 640, 360)


def wall(*monitors) -> Venue:
    return Venue((1216, 360), tuple(Slice(name, (576 * n, 0, 640, 360), monitor)
                                    for n, (name, monitor) in enumerate(zip(("left", "right"), monitors, strict=True))))


def test_each_slice_goes_to_the_monitor_it_names_at_its_place_on_the_desktop():
    above = Screen("HDMI-1", 0, -720, 1280, 720)  # a projector above the laptop's screen
    layout = lay_out(wall("HDMI", "eDP"), [Screen("eDP-1", 0, 0, 1920, 1080), above])
    assert [s.name for s in layout.monitors] == ["HDMI-1", "eDP-1"]
    assert layout.viewports == [(0, 1080, 1280, 720), (0, 0, 1920, 1080)]  # y up: the projector on top
    assert layout.missing == [] and not layout.preview


def test_slices_naming_no_monitor_take_the_monitors_in_order():
    layout = lay_out(wall(None, None), [LEFT, RIGHT])
    assert layout.viewports == [(0, 0, 640, 360), (640, 0, 640, 360)]


def test_a_missing_monitor_is_said_and_the_other_slice_goes_on():
    layout = lay_out(wall(1, "HDMI"), [LEFT, RIGHT])
    assert layout.monitors == [RIGHT] and layout.viewports == [(0, 0, 640, 360), None]
    assert layout.missing == ["slice right: no monitor 'HDMI' (the monitors are 0: DUMMY0, 1: DUMMY1); the others go on"]


def test_a_wall_on_a_desktop_with_fewer_monitors_is_previewed_side_by_side():
    layout = lay_out(wall(None, None), [Screen("laptop", 0, 0, 1280, 800)])
    assert layout.preview and layout.viewports == [(0, 0, 640, 800), (640, 0, 640, 800)]

