import itertools

import numpy as np
import pytest

from neoterra_glow.glyphs.face import BODY, eye_centres, turned
from neoterra_glow.glyphs.glyph import EXTENT, SDF_SIZE
from neoterra_glow.glyphs.smile import MOUTH_Y, SmileSpec, smile_glyph
from tests.glyphs.ink import distance_to_ink
from tests.glyphs.test_people import SAMPLED

NAMES = ["Elara", "Kai", "Nara", "Aryn", "Tomas", "Wen", "Priya", "Olu", "Sami", "Ines", "Bao", "Mira"]


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_the_same_text_always_draws_the_same_glyph():
    first, again = smile_glyph("Elara"), smile_glyph("Elara")
    assert np.array_equal(first.sdf, again.sdf)
    assert np.array_equal(first.samples, again.samples)


def test_different_names_draw_measurably_different_smiles():
    masks = {name: smile_glyph(name).mask() for name in NAMES}
    overlaps = [iou(masks[a], masks[b]) for a, b in itertools.combinations(NAMES, 2)]
    assert max(overlaps) < 0.6, f"two smiles overlap by {max(overlaps):.2f}"
    assert np.mean(overlaps) < 0.35


def test_a_story_draws_a_smile_too_and_one_letter_changes_it():
    story = "When the river rose we carried the piano upstairs and played all night"
    assert iou(smile_glyph(story).mask(), smile_glyph(story.replace("night", "nights")).mask()) < 0.6


def test_every_glyph_is_a_smile_with_its_corners_above_its_middle():
    for n in range(400):
        spec = SmileSpec.from_text(f"person {n}")
        mouth = spec.mouth_line()
        middle = mouth[len(mouth) // 2 - 8 : len(mouth) // 2 + 8, 1].min()
        corners = mouth[[0, -1], 1]
        assert corners.min() - middle > 0.2 * spec.width, n
        assert (corners > MOUTH_Y).all(), n


def test_glyphs_stay_inside_their_cell_with_room_to_glow():
    for name in NAMES:
        sdf = smile_glyph(name).sdf
        border = np.concatenate([sdf[0], sdf[-1], sdf[:, 0], sdf[:, -1]])
        assert border.min() > 0.1, name


def test_targets_lie_on_the_ink_or_on_a_shade():
    glyph = smile_glyph("Kai")
    x, y = glyph.samples[:, 0], glyph.samples[:, 1]
    col = ((x + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int)
    row = ((y + EXTENT) / (2 * EXTENT) * SDF_SIZE).astype(int)
    shades = [stroke for stroke in SmileSpec.from_text("Kai").strokes() if stroke.density < 1.0]
    shaded = np.min([distance_to_ink(glyph.samples[:, :2], stroke) for stroke in shades], axis=0) <= 1e-4
    assert ((glyph.sdf[row, col] < 0.02) | shaded).mean() > 0.99
    assert (glyph.samples[:, 2] != 0).all()  # every target has a stroke width to spread into (a shade's is negative: lit in pairs)


def test_empty_text_is_refused_with_a_message():
    with pytest.raises(ValueError, match="needs a name or a story"):
        smile_glyph("   ")


def test_an_open_smile_shows_the_teeths_edge_between_the_lips_never_fangs():
    open_mouths = 0
    for n in range(300):
        parts = dict(SmileSpec.from_text(f"person {n}").parts())
        assert "teeth" not in parts and "sparkle" not in parts, n  # no ticks hanging from a lip, no stars
        if "bite" not in parts:
            continue
        open_mouths += 1
        bite, mouth = parts["bite"].points, parts["mouth"].points
        gap = bite[:, 1] - np.interp(bite[:, 0], mouth[:, 0], mouth[:, 1])
        assert (gap >= -1e-3).all() and gap.max() > 0.04, n  # above where the lips meet, never through it: an opening
    assert 60 < open_mouths < 240


def test_every_face_is_a_portrait_with_human_proportions():
    for n in range(120):
        spec = SmileSpec.from_text(f"person {n}")
        parts = spec.parts()
        kinds = {part for part, _ in parts}
        assert {"hair", "jaw", "brow", "eye", "nose", "mouth", "lower lip"} <= kinds, n
        ink = np.concatenate([stroke.points for _, stroke in parts])
        head = np.concatenate([stroke.points for part, stroke in parts if part not in BODY])
        eyes = np.concatenate([stroke.points for part, stroke in parts if part == "eye"])
        mouth = dict(parts)["mouth"].points
        top, chin = head[:, 1].max(), np.concatenate([stroke.points for part, stroke in parts if part == "jaw"])[:, 1].min()
        assert 0.35 < (top - eyes[:, 1].mean()) / (top - chin) < 0.6, n  # eyes about halfway down the head, hair above
        eye_gap = np.ptp(eyes[:, 0]) - 2 * spec.eye_size
        assert 0.7 < np.ptp(mouth[:, 0]) / eye_gap < 1.8, n  # a mouth about as wide as the eyes are apart
        assert np.ptp(ink[:, 1]) > 1.7, n  # the whole head: the face fills its cell


def test_faces_are_people_not_one_template():
    specs = [SmileSpec.from_text(f"person {n}") for n in range(80)]
    looks = {(s.eyes, s.opening > 0, s.nose, s.cheeks, s.hair, s.far_cheek, s.ear, bool(s.freckles), s.crows_feet) for s in specs}
    assert len(looks) > 60
    for feature in ("cheek", "freckle", "crow's feet", "bite", "ear"):
        share = np.mean([any(part == feature for part, _ in s.parts()) for s in specs])
        assert 0.1 < share < 0.95, feature
    assert {s.hair for s in specs} == {"swept", "parted", "curls", "long", "cropped", "bun", "afro", "fringe", "shaved", "headscarf"}
    assert np.ptp([s.eye_y for s in specs]) > 0.05 and np.ptp([s.eye_gap for s in specs]) > 0.04
    assert np.ptp([s.turn for s in specs]) > 0.3  # heads turned either way
    assert {kind for s in specs for kind in s.eyes} == {"open", "closed"}
    assert sum(a != b for a, b in (s.eyes for s in specs)) > 3  # winks


def test_strokes_swell_and_taper_like_a_brush():
    for name in NAMES:
        (mouth,) = [stroke for part, stroke in SmileSpec.from_text(name).parts() if part == "mouth"]
        assert mouth.radii.max() > 1.4 * mouth.radii[[0, -1]].max(), name
        assert 0.1 < np.argmax(mouth.radii) / len(mouth.radii) < 0.9, name


def test_faces_are_people_of_every_shape_and_age_with_beards_glasses_earrings_and_shoulders():
    specs = [SmileSpec.from_text(f"person {n}") for n in range(120)]
    assert {s.shape for s in specs} == {"round", "long", "heart", "square"}
    assert {s.age for s in specs} == {"young", "adult", "older"}
    assert {s.facial_hair for s in specs} == {"none", "stubble", "moustache", "beard"}
    assert {s.glasses for s in specs} == {"none", "round", "square"}
    assert {s.earrings for s in specs} == {"none", "hoops", "studs"}
    for feature in ("moustache", "stubble", "glasses", "earring", "forehead", "eye bag"):
        share = np.mean([any(part == feature for part, _ in s.parts()) for s in specs])
        assert 0.05 < share < 0.5, feature
    for s in specs:  # a bust: every face has shoulders under it, and a neck unless a scarf covers it
        parts = s.parts()
        kinds = {part for part, _ in parts}
        assert "shoulders" in kinds and ("neck" in kinds or s.hair == "headscarf"), s
        jaw = np.concatenate([stroke.points for part, stroke in parts if part == "jaw"])
        shoulders = np.concatenate([stroke.points for part, stroke in parts if part == "shoulders"])
        assert shoulders[:, 1].max() < jaw[:, 1].min() and np.ptp(shoulders[:, 0]) > 1.25 * np.ptp(jaw[:, 0]), s
        if s.age == "older":
            assert s.crows_feet >= 2 and "forehead" in kinds


def test_forty_names_are_forty_different_people():
    specs = [SmileSpec.from_text(f"person {n}") for n in range(40)]
    people = {(s.shape, s.age, s.hair, s.facial_hair, s.glasses, s.earrings, s.eyes, s.cheeks, s.neckline) for s in specs}
    assert len(people) == 40
    faces = [(s.shape, s.hair, s.facial_hair, s.glasses) for s in specs]  # what reads from across a room
    assert max(faces.count(face) for face in faces) <= 2
    heights = [np.ptp(np.concatenate([stroke.points for part, stroke in s.parts() if part == "jaw"])[:, 1]) for s in specs]
    assert np.ptp(heights) > 0.12  # long faces and round ones


def test_the_next_faces_kth_target_is_near_this_faces_so_a_morph_flows_in_short_streams():
    """Targets are kept in a space-filling order: bot k's way from one face to the next is short and
    its neighbours go the same way. In stroke order half the bots crossed half the face or more."""
    faces = [smile_glyph(name) for name in ("Elara", "Kai", "Nara", "Aryn", "Priya", "Ines")]
    ways = np.concatenate([np.linalg.norm(a.samples[:, :2] - b.samples[:, :2], axis=1) for a, b in zip(faces, faces[1:], strict=False)])
    assert np.median(ways) < 0.35 and np.percentile(ways, 90) < 0.9, np.percentile(ways, [50, 90])
    steps = np.linalg.norm(np.diff(faces[0].samples[:, :2], axis=0), axis=1)
    assert np.median(steps) < 0.03, "neighbouring targets are not neighbours on the face"


def test_an_open_eye_is_a_lid_over_an_iris_ring_round_a_dark_pupil_with_a_glint_not_a_glowing_disc():
    for name in ["Priya", "Nara", "Kai", "Tomas", "Zainab", "Lucia", "Sofia", "Elara"]:
        spec, glyph = SmileSpec.from_text(name), smile_glyph(name)
        targets = glyph.samples[:, :2]
        for kind, (x, y) in zip(spec.eyes, eye_centres(spec), strict=True):
            size, radius = spec.eye_size, 0.42 * spec.eye_size * spec.iris / 1.65
            centre = spec._hand(turned(spec, [[x + spec.gaze * size * 0.25, y + 0.7 * size * spec.eye_open * 0.3]]))[0]
            near = np.linalg.norm(targets - spec._hand(turned(spec, [[x, y]]))[0], axis=1) < 1.6 * size
            assert near.mean() > 0.05, name  # each eye keeps its share of the bots, lit at a distance
            if kind != "open":
                continue
            reach = np.linalg.norm(targets - centre, axis=1)
            pupil = np.linalg.norm(targets - (centre - 0.15 * radius), axis=1) < 0.25 * radius
            ring = (reach > 0.75 * radius) & (reach < 1.25 * radius) & (targets[:, 1] < centre[1])
            glint = np.linalg.norm(targets - (centre + (0.3 * radius, 0.25 * radius)), axis=1) < 0.3 * radius
            lid = near & (reach > 1.3 * radius) & (targets[:, 1] > centre[1] - 0.3 * radius)  # round the ring and over it
            assert pupil.sum() <= 1, (name, pupil.sum())  # dark in the middle: a pupil, not a disc
            assert ring.sum() > 20 and glint.sum() >= 5, (name, ring.sum(), glint.sum())  # a dim ring and a small glint, yet lit
            assert lid.sum() > ring.sum(), (name, lid.sum())  # the upper lid, corner to corner, the strongest line of the eye


def test_the_neck_fades_to_its_base_and_nothing_closes_a_band_across_it():
    """Curators read the neck's two lines closed by a neckline at their base as a choker. Before: the neck's lines
    as heavy at the base as under the jaw (up to 1.17 times), the shoulders or a neckline 0.04 from their ends, and in
    57% of 104 busts a line across between them within 0.1 below."""
    for n in range(120):
        spec = SmileSpec.from_text(f"person {n}")
        if spec.hair == "headscarf":
            continue
        parts = spec.parts()
        necks = [stroke for part, stroke in parts if part == "neck"]
        body = np.concatenate([stroke.points for part, stroke in parts if part == "shoulders"])
        assert all(neck.radii[-1] < 0.3 * neck.radii[0] for neck in necks), n  # 0.28 at most
        ends = np.array([neck.points[-1] for neck in necks])
        assert min(np.linalg.norm(body - end, axis=1).min() for end in ends) > 0.09, n  # 0.11 at least
        between = (body[:, 0] > ends[:, 0].min()) & (body[:, 0] < ends[:, 0].max()) & (body[:, 1] > ends[:, 1].min() - 0.1)
        assert not between.any(), n  # a neckline lies lower on the chest, if any


def test_the_necks_lines_start_on_the_jaw_and_never_cross_the_chins_line():
    """Curators read a "#" at the neck where its two lines rose past the jaw's line under the chin. Over these 120 busts,
    before: up to 0.125 glyph units over the jaw (median 0.071); now at most 0.012 (the hand's waver), their tops within
    0.043 of the jaw's line."""
    for n in range(120):
        spec = SmileSpec.from_text(f"person {n}")
        parts = spec.parts()
        jaw = next(stroke.points for part, stroke in parts if part == "jaw")
        under = jaw[jaw[:, 1] < -0.5]
        under = under[np.argsort(under[:, 0])]
        for neck in (stroke.points for part, stroke in parts if part == "neck"):
            over = neck[:, 1] - np.interp(neck[:, 0], under[:, 0], under[:, 1])
            assert over.max() < 0.02, (n, over.max())
            assert np.linalg.norm(jaw - neck[0], axis=1).min() < 0.05, n  # and start on it, not floating under it


def test_cheek_lines_are_soft_short_creases_on_fewer_faces_not_slashes():
    """Curators read laugh lines from the nose's wing down past the mouth as slashes across the cheek. Over these
    310 names, before: on 80% of faces, 0.21 long (median; 0.35 at most, 76% longer than 0.15), up to 0.46 of the
    hand's weight across."""
    marked = 0
    for name in SAMPLED:
        spec = SmileSpec.from_text(name)
        cheeks = [stroke for part, stroke in spec.parts() if part == "cheek"]
        marked += bool(cheeks)
        for stroke in cheeks:
            assert np.linalg.norm(stroke.points[-1] - stroke.points[0]) < 0.15, name  # 0.14 at most
            assert stroke.radii.max() < 0.36 * spec.weight and stroke.radii[[0, -1]].max() < 0.5 * stroke.radii.max(), name  # fading
    assert marked / len(SAMPLED) < 0.75, marked / len(SAMPLED)  # 0.71
