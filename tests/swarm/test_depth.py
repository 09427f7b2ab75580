"""Depth: the virtual camera maps the bots to pixels at the swarm's plane, and dust floats in
front of and behind it; each face its own hue. On the real splat's light."""


import numpy as np
import pytest

from neoterra_glow.core.camera import view
from tests.conftest import SMALL, frame_at
from tests.swarm.conftest import ASPECT, PER_UNIT, put_bots, shine_bots


@pytest.fixture
def few(swarm, quick):
    quick.set("swarm.count", 10_000, immediate=True)
    quick.set("swarm.trail", 0.0, immediate=True)
    swarm.simulate(frame_at(quick, 0))
    return quick


def centroid(light: np.ndarray) -> np.ndarray:
    weight = light.sum(axis=2)
    rows, cols = np.indices(weight.shape)
    return np.array([(cols * weight).sum(), (rows * weight).sum()]) / weight.sum()


def test_the_virtual_camera_moves_the_swarm_as_it_drifts_and_zooms(swarm, few, target):
    put_bots(swarm, (0.3, 0.2))
    still = centroid(shine_bots(swarm, frame_at(few, 0), target, step=0.0))
    few.set("camera.drift", 0.2, immediate=True)
    few.set("camera.zoom", 0.2, immediate=True)
    frame = frame_at(few, 300)  # ten seconds in: a quarter of the camera's wander
    x, y, zoom = view(frame.time, frame.params, 1.0)
    assert abs(x) > 0.05 and zoom > 1.05
    seen = centroid(shine_bots(swarm, frame, target, step=0.0))
    expected = (np.array([(0.3 - x) * zoom, (0.2 - y) * zoom]) - [0.3, 0.2]) * PER_UNIT
    assert seen - still == pytest.approx(expected, abs=0.6)


def test_dust_floats_in_front_and_behind_where_no_bot_is(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame
    frame = frame_at(few, 0)
    assert shine_bots(swarm, frame, target).max() == 0.0  # no dust in the tests' swarm
    few.set("swarm.dust", 1.0, immediate=True)
    light = shine_bots(swarm, frame_at(few, 0), target).sum(axis=2)
    assert 0.0 < light.max() < 1.0, "dust is faint"
    specks = (light > 0).mean()
    assert 0.01 < specks < 0.5
    few.set("camera.drift", 0.2, immediate=True)
    moved = shine_bots(swarm, frame_at(few, 150), target).sum(axis=2)
    assert not np.array_equal(light > 0, moved > 0)  # it drifts, and the camera moves past it


def face_colours(swarm, few, target, core: str, edge: str) -> list[np.ndarray]:
    """The summed light of each test face (its name's colour) under a palette of `core` and `edge`, without drift."""
    few.set("swarm.palette.core", core, immediate=True)
    few.set("swarm.palette.edge", edge, immediate=True)
    few.set("swarm.hue_drift", 0.0, immediate=True)
    put_bots(swarm, (0.0, 0.0))
    frame = frame_at(few, 0)
    return [shine_bots(swarm, frame, target, step=0.0, glyph=glyph).sum(axis=(0, 1)) for glyph in (0, 1, 0)]


def test_each_face_has_its_own_hue_from_its_name(swarm, few, target):
    first, other, again = face_colours(swarm, few, target, "#40a0ff", "#40a0ff")
    assert np.array_equal(first, again)
    ratio = lambda c: c / c.sum()  # noqa: E731
    assert np.abs(ratio(first) - ratio(other)).max() > 0.05, "two people, one colour"


def hue_of(light: np.ndarray) -> float:
    import colorsys

    return colorsys.rgb_to_hsv(*(light / light.max()))[0] * 360.0


def oklab_hue(light: np.ndarray) -> float:
    """A linear colour's hue in degrees as the eye spaces hues (OKLab's): HSV's 260 to 340 all read pink or violet."""
    from neoterra_glow.swarm.light import oklab_ab

    a, b = oklab_ab(light)
    return float(np.degrees(np.arctan2(b, a)) % 360.0)


def around(a: float, b: float) -> float:
    """Degrees between two hues, the short way round the wheel."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


TWELVE = ["Priya", "Kofi", "Hana", "Olu", "Wen", "Tomas", "Lena", "Marisol", "Bao", "Elara", "Kai", "Nara"]


def twelve_faces(ctx, library, quick, target, layers=(), settings=()) -> tuple[list[np.ndarray], object]:
    """The light of each of twelve people's faces (aqua to violet, as the default preset, unless `settings` say
    otherwise), over `layers`; and the frame's parameters."""
    from neoterra_glow.glyphs.smile import smile_glyph
    from neoterra_glow.gpu.stage import Build
    from tests.swarm.conftest import SMALL, SwarmUnderTest

    crowd = SwarmUnderTest(Build(ctx, library, SMALL, [smile_glyph(name) for name in TWELVE], layers=list(layers)))
    try:
        for path, value in (("swarm.palette.core", "#7dffe3"), ("swarm.palette.edge", "#8a5cff"), *settings,
                            ("swarm.count", 10_000), ("swarm.trail", 0.0), ("swarm.hue_drift", 0.0)):
            quick.set(path, value, immediate=True)
        crowd.simulate(frame_at(quick, 0))
        put_bots(crowd, (0.0, 0.0))
        light = [shine_bots(crowd, frame_at(quick, 0), target, step=0.0, glyph=k).sum(axis=(0, 1)) for k in range(len(TWELVE))]
    finally:
        crowd.release()
    return light, frame_at(quick, 0).params


def test_twelve_faces_spread_round_the_whole_wheel_and_none_is_gold(ctx, library, quick, target):
    light, _ = twelve_faces(ctx, library, quick, target)
    hues, seen = sorted(hue_of(c) for c in light), sorted(oklab_hue(c) for c in light)
    widest_gap = max(np.diff(seen + [seen[0] + 360.0]))  # as the eye spaces hues: gold's family is a third of OKLab's wheel
    assert 360.0 - widest_gap > 200.0, f"the faces keep to part of the wheel: {seen} (OKLab degrees)"
    assert min(around(h, 45.0) for h in hues) > 35.0, f"a face near gold's hue: {hues}"
    assert min(np.diff(hues)) > 4.0, f"two of twelve faces share one hue: {hues}"


def room_faces(ctx, library, quick, target, clear: float) -> tuple[list[float], float]:
    """Twelve faces' OKLab hues in ember-tide's crimson room (its ground's and its tide's colours), keeping `clear`
    degrees either side of the room's own hue, and that hue."""
    from neoterra_glow.piece import load_piece
    from neoterra_glow.swarm.light import room_colours, room_hue

    piece = load_piece("ember-tide")
    paths = (*room_colours(piece.layers), "murals.ground", "murals.colour", "swarm.palette.core", "swarm.palette.edge")
    light, params = twelve_faces(ctx, library, quick, target, piece.layers,
                                 [(path, piece.registry.value(path)) for path in paths] + [("swarm.palette.clear_of_room", clear)])
    return [oklab_hue(c) for c in light], room_hue(params, room_colours(piece.layers))[0]


def test_faces_keep_clear_of_their_rooms_own_hue_and_spread_over_the_rest(ctx, library, quick, target):
    """Curators: a magenta face on ember-tide's crimson room. Each face keeps 50 degrees (as the eye spaces hues) from
    the room's own hue, less a few for its lean to the palette; without that rule some of twelve sit on the room's."""
    seen, room = room_faces(ctx, library, quick, target, 50.0)
    assert min(around(h, room) for h in seen) > 40.0, f"a face within 40 degrees of its room's hue {room:.0f}: {seen}"
    assert max(seen) - min(seen) > 140.0, f"the faces crowd into part of what the room leaves them: {sorted(seen)}"
    assert min(np.diff(sorted(seen))) > 2.0, f"two of twelve faces share one hue: {sorted(seen)}"
    heedless, _ = room_faces(ctx, library, quick, target, 0.0)
    assert min(around(h, room) for h in heedless) < 35.0, "the faces keep from the room without the rule: the test proves nothing"


def test_each_person_sits_clearly_apart_between_the_presets_two_hues(swarm, few, target):
    import colorsys

    share = face_colours(swarm, few, target, "#2040ff", "#ff2040")[:2]
    hues = [colorsys.rgb_to_hsv(*c)[0] * 360.0 for c in share]  # where each face sits on the way from blue (core) to red (edge)
    assert abs(hues[0] - hues[1]) > 18.0, f"two people, nearly one colour: {hues} degrees"  # a third of the way: ~20 of 114 degrees


def test_no_face_is_gold_whatever_its_palette_gold_means_healing(swarm, few, target):
    import colorsys

    for r, g, b in face_colours(swarm, few, target, "#ffb030", "#ffc040")[:2]:  # an amber palette, as a preset might ask
        hue = colorsys.rgb_to_hsv(r, g, b)[0]
        assert not 0.05 < hue < 0.18, f"a face in gold's hue ({hue * 360:.0f} degrees)"


def test_the_rooms_spare_dust_streams_round_the_face_and_never_crosses_it(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame: only the dust's light
    few.set("swarm.dust", 1.0, immediate=True)
    face = (0.3, 0.0, 0.6)  # the face the streams part round: centre and radius, frame units
    still = shine_bots(swarm, frame_at(few, 150), target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
    streams = shine_bots(swarm, frame_at(few, 150), target, parting=face).sum(axis=2) - still
    later = shine_bots(swarm, frame_at(few, 180), target, parting=face).sum(axis=2) - still
    lit = streams > 1e-3
    assert lit.mean() > 0.001, "no streams in the room"  # a whisper round a face this large: they fade long before it
    assert 0.0 < streams.max() < 1.0, "the streams are quieter than a face's strokes"
    ys, xs = np.indices(lit.shape)
    r = np.hypot((xs + 0.5) / PER_UNIT - ASPECT - face[0], (ys + 0.5) / PER_UNIT - 1.0 - face[1]) / face[2]
    assert streams[r < 1.0].max() == 0.0, "a stream crosses the face"
    assert not np.array_equal(lit, later > 1e-3), "the streams drift"


def test_the_rooms_schools_fade_out_long_before_the_face_so_it_sits_in_a_wide_quiet_room(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame: only the dust's light
    few.set("swarm.dust", 1.0, immediate=True)
    face = (0.0, 0.0, 0.36)  # the face's centre and parting radius (1.2 scales), frame units
    width = 2.0 * 0.95 * face[2] / 1.2  # the face's ink, rim to rim
    still = shine_bots(swarm, frame_at(few, 150), target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
    streams = shine_bots(swarm, frame_at(few, 150), target, parting=face).sum(axis=2) - still
    ys, xs = np.indices(streams.shape)
    widths = np.hypot((xs + 0.5) / PER_UNIT - ASPECT - face[0], (ys + 0.5) / PER_UNIT - 1.0 - face[1]) / width
    near, fading, far = streams[widths < 1.2], streams[(widths > 1.2) & (widths < 1.6)], streams[widths > 2.2]
    assert far.mean() > 0.0, "no schools far from the face"
    assert near.max() < 1e-4, "a school's light reaches within 1.2 face-widths of the face"
    assert fading.mean() < 0.25 * far.mean(), "the schools keep their light close to the face"


def test_the_rooms_spare_bots_drift_in_loose_schools_not_rows_of_dashes(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame: only the dust's light
    few.set("swarm.dust", 1.0, immediate=True)
    face = (0.0, 0.0, 0.3)  # a small face: the schools are seen over most of the frame
    for index in (150, 600):
        still = shine_bots(swarm, frame_at(few, index), target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
        lit = shine_bots(swarm, frame_at(few, index), target, parting=face).sum(axis=2) - still > 1e-3
        beside = lit & (np.roll(lit, 1, axis=1) | np.roll(lit, -1, axis=1))  # a lit pixel with a lit one left or right
        above = lit & (np.roll(lit, 1, axis=0) | np.roll(lit, -1, axis=0))  # or above or below
        assert lit.sum() > 100, "no schools in the room"
        assert beside.sum() < 1.6 * above.sum(), f"the spare bots lie in horizontal runs: {beside.sum()} beside, {above.sum()} above"


def wall_light(ctx, library, quick, target) -> list[np.ndarray]:
    """The light of each of the community wall's neighbours, in its palette, hue drift off."""
    from neoterra_glow.glyphs.smile import smile_glyph
    from neoterra_glow.gpu.stage import Build
    from neoterra_glow.piece import load_piece
    from tests.swarm.conftest import SMALL, SwarmUnderTest

    piece = load_piece("community-wall")
    names = piece.preset.glyphs
    wall = SwarmUnderTest(Build(ctx, library, SMALL, [smile_glyph(name) for name in names]))
    try:
        for part in ("core", "edge", "lean"):
            quick.set(f"swarm.palette.{part}", piece.registry.value(f"swarm.palette.{part}"), immediate=True)
        quick.set("swarm.count", 10_000, immediate=True)
        quick.set("swarm.trail", 0.0, immediate=True)
        quick.set("swarm.hue_drift", 0.0, immediate=True)
        wall.simulate(frame_at(quick, 0))
        put_bots(wall, (0.0, 0.0))
        return [shine_bots(wall, frame_at(quick, 0), target, step=0.0, glyph=k).sum(axis=(0, 1)) for k in range(len(names))]
    finally:
        wall.release()


def test_the_community_walls_neighbours_spread_over_its_palettes_hues(ctx, library, quick, target):
    import colorsys

    hues = sorted(colorsys.rgb_to_hsv(*(c / c.max()))[0] * 360.0 for c in wall_light(ctx, library, quick, target))
    assert hues[-1] - hues[0] > 180.0, f"the neighbours sit in one part of the wheel: {hues}"
    assert min(np.diff(hues)) > 20.0, f"two neighbours in nearly one hue: {hues}"


def test_no_two_of_the_walls_six_neighbours_read_as_one_hue(ctx, library, quick, target):
    hues = sorted(oklab_hue(c) for c in wall_light(ctx, library, quick, target))
    gaps = np.diff(hues + [hues[0] + 360.0])
    assert gaps.min() > 38.0, f"two neighbours read as nearly one hue (OKLab degrees): {[round(h) for h in hues]}"


def test_threads_of_light_join_a_walls_neighbours_and_leave_faces_far_apart_alone(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame: only the dust's light
    few.set("swarm.dust", 1.0, immediate=True)
    frame = frame_at(few, 150)
    still = shine_bots(swarm, frame, target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
    neighbours = ((-0.4, 0.0, 0.32), (0.4, 0.0, 0.32))  # side by side, a gap between their rims
    far = ((-1.3, 0.6, 0.2), (1.3, -0.6, 0.2))  # at the wall's two ends
    joined = shine_bots(swarm, frame, target, parting=(0.0, 0.0, 0.0), threaded=neighbours).sum(axis=2) - still
    apart = shine_bots(swarm, frame, target, parting=(0.0, 0.0, 0.0), threaded=far).sum(axis=2) - still
    middle = SMALL[0] // 2
    assert (joined[:, middle - 2: middle + 3] > 1e-3).any(), "no thread between the neighbours"
    assert 0.0 < joined.max() < 1.0, "a thread is quieter than a face's strokes"
    ys, xs = np.indices(joined.shape)
    inside = np.hypot((xs + 0.5) / PER_UNIT - ASPECT + 0.4, (ys + 0.5) / PER_UNIT - 1.0) < 0.32 * 0.8
    assert joined[inside].max() == 0.0, "a thread runs over a face"
    assert np.abs(apart).max() < 1e-6, "faces at the wall's two ends are joined across it"


def test_the_rooms_streams_can_be_turned_off_leaving_the_dust(swarm, few, target):
    put_bots(swarm, (9.0, 9.0))
    few.set("swarm.dust", 1.0, immediate=True)
    few.set("swarm.streams", 0.0, immediate=True)
    frame = frame_at(few, 150)
    without = shine_bots(swarm, frame, target, parting=(0.0, 0.0, 0.0))
    assert np.array_equal(shine_bots(swarm, frame, target, parting=(0.3, 0.0, 0.6)), without)
    assert without.max() > 0.0  # the dust in front and behind stays


def test_no_face_is_orange_or_brown_in_golds_family_whatever_its_palette(swarm, few, target):
    import colorsys

    for r, g, b in face_colours(swarm, few, target, "#ff6a18", "#d86a20")[:2]:  # orange and brown, as malfunction's faces were
        hue = colorsys.rgb_to_hsv(r, g, b)[0]
        assert not 0.02 < hue < 0.18, f"a face in gold's family ({hue * 360:.0f} degrees)"


def test_two_faces_in_a_row_never_share_one_colour():
    from neoterra_glow.swarm.swarm import face_colours

    names = [f"visitor {n}" for n in range(60)]
    places, blends = np.array(face_colours(names)).T
    assert np.abs(np.diff(blends)).min() > 0.3, "two faces in a row sit at one place between the palette's hues"
    assert np.abs(np.diff(places)).min() > 0.2, "two faces in a row sit at one place on the wheel"
    assert face_colours(names[:10]) == face_colours(names)[:10], "a face's colour changes with who comes after it"


def test_every_bot_of_a_face_keeps_to_its_hue_as_a_pink_faces_stubble_must(swarm, few, target):
    import colorsys

    few.set("swarm.palette.core", "#5ff5ff", immediate=True)  # the community wall's wide palette, aqua to rose
    few.set("swarm.palette.edge", "#ff6ad0", immediate=True)
    few.set("swarm.hue_drift", 0.0, immediate=True)
    put_bots(swarm, one_a_pixel())
    light = shine_bots(swarm, frame_at(few, 0), target, step=0.0).reshape(-1, 3)
    lit = light[light.max(axis=1) > 0.05 * light.max()]
    hsv = np.array([colorsys.rgb_to_hsv(*(c / c.max())) for c in lit])
    hues = hsv[hsv[:, 1] > 0.3, 0] * 360.0
    middle = np.degrees(np.angle(np.exp(1j * np.radians(hues)).mean())) % 360.0
    assert len(hues) > 1000
    assert np.percentile(around(hues, middle), 99) < 16.0, f"a face's bots stray from its hue {middle:.0f} (stubble reads another colour)"
    assert around(hues, 45.0).min() > 25.0, "a bot of the face near gold"


def test_ember_tides_bokeh_stays_faint_beside_its_face_so_the_face_leads(swarm, few, target):
    from neoterra_glow.piece import load_piece

    values = load_piece("ember-tide").registry
    for name in ("swarm.dust", "swarm.streams", "swarm.brightness", "swarm.palette.core", "swarm.palette.edge"):
        few.set(name, values.value(name), immediate=True)
    put_bots(swarm, (9.0, 9.0))  # every bot far outside the frame: only the dust's light
    dust = shine_bots(swarm, frame_at(few, 150), target, parting=(0.0, 0.0, 0.0)).sum(axis=2)
    put_bots(swarm, one_a_pixel())
    face = shine_bots(swarm, frame_at(few, 150), target, step=0.0).sum(axis=2)  # the bots' own light, a face's worth
    assert dust.sum() < 0.1 * face.sum(), f"the bokeh carries {dust.sum() / face.sum():.0%} of a face's light"
    assert dust.max() < 0.2 * np.percentile(face[face > 0], 90), "a bokeh disc as bright as a stroke"


def one_a_pixel(count: int = 10_000) -> np.ndarray:
    """Frame points three pixels apart: each bot's light on a pixel of its own."""
    at = np.arange(count) * 3
    return np.column_stack([(at % SMALL[0] + 0.5) / SMALL[0] * 2 - 1, (at // SMALL[0] + 0.5) / SMALL[1] * 2 - 1]) * [ASPECT, 1]
