"""The shipped presets keep to the look: colour that means something, faults in the swarm, a face soon."""

import colorsys
from pathlib import Path

import numpy as np
import pytest

from neoterra_glow.glitch.faults import PARTICLE_KINDS, SCREEN_KINDS
from neoterra_glow.gpu.context import Headless
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.resources import data_dir
from tests.conftest import preset_with_bots, rendered_at

SHIPPED = sorted(p.stem for p in data_dir("presets").glob("*.toml"))


def hue_and_saturation(rgb) -> tuple[float, float]:
    h, _, s = colorsys.rgb_to_hls(*rgb)
    return h * 360.0, s


@pytest.mark.parametrize("preset", SHIPPED)
def test_faces_keep_their_colour_and_gold_is_kept_for_healing(preset):
    values = load_piece(preset).registry
    assert abs(values.value("swarm.hue_drift")) <= 0.3  # no flipping every face's colour together
    for part in ("core", "edge"):
        hue, saturation = hue_and_saturation(values.value(f"swarm.palette.{part}"))
        assert not (20.0 <= hue <= 65.0 and saturation > 0.3), (part, hue)  # no gold or orange face
    hue, saturation = hue_and_saturation(values.value("swarm.palette.spark"))
    assert 30.0 <= hue <= 50.0 and saturation > 0.6  # the healing gold


def test_the_finales_chaos_is_the_swarms_and_the_screen_breaks_rarely_and_briefly():
    faults = load_piece("festival-finale").preset.faults
    screen = [f for f in faults if f["kind"] in SCREEN_KINDS]
    assert len(screen) <= 3 and all(f["duration"] <= 0.5 and f["intensity"] <= 0.3 for f in screen)
    chaos = {f["kind"] for f in faults if 24.0 <= f["at"] < 40.0}
    assert {"stall", "cascade", "swap", "scatter"} <= chaos


def test_malfunctions_faults_run_two_thirds_of_its_30_s_and_end_in_an_embrace():
    faults = load_piece("malfunction").preset.faults
    hurting = [f for f in faults if f["kind"] in PARTICLE_KINDS]
    assert {"stall", "cascade", "swap", "scatter"} <= {f["kind"] for f in hurting}
    last = max(f["at"] + f["duration"] for f in hurting)
    assert 16.0 <= last <= 22.0, f"its faults are over by {last} s"  # was 9.5: half its run already healed
    embrace = [f for f in faults if f["kind"] == "embrace"]
    assert embrace and min(f["at"] for f in embrace) >= max(f["at"] for f in hurting)  # the heal comes last
    assert all(f.get("envelope") != "strobe" for f in faults)  # no flashing


def test_calm_forms_its_first_face_within_three_and_a_half_seconds():
    gpu = Headless()
    piece = load_piece("calm")
    run = Run(gpu.ctx, piece, (192, 108), 8, piece.preset.seed)
    try:
        for _ in range(28):
            run.step()
        light = np.frombuffer(run.pipeline["light"].target.texture.read(), np.float16).reshape(108, 192, 4)[..., :3]
    finally:
        run.release()
        gpu.release()
    luminance = np.sort((light.astype(np.float32) @ [0.2126, 0.7152, 0.0722]).ravel())[::-1]
    assert luminance[len(luminance) // 200] > 0.05  # lit
    assert luminance[: len(luminance) // 20].sum() > 0.7 * luminance.sum()  # in strokes, not a haze (at 4 s: 0.33)


@pytest.mark.parametrize("preset", SHIPPED)
def test_every_preset_shows_a_short_swarm_fault_soon_after_its_first_face(preset):
    faults = load_piece(preset).preset.faults
    early = [f for f in faults if f["kind"] in PARTICLE_KINDS and f["at"] <= 9.0]
    assert early, "no fault of the bots' own in the first 9 s"
    assert all(f["duration"] <= 3.0 and f["intensity"] <= 0.7 for f in early)  # short and tasteful, not the chaos


ROOMS = ("calm", "default", "ember-tide", "resonance", "community-wall")


@pytest.mark.parametrize("preset", ROOMS)
def test_every_room_has_an_arc_new_faces_every_few_seconds_and_a_fault_that_heals_into_a_scar(preset):
    piece = load_piece(preset)
    values = piece.registry
    assert len(piece.preset.glyphs) >= 4, "one face held for the whole piece is stasis"
    hold = values.value("swarm.hold")
    assert 4.0 <= hold <= 8.0  # a new face every 6 to 10 s once the morph is counted (a wall's visits are quicker)
    assert len(piece.preset.glyphs) * hold >= 24.0  # and none comes back within the 30 s loop too soon
    scarring = [f for f in piece.preset.faults if f["kind"] in ("cascade", "stall") and f["at"] <= 20.0]
    assert scarring, "no fault hurts the bots badly enough to heal into a gold seam"


def test_resonance_lets_the_music_breathe_on_the_face_without_pumping_it_like_a_visualiser():
    piece = load_piece("resonance")
    values = piece.registry
    drives = {(d["source"], d["param"]): d for d in piece.preset.drives}
    assert drives[("audio.bass", "swarm.size")]["to"] <= 1.6 * values.value("swarm.size")  # the strokes stay strokes
    scatter = drives.get(("audio.onset", "glitch.scatter"))
    assert scatter is None or scatter["to"] * scatter.get("amount", 1.0) <= 0.05  # a stumble, not a smear on every hit
    assert ("audio.onset", "swarm.glyph_glow") in drives  # a hit lands on the face
    assert values.value("murals.field.sparkle") <= 0.05  # no white starfield over the sea


def test_festival_ends_a_fault_in_a_heal_with_a_gold_scar_seen_for_eight_seconds(tmp_path):
    # past the cascade at 11.2 s and the embrace from 13 s, on the face it broke; the old festival, with no heal: 1
    soon, late = seam_pixels(tmp_path, "festival", 14.25, 21.25)
    assert soon >= 8 and late >= 8, (soon, late)  # a second after the embrace and eight later (its face had gone at 16.4 s: 0)


def seam_pixels(folder: Path, preset: str, *seconds: float) -> list[int]:
    """Warm, saturated gold pixels of the swarm's light at each of `seconds` into a preset (192x108, 4 fps, 100,000 bots,
    written into `folder`: at this size a seam lights as many pixels as with the preset's own count): its seam."""
    gpu = Headless()
    piece = load_piece(preset_with_bots(folder, preset, 100_000))
    run = Run(gpu.ctx, piece, (192, 108), 4, piece.preset.seed)
    counts = []
    try:
        for at in seconds:
            while run.next_index < round(4 * at):  # the frame before `at`
                run.step()
            light = np.frombuffer(run.pipeline["light"].target.texture.read(), np.float16).reshape(108, 192, 4)[..., :3]
            rgb = np.clip(light.astype(np.float32), 0.0, None)
            top, low = rgb.max(axis=-1), rgb.min(axis=-1)
            r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
            counts.append(int(((top > 0.15) & (r >= g) & (g > b) & ((top - low) > 0.3 * top) & (g > 0.45 * r)).sum()))
    finally:
        run.release()
        gpu.release()
    return counts


@pytest.mark.parametrize(("preset", "seconds"), [("calm", 21.25), ("resonance", 23.25)])
def test_a_rooms_seam_shows_soon_after_its_embrace_not_only_as_its_face_leaves(preset, seconds, tmp_path):
    # calm's showed from 21.5 s of a face leaving at 22.5, resonance's from 20 s of 21 (its embrace now at 21.1 s: 2.15 s on)
    assert seam_pixels(tmp_path, preset, seconds)[0] >= 5


def rooms_light(preset, ctx, library):
    """The preset and its murals' light (linear rgb) at frame 150 with no face yet: the room alone."""
    from neoterra_glow.gpu.stage import Build
    from neoterra_glow.gpu.targets import Target
    from neoterra_glow.murals.stack import MuralStack
    from tests.conftest import SMALL, frame_at, pixels

    piece = load_piece(preset)
    murals = MuralStack(Build(ctx, library, SMALL, layers=piece.layers))
    target, dark = Target(ctx, SMALL), ctx.texture(SMALL, 4, bytes(SMALL[0] * SMALL[1] * 8), dtype="f2")
    try:
        murals.compose(frame_at(piece.registry, 150), target, dark)
        return piece, pixels(target, 3)
    finally:
        for thing in (murals, target, dark):
            thing.release()


@pytest.mark.parametrize("preset", SHIPPED)
def test_every_room_has_a_dim_coloured_ground_toward_its_edges_never_as_bright_as_a_face(preset, ctx, library):
    from tests.conftest import SMALL

    piece, rgb = rooms_light(preset, ctx, library)
    light = rgb @ np.array([0.2126, 0.7152, 0.0722])
    y, x = np.mgrid[0:SMALL[1], 0:SMALL[0]]
    out = np.hypot((x + 0.5) / SMALL[1] - 0.5 * SMALL[0] / SMALL[1], (y + 0.5) / SMALL[1] - 0.5)  # frame heights from the centre
    edges = light[out > 0.75]
    assert np.percentile(edges, 10) > 0.003, f"the room is black under its currents: {np.percentile(edges, 10):.4f}"
    assert light.max() < 0.6 * piece.registry.value("swarm.brightness"), "the murals burn as bright as a face's strokes"


@pytest.mark.parametrize("preset", SHIPPED)
def test_every_room_is_lit_across_the_whole_frame_its_middle_too_by_a_ground_far_from_gold(preset, ctx, library):
    from tests.conftest import SMALL

    _, rgb = rooms_light(preset, ctx, library)
    light = rgb @ np.array([0.2126, 0.7152, 0.0722])
    y, x = np.mgrid[0:SMALL[1], 0:SMALL[0]]
    out = np.hypot((x + 0.5) / SMALL[1] - 0.5 * SMALL[0] / SMALL[1], (y + 0.5) / SMALL[1] - 0.5)
    middle = light[out < 0.25]  # where a face stands: a projector shows near-black as nothing
    assert np.percentile(middle, 10) > 0.0025, f"the room's middle is black: {np.percentile(middle, 10):.4f}"
    hue = colorsys.rgb_to_hsv(*rgb[out < 0.25].mean(axis=0))[0] * 360.0
    assert abs((hue - 45.0 + 180.0) % 360.0 - 180.0) > 60.0, f"the room's middle is {hue:.0f} degrees, by gold"


def test_the_community_wall_shows_four_large_faces_whose_hues_stand_far_apart():
    from neoterra_glow.swarm.gathering import INK_TALL, placements
    from neoterra_glow.swarm.swarm import face_colours

    piece = load_piece("community-wall")
    names = piece.preset.glyphs
    assert len(names) == 4, "a wall of many small faces: no one reads as someone"
    places = placements("wall", len(names), 16 / 9)
    assert (places[:, 2] * INK_TALL > 0.3).all(), "a face on the wall under 30% of the frame's height"
    wheel = sorted(place for place, _ in face_colours(list(names)))  # 0..1 over the arc of hues outside gold's family
    assert np.diff(wheel).min() >= 0.2, f"two faces' hues close on the wheel: {wheel}"
    assert not (wheel[-1] > 0.75 and wheel[-2] > 0.75), "a rose and a magenta face: after the tonemap they read alike"


def fault_runs(preset: str, seconds: float, fps: int = 10) -> list[tuple[float, float, str]]:
    """(start, end, kind) of each run of the preset's faults of the bots' own over `seconds`, as its malfunction plays them."""
    from neoterra_glow.control.beat import BeatClock

    piece = load_piece(preset)
    runs, dt = [], 1.0 / fps
    for n in range(round(seconds * fps)):
        snapshot = piece.registry.snapshot(dt)
        faults = piece.malfunction.step(n * dt, dt, {**snapshot, **BeatClock().values(n * dt, snapshot["glitch.bpm"])})
        on = [kind for kind in PARTICLE_KINDS if faults[kind] > 0.0]
        if on and (not runs or runs[-1][1] < (n - 1) * dt - 1e-9):
            runs.append([n * dt, n * dt, on[0]])
        elif on:
            runs[-1][1] = n * dt
    return [tuple(run) for run in runs]


def visit_at(preset: str, times: list[float], bpm: float = 0.0, beat: float = 0.0) -> list[tuple[int, float]]:
    """The face the swarm is forming at each of `times` (frame seconds) and how long it has been at it (its own seconds),
    as swarm/swarm.py steps its visits: one face at a time, a face an embrace heals stays SEAM_SEEN seconds from it on and
    while the embrace lasts. With `bpm` the swarm hears a tempo whose first beat falls at `beat` seconds, and with
    tempo.morphs its moves wait for the beat or bar (resonance's faces changed up to a bar late to a 120 bpm track)."""
    from neoterra_glow.control.beat import BEATS_PER_BAR, crossed
    from neoterra_glow.glitch.malfunction import parse_timeline
    from neoterra_glow.swarm.gathering import Visits
    from neoterra_glow.swarm.swarm import SEAM_SEEN, STEP

    piece = load_piece(preset)
    speed, hold = piece.registry.value("swarm.speed"), piece.registry.value("swarm.hold")
    morphs = piece.registry.value("tempo.morphs")
    alone = piece.registry.value("swarm.layout") == "centre"
    embraces = [f for f in parse_timeline(piece.preset.faults) if f.kind == "embrace" and alone]
    visits, out, step, position = Visits(len(piece.preset.glyphs)), [], 0, 0.0
    for time in times:
        while step < round(time * speed / STEP):
            was, position = position, ((step + 1) * STEP / speed - beat) * bpm / 60.0 % BEATS_PER_BAR
            visits.advance(STEP, hold, False, crossed(was, position, morphs, bpm))
            step += 1
            if any(f.level(step * STEP / speed) > 0.0 for f in embraces):
                visits.heal(SEAM_SEEN * speed)
        out.append((visits.current, visits.time))
    return out


def test_the_wall_keeps_breaking_once_full_one_formed_face_at_a_time_every_few_seconds():
    from neoterra_glow.swarm.gathering import FORMED

    values = load_piece("community-wall").registry
    hold, speed = values.value("swarm.hold"), values.value("swarm.speed")
    runs = [run for run in fault_runs("community-wall", 130.0) if run[0] >= 24.0]  # past the embrace, the wall long full
    starts = [start for start, _, _ in runs]
    gaps = np.diff(starts)
    assert len(runs) >= 12 and gaps.max() <= 10.0 and 6.0 <= gaps.mean() <= 8.0, starts  # none after 24 s on the old wall
    faces = visit_at("community-wall", [t for run in runs for t in run[:2]])
    for (start, end, kind), (face, into), (face_at_end, _) in zip(runs, faces[::2], faces[1::2], strict=True):
        assert face == face_at_end and into >= FORMED, (start, kind)  # on one face, formed, till it ends
        assert into + (end - start) * speed <= hold, (start, kind)  # and over before the swarm moves on
    struck = {(face, kind) for (face, _), (_, _, kind) in zip(faces[::2], runs, strict=True)}
    assert {face for face, _ in struck} == {0, 1, 2, 3} and {kind for _, kind in struck} >= {"cascade", "stall", "swap"}


def final_frame(preset: str, seconds: float, size=(320, 180), fps: int = 4) -> np.ndarray:
    """The preset's frame at `seconds` as it is shown (sRGB, top row first), rendered from its start."""
    return rendered_at(load_piece(preset), seconds, size, fps)[0]


def hsv_hue(rgb: np.ndarray) -> np.ndarray:
    """Each pixel's hue in degrees (HSV's, of the colour as shown)."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    top = rgb.max(axis=-1)
    span = np.maximum(top - rgb.min(axis=-1), 1e-6)
    return 60.0 * np.where(top == r, ((g - b) / span) % 6.0, np.where(top == g, (b - r) / span + 2.0, (r - g) / span + 4.0))


def on_face(preset: str, face: int, size: tuple[int, int]) -> np.ndarray:
    """The pixels of a frame (top row first) within the box the centre layout gives the preset's face `face`."""
    from neoterra_glow.glyphs.glyph import EXTENT
    from neoterra_glow.swarm.gathering import placements

    x, y, scale = placements("centre", len(load_piece(preset).glyphs), size[0] / size[1])[face]
    rows, columns = np.mgrid[0:size[1], 0:size[0]]
    across = ((columns + 0.5) / size[0] * 2.0 - 1.0) * size[0] / size[1]
    up = 1.0 - (rows + 0.5) / size[1] * 2.0
    return (np.abs(across - x) < EXTENT * scale) & (np.abs(up - y) < EXTENT * scale)


def test_ember_tides_seam_reads_the_one_gold_as_seen_in_the_final_frame():
    shown = final_frame("ember-tide", 20.75)  # the embrace's seam on the third face, the one that broke
    top, low = shown.max(axis=-1), shown.min(axis=-1)
    hue = hsv_hue(shown)
    warm = (top > 0.45) & (top - low > 0.3 * top) & (hue > 25.0) & (hue < 60.0)  # warm lit pixels: the seam, and embers
    golden = warm & on_face("ember-tide", 2, (320, 180))  # the seam's: the tide's embers, orange sparks, rise round the face
    spark = colorsys.rgb_to_hsv(*(np.array([0xE8, 0xC3, 0x6A]) / 255.0))[0] * 360.0  # every preset's gold, as the other presets show it
    assert golden.sum() >= 15, golden.sum()
    assert abs(float(np.median(hue[golden])) - spark) < 3.0, (float(np.median(hue[golden])), spark)  # Hable's: 48 degrees, paler
    embers = warm & ~on_face("ember-tide", 2, (320, 180))
    assert embers.any() and np.median(hue[embers]) < np.median(hue[golden]) - 6.0  # the seam is not one more ember (curators)


@pytest.mark.parametrize("preset", ["calm", "resonance", "ember-tide", "community-wall"])
def test_a_rooms_breaking_faults_land_on_a_formed_face_and_end_before_the_swarm_moves_on(preset):
    """A cascade in calm began while its face still formed (1.5 s into 2.5), resonance's scatter as the swarm left its face:
    neither read in a still frame."""
    from neoterra_glow.swarm.gathering import FORMED

    values = load_piece(preset).registry
    hold, speed = values.value("swarm.hold"), values.value("swarm.speed")
    runs = [run for run in fault_runs(preset, 30.0) if run[2] in ("cascade", "stall", "scatter")]
    faces = visit_at(preset, [t for run in runs for t in run[:2]])
    assert runs
    for (start, end, kind), (face, into), (face_at_end, _) in zip(runs, faces[::2], faces[1::2], strict=True):
        assert face == face_at_end and into >= FORMED and into + (end - start) * speed <= hold, (kind, start, into)


@pytest.mark.parametrize("preset", ["festival", "festival-finale", "malfunction", "community-wall"])
def test_a_shows_faults_each_strike_a_formed_face(preset):
    """The finale's scatter at 19.5 s and its last wave struck faces the swarm was changing (read as a lime ring, a skull),
    and its embrace landed as the next face formed (a cut); malfunction's cascade ran into a change, its mending on the next
    face; festival's face was formed 1.6 s of every 4.5, its cascade ran into the change. A fault's first run, from its start
    to its end, is on one face, formed (the embrace's face: the test below)."""
    from neoterra_glow.glitch.malfunction import parse_timeline
    from neoterra_glow.swarm.gathering import FORMED

    piece = load_piece(preset)
    faults = parse_timeline(piece.preset.faults)
    hurting = [f for f in faults if f.kind in PARTICLE_KINDS]
    times = sorted({t for f in hurting for t in (f.start, f.start + f.duration - 0.05)})
    visits = dict(zip(times, visit_at(preset, times), strict=True))
    for fault in hurting:
        (face, into), (face_at_end, _) = visits[fault.start], visits[fault.start + fault.duration - 0.05]
        assert face == face_at_end and into >= FORMED, (fault.kind, fault.start, into)


EVERY_WOUND_HEALS = ("festival", "festival-finale", "resonance")  # the shows, and the room that plays to a track: no face broken unhealed


@pytest.mark.parametrize(("preset", "bpm", "beat"), [(p, 0.0, 0.0) for p in ("festival", "festival-finale", "malfunction", "default",
                                                                          "calm", "ember-tide", "resonance")]
                         + [("resonance", 120.0, beat) for beat in (0.0, 0.13, 0.3)])
def test_an_embrace_heals_the_face_its_faults_broke_and_that_face_stays_while_its_seam_is_seen(preset, bpm, beat):
    """Only a cascade or a stall wounds, and the bots' faults wait while a face forms (swarm.py's _between_faces): default's
    cascade, 0.9 s into its face, broke nothing, and its embrace had no seam to show. One face at a time a scar leaves with
    its face, so the swarm keeps the face SEAM_SEEN seconds from the embrace on (festival's left 3.25 s after it: its seam,
    a second in growing, was seen 2 s). Every embrace heals the face the wounds before it broke: the finale's one embrace
    left two broken faces unhealed; and to a 120 bpm track (`bpm`, its first beat at `beat` s) resonance's faces, waiting
    for the bar, came late, its cascade struck a face forming (into it 1.5 s) and the embrace had nothing to gild."""
    from neoterra_glow.glitch.malfunction import parse_timeline
    from neoterra_glow.swarm.gathering import FORMED
    from neoterra_glow.swarm.swarm import SEAM_SEEN

    piece = load_piece(preset)
    faults = parse_timeline(piece.preset.faults)
    embraces = sorted((f for f in faults if f.kind == "embrace"), key=lambda f: f.start)
    opened = 0.0
    for embrace in embraces:
        broken = sorted((f for f in faults if f.kind in ("cascade", "stall") and opened <= f.start < embrace.start),
                        key=lambda f: f.start)
        assert broken, f"the embrace at {embrace.start} s heals no broken face"
        broken = broken if preset in EVERY_WOUND_HEALS else broken[-1:]
        times = [f.start for f in broken] + [embrace.start, embrace.start + SEAM_SEEN - 0.5]
        visits = visit_at(preset, times, bpm, beat)
        speed = piece.registry.value("swarm.speed")
        for fault, (struck, into) in zip(broken, visits, strict=False):
            assert into >= FORMED, (fault.kind, fault.start, into)  # on a face formed
            assert struck == visits[-2][0] == visits[-1][0], (fault.start, embrace.start)  # healed, kept while its seam is seen
            assert visits[-2][1] - into < (embrace.start - fault.start) * speed + 0.01, fault.start  # in the same visit
        opened = embrace.start


@pytest.mark.parametrize(("preset", "seconds", "bpm"), [("festival-finale", 60.0, 0.0), ("festival", 30.0, 0.0),
                                                         ("resonance", 30.0, 0.0), ("resonance", 30.0, 120.0)])
def test_a_piece_ends_on_the_face_its_last_embrace_healed(preset, seconds, bpm):
    """The finale's last 10 s are its ending: the face healed at 40 s, held to its end (its 20 s embrace went on to a fresh,
    dim face at 49 s); festival's and resonance's 30 s (as their contact sheets show them) end on a gilded face too, seen
    from a little after its embrace to the end (they ended on a face forming from nothing, 22 s and 21 s in)."""
    from neoterra_glow.glitch.malfunction import parse_timeline

    last = max(f.start for f in parse_timeline(load_piece(preset).preset.faults) if f.kind == "embrace")
    assert last <= seconds - 3.0, "its seam has no time to be seen"
    healed, end = visit_at(preset, [last, seconds - 0.05], bpm)
    assert healed[0] == end[0], (healed, end)  # the face the embrace healed, still
