"""Room for the face: the murals hush where the swarm's light is, and never burn as bright as a face."""

import colorsys

import numpy as np
import pytest
from PIL import Image, ImageFilter

from neoterra_glow.gpu.context import Headless
from neoterra_glow.gpu.stage import Build
from neoterra_glow.gpu.targets import Target
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack
from neoterra_glow.piece import load_piece
from neoterra_glow.pipeline import declare_params
from neoterra_glow.render import Run
from neoterra_glow.resources import data_dir
from tests.conftest import SMALL, frame_at, pixels, preset_with_bots, rendered_at
from tests.murals.rings import ring

LUMA = np.array([0.2126, 0.7152, 0.0722])
W, H = SMALL


def face_light(ctx, centre=(0.3, 0.5), radius=0.22):
    """A face's worth of light: a ring of stroke at `centre` (uv), as bright as the swarm's."""
    y, x = np.mgrid[0:H, 0:W]
    d = np.hypot((x + 0.5) / H - centre[0] * W / H, (y + 0.5) / H - centre[1])
    light = np.zeros((H, W, 4), np.float16)
    light[np.abs(d - radius * 0.6) < 0.012] = 1.0
    return ctx.texture(SMALL, 4, light.tobytes(), dtype="f2"), d


@pytest.fixture
def field(ctx, library, registry):
    spec = layer_spec({"shader": "field"}, data_dir("shaders"))
    murals = MuralStack(Build(ctx, library, SMALL, layers=[spec]))
    target = Target(ctx, SMALL)
    yield murals, target
    target.release()
    murals.release()


def luminance(murals, target, registry, light, hush):
    registry.set("murals.hush", hush, immediate=True)
    murals.compose(frame_at(registry, 5), target, light)
    return pixels(target, 3)[::-1] @ LUMA  # top row first, as the light was written


def test_the_murals_dim_around_a_face_and_keep_their_light_far_from_it(ctx, field, registry):
    murals, target = field
    light, distance = face_light(ctx)
    bare, hushed = (luminance(murals, target, registry, light, hush) for hush in (0.0, 0.85))
    light.release()
    near, far = distance < 0.15, distance > 0.9
    assert hushed[near].mean() < 0.35 * bare[near].mean()
    assert hushed[far].mean() > 0.9 * bare[far].mean()


def test_the_murals_fade_toward_a_face_over_a_wide_distance_with_no_rim(ctx, field, registry):
    murals, target = field
    light, distance = ring(ctx, (1.0, 1.0, 1.0))  # a face's stroke, a ring 0.2 frame heights round the centre
    bare, hushed = (luminance(murals, target, registry, light, hush) for hush in (0.0, 0.92))
    light.release()
    out = distance - 0.2  # frame heights outward from the stroke
    starts = np.arange(0.04, 0.6, 0.02)
    kept = np.array([hushed[(out >= a) & (out < a + 0.02)].sum() / bare[(out >= a) & (out < a + 0.02)].sum() for a in starts])
    assert kept[0] < 0.5, f"the murals keep {kept[0]:.0%} of their light just round the face"
    # a face-width from the face's centre (the ring is 0.4 frame heights across) the murals keep about half: at a third
    # or less a lit room read as a black hole behind the face (curators, resonance), at four fifths the face has no room
    assert 0.4 < kept[8] < 0.75, f"0.2 frame heights out the murals keep {kept[8]:.0%}: a black pocket, or no room"
    assert np.diff(kept).max() < 0.08, f"a rim: {np.diff(kept).max():.0%} of the murals' light returns within 0.02 frame heights"
    assert kept[-1] > 0.75, f"the murals keep only {kept[-1]:.0%} of their light two face-widths from the face"


def test_no_vein_or_sparkle_of_the_murals_is_as_bright_as_a_face(ctx, field, registry):
    murals, target = field
    registry.set("murals.field.brightness", 8.0, immediate=True)
    registry.set("murals.ceiling", 0.3, immediate=True)
    light = ctx.texture(SMALL, 4, bytes(W * H * 8), dtype="f2")
    seen = luminance(murals, target, registry, light, 0.0)
    light.release()
    assert seen.max() <= 0.3 and seen.mean() > 0.05  # capped, not blacked out


def test_in_a_rendered_preset_the_murals_hush_to_a_dim_ground_round_the_face_darkest_just_round_its_strokes():
    gpu = Headless()
    piece = load_piece("default")
    run = Run(gpu.ctx, piece, (192, 108), 8, piece.preset.seed)
    try:
        for _ in range(36):  # 4.5 s: the first face has formed
            run.step()
        swarm = np.frombuffer(run.pipeline["light"].target.texture.read(), np.float16).reshape(108, 192, 4)[..., :3] @ LUMA
        murals = np.frombuffer(run.pipeline["murals"].output.texture.read(), np.float16).reshape(108, 192, 4)[..., :3] @ LUMA
    finally:
        run.release()
        gpu.release()
    stroke = swarm > 0.25
    rows, columns = np.nonzero(stroke)
    assert len(rows) > 30  # a face is there
    face = np.median(swarm[stroke])
    width = np.percentile(columns, 98) - np.percentile(columns, 2)
    y, x = np.mgrid[0:108, 0:192]
    near = (np.hypot(y - rows.mean(), x - columns.mean()) < 1.5 * width) & (swarm < 0.02)
    ink = np.asarray(Image.fromarray(stroke.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(9))) > 0
    just_round = ink & ~stroke & (swarm < 0.02)  # within four pixels of a stroke
    assert murals[near].mean() < 0.06 * face and np.percentile(murals[near], 99) < 0.15 * face  # the face by far the brightest
    assert murals[just_round].mean() < 0.6 * murals[~ink].mean()  # a darker hush just round the strokes
    assert murals[~near & ~stroke].mean() > 1.5 * murals[near].mean()  # the murals live further out


def test_the_murals_move_with_the_virtual_camera_at_their_own_depth(ctx, field, registry):
    murals, target = field
    light = ctx.texture(SMALL, 4, bytes(W * H * 8), dtype="f2")
    registry.set("murals.ceiling", 4.0, immediate=True)
    seen = {}
    for depth, drift in ((0.0, 0.0), (0.0, 0.3), (0.45, 0.3)):
        registry.set("murals.depth", depth, immediate=True)
        registry.set("camera.drift", drift, immediate=True)
        seen[depth, drift] = luminance(murals, target, registry, light, 0.0)
    light.release()
    assert np.abs(seen[0.0, 0.3] - seen[0.0, 0.0]).max() < 1e-3  # at depth 0 the camera does not move them
    assert np.abs(seen[0.45, 0.3] - seen[0.0, 0.0]).mean() > 0.1 * seen[0.0, 0.0].mean()  # behind the swarm, they drift


def test_threads_of_light_bridge_faces_that_stand_near_and_leave_the_far_dark_alone(ctx, library):
    size = (480, 270)
    spec = layer_spec({"shader": "threads"}, data_dir("shaders"))
    registry = declare_params([spec])
    registry.set("murals.threads.source", "presence")
    registry.set("murals.hush", 0.0, immediate=True)
    murals, target = MuralStack(Build(ctx, library, size, layers=[spec])), Target(ctx, size)
    y, x = np.mgrid[0:size[1], 0:size[0]]
    rings = np.zeros((size[1], size[0], 4), np.float16)
    for cx, cy in ((0.32, 0.5), (0.6, 0.5)):  # two faces side by side, in uv, a little apart
        d = np.hypot((x + 0.5) / size[1] - cx * size[0] / size[1], (y + 0.5) / size[1] - cy)
        rings[np.abs(d - 0.12) < 0.01] = 1.0
    light = ctx.texture(size, 4, rings.tobytes(), dtype="f2")
    try:
        murals.compose(frame_at(registry, 5, size=size), target, light)
        seen = pixels(target, 3)[::-1] @ LUMA
    finally:
        light.release()
        target.release()
        murals.release()
    between = seen[:, int(0.455 * size[0]) - 2: int(0.455 * size[0]) + 2]  # the column midway between them
    assert (between.max(axis=1) > 0.05).sum() >= 2  # threads cross from one face to the other
    assert seen[:, int(0.92 * size[0]):].max() < 0.01  # far from every face: dark


def settled_room(ctx, library, preset, face):
    """A preset's murals (linear rgb) a second after a face's stroke in `face` colour formed, and each pixel's distance
    from the frame's centre in frame heights: the room has followed the face."""
    piece = load_piece(preset)
    murals, target = MuralStack(Build(ctx, library, SMALL, layers=piece.layers)), Target(ctx, SMALL)
    light, distance = ring(ctx, face)
    try:
        for index in range(120, 150):
            murals.compose(frame_at(piece.registry, index), target, light)
        return pixels(target, 3)[::-1].astype(np.float64), distance
    finally:
        for thing in (murals, target, light):
            thing.release()


# the room's mean light beside a face, linear: a lit room, as the curators asked (it read at 5-10% of white), at a tenth
# of the face's stroke or less (was 0.022 and 0.014, dark and greyed; then 0.071 and 0.035)
LOUDEST = {"ember-tide": 0.09, "festival": 0.05}


@pytest.mark.parametrize("preset", ["ember-tide", "festival"])
def test_a_lit_rooms_wash_beside_its_face_stays_far_below_it_short_of_pure_colour(ctx, library, preset):
    rgb, distance = settled_room(ctx, library, preset, (0.45, 0.15, 1.0))  # a violet face: the room turns from it to its other colour
    room = rgb[distance > 0.35]  # outside the face
    colour = (room.max(axis=1) - room.min(axis=1)).sum() / room.max(axis=1).sum()  # saturation, as the light weighs it
    assert colour < 0.9, f"the room's wash is {colour:.0%} saturated: it outshouts the face"  # clean hues now (greyed: mud)
    assert (room @ LUMA).mean() < LOUDEST[preset], f"the room's wash is {(room @ LUMA).mean():.4f} in linear light: it fills the frame"


def test_calms_room_is_a_quiet_wash_not_a_saturated_violet(ctx, library):
    """Curators: calm's violet room was too saturated (with its sky-blue faces, the room is its ground's violet and its sea
    turned from them): as the light weighs it, the room outside the face is far from pure colour, yet not grey."""
    rgb, distance = settled_room(ctx, library, "calm", (0.1, 0.7, 1.0))  # a sky-blue face
    room = rgb[distance > 0.35]
    colour = (room.max(axis=1) - room.min(axis=1)).sum() / room.max(axis=1).sum()
    assert 0.2 < colour < 0.6, f"calm's room is {colour:.0%} saturated"


def test_ember_tides_room_is_a_warm_tide_lit_not_near_black(ctx, library):
    """Curators: ember-tide's room read near black (a mean of 10-17 of 255), nothing of embers or a tide: far from its
    face it is lit, in the red family (crimson to an ember's red), clear of healing's gold."""
    rgb, distance = settled_room(ctx, library, "ember-tide", (0.2, 0.9, 1.0))  # an aqua face, as its first
    room = rgb[distance > 0.6]  # past where the room gives way round the face
    hue = colorsys.rgb_to_hsv(*room.mean(axis=0))[0] * 360.0
    assert (room @ LUMA).mean() > 0.04, f"the room's light far from the face is {(room @ LUMA).mean():.4f}: near black"
    assert abs((hue - 350.0 + 180.0) % 360.0 - 180.0) < 25.0, f"the room's hue is {hue:.0f} degrees: not an ember's warmth"


@pytest.mark.parametrize("preset", ["malfunction", "resonance"])
def test_a_marbled_room_dims_in_a_soft_vignette_round_a_face_not_a_black_hole(ctx, library, preset):
    piece = load_piece(preset)
    murals, target = MuralStack(Build(ctx, library, SMALL, layers=piece.layers)), Target(ctx, SMALL)
    light, distance = ring(ctx, (0.2, 0.9, 1.0))  # a face's stroke 0.4 frame heights across, about a lone face's width
    hush, seen = piece.registry.value("murals.hush"), []
    try:
        for level in (0.0, hush):  # the room bare, then giving way round the face: its layers and its ground
            piece.registry.set("murals.hush", level, immediate=True)
            for index in range(120, 150):  # a second: the room has followed the face
                murals.compose(frame_at(piece.registry, index), target, light)
            seen.append(pixels(target, 3)[::-1] @ LUMA)
    finally:
        for thing in (murals, target, light):
            thing.release()
    bare, hushed = seen
    widths = distance / 0.4  # face-widths from the face's centre
    within, beside, far = (hushed[band].sum() / bare[band].sum()
                           for band in (widths < 0.4, (widths > 0.6) & (widths < 1.2), widths > 2.1))
    # curators: a tenth of the room's light within the face and a third beside it read as a black hole behind the face
    # (resonance worst); over half beside it, its marbling crowded the face
    assert 0.25 < within < beside, f"within the face the room keeps {within:.0%} of its light, {beside:.0%} beside it"
    assert 0.4 < beside < 0.7, f"within 1.2 face-widths the room keeps {beside:.0%} of its light: a black hole, or crowding"
    assert far > 0.8, f"far from the face the room keeps only {far:.0%} of its light"


def shown_room_and_face(folder, preset: str, seconds: float, size=(192, 108), fps: int = 4):
    """A preset rendered small (100,000 bots, as tests/test_presets.py's seams) to `seconds`: the shown frame's sRGB
    brightness (HSV value) and chroma (max - min) at the faces' strokes and over the room (where no swarm light is)."""
    shown, light = rendered_at(load_piece(preset_with_bots(folder, preset, 100_000)), seconds, size, fps)
    swarm = light @ LUMA
    value, chroma = shown.max(axis=-1), shown.max(axis=-1) - shown.min(axis=-1)
    stroke, room = swarm > 0.25, swarm < 0.02
    assert stroke.sum() > 30  # a face is there
    return value[stroke], chroma[stroke], value[room], chroma[room]


# curators (issue 22): malfunction's magenta room filled the frame from 5 s, as loud as its cyan face by 13.1 s; the
# community wall's rose to a green and teal aurora from 24.4 s that competed with its faces. Here the room's mean chroma was
# 0.81 and 0.61 of the face's (its loudest 1.34 and 0.89 of it), its mean brightness 0.32 and 0.41 of the face's; with half
# their colour and a dimmer ground, 0.31 and 0.25 (0.61 and 0.43), 0.18 and 0.23
@pytest.mark.parametrize(("preset", "seconds"), [("malfunction", 13.1), ("community-wall", 28.1)])
def test_the_shown_room_stays_dim_and_deep_below_its_faces_in_light_and_colour(tmp_path, preset, seconds):
    face_value, face_chroma, room_value, room_chroma = shown_room_and_face(tmp_path, preset, seconds)
    face_value, face_chroma = np.median(face_value), np.median(face_chroma)
    assert room_chroma.mean() < 0.5 * face_chroma, f"the room's colour is {room_chroma.mean() / face_chroma:.0%} of the face's"
    assert np.percentile(room_chroma, 99) < face_chroma, "the room's loudest colour is as loud as the face"
    assert room_value.mean() < 0.3 * face_value, f"the room's light is {room_value.mean() / face_value:.0%} of the face's"
    assert room_value.mean() > 0.04, "the room is black: it should be a dim, coloured space"


def room_over_time(ctx, library, preset, face, seconds, fps=30):
    """A preset's murals' light (linear luminance, top row first) beside a face's stroke in `face` colour, at each of
    `seconds` and a frame after it (each after a second of the room following the face), and each pixel's distance from
    the frame's centre in frame heights."""
    piece = load_piece(preset)
    murals, target = MuralStack(Build(ctx, library, SMALL, layers=piece.layers)), Target(ctx, SMALL)
    light, distance = ring(ctx, face)
    seen = {}
    try:
        for at in seconds:
            end = round(at * fps)
            for index in range(end - fps, end + 2):
                murals.compose(frame_at(piece.registry, index, fps=fps), target, light)
                if index >= end:
                    seen[index] = pixels(target, 3)[::-1] @ LUMA
        return [(seen[round(at * fps)], seen[round(at * fps) + 1]) for at in seconds], distance
    finally:
        for thing in (murals, target, light):
            thing.release()


def range_and_drift(shots, distance):
    """Far from the face, in rings round it (the hush and the edges' light are round): the room's light-dark range
    (10th to 90th percentile over the mean) and how much of its light moves over the seconds between shots, and in one frame."""
    rings = [(distance >= a) & (distance < a + 0.1) for a in np.arange(0.45, 0.95, 0.1)]
    spread = np.mean([(np.percentile(now[r], 90) - np.percentile(now[r], 10)) / now[r].mean() for now, _ in shots for r in rings])
    drift = np.mean([np.abs(b[r] - a[r]).mean() / a[r].mean() for (a, _), (b, _) in zip(shots[:-1], shots[1:], strict=True) for r in rings])
    flicker = max(np.abs(b[r] - a[r]).mean() / a[r].mean() for a, b in shots for r in rings)
    return spread, drift, flicker


# curators (issue 22): resonance's room was a flat, even violet, no light and dark, no slow motion; ember-tide's the one to
# match. Far from the face its range was 0.38 of its light (ember-tide's 0.47) and 0.07 of it moved in 3 s; now 0.50 and 0.20
def test_resonances_room_lives_in_slow_drifting_fields_of_light_and_dark(ctx, library):
    shots, distance = room_over_time(ctx, library, "resonance", (0.2, 0.9, 1.0), (10.0, 13.0, 16.0, 19.0))
    spread, drift, flicker = range_and_drift(shots, distance)
    assert spread > 0.45, f"the room's light far from the face spans {spread:.2f} of its mean: flat"
    assert drift > 0.12, f"{drift:.2f} of the room's light moves in 3 s: still"
    assert flicker < 0.02, f"{flicker:.3f} of the room's light changes in a frame: it flickers, not drifts"


# curators (issue 22): after the finale's embrace at 40 s, to its end, its room went near black and still. Its field lay at a
# twelfth of its light under its own even ground: its light hardly moved. Beside a cyan face, from 44 s to 56 s, 0.17 of the
# room's light moved in 3 s, its range 0.69 of its mean, its mean 0.0170; now 0.31, 0.79 and 0.0226. (Through the chaos the
# face still reads: tests/glitch/test_finale.py, on the rendered finale.)
def test_the_finales_room_keeps_moving_quietly_after_its_embrace_to_the_end(ctx, library):
    shots, distance = room_over_time(ctx, library, "festival-finale", (0.2, 0.9, 1.0), (44.0, 47.0, 50.0, 53.0, 56.0))
    spread, drift, flicker = range_and_drift(shots, distance)
    assert drift > 0.25, f"{drift:.2f} of the room's light moves in 3 s: still"
    assert spread > 0.7, f"the room's light far from the face spans {spread:.2f} of its mean: flat"
    assert flicker < 0.04, f"{flicker:.3f} of the room's light changes in a frame: it flickers, not drifts"
    assert np.mean([now.mean() for now, _ in shots]) > 0.018, "the room is near black"
