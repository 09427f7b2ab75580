import math

import pytest

from neoterra_glow.control.emotions import EMOTIONS, DriveError, EmotionBus, from_valence_arousal, parse_drive
from neoterra_glow.core.presets import PresetError
from neoterra_glow.piece import load_piece
from neoterra_glow.pipeline import declare_params

DT = 1 / 60


def felt_after(bus, registry, seconds):
    for _ in range(round(seconds / DT)):
        values = bus.feel(registry.snapshot(DT), DT)
    return values


def test_emotions_rise_with_their_attack_and_fall_with_their_release(registry):
    bus = EmotionBus()
    registry.set("emotion.attack", 0.5)
    registry.set("emotion.release", 2.0)
    registry.set("emotion.joy", 1.0)
    assert felt_after(bus, registry, 0.5)["emotion.joy"] == pytest.approx(1 - math.exp(-1), abs=0.01)
    felt_after(bus, registry, 5.0)
    registry.set("emotion.joy", 0.0)
    assert felt_after(bus, registry, 2.0)["emotion.joy"] == pytest.approx(math.exp(-1), abs=0.01)
    assert registry.value("emotion.joy") == 0.0  # the registry keeps what it was told; the bus what is felt


@pytest.mark.parametrize(
    "curve, at, expected",
    [("linear", 0.25, 0.25), ("eased", 0.25, 0.15625), ("threshold", 0.4, 0.0), ("threshold", 0.6, 1.0), ("threshold", 0.5, 0.5)],
)
def test_a_drive_moves_its_parameter_along_its_curve(registry, curve, at, expected):
    drive = parse_drive({"emotion": "hope", "param": "swarm.brightness", "to": 3.0, "curve": curve}, registry)
    bus = EmotionBus((drive,))
    registry.set("emotion.attack", 0.0)
    registry.set("emotion.hope", at)
    base = registry.value("swarm.brightness")
    driven = bus.feel(registry.snapshot(DT), DT)["swarm.brightness"]
    assert driven == pytest.approx(base + (3.0 - base) * expected, abs=1e-6)
    assert registry.value("swarm.brightness") == base  # the base stays for the VJ to move


def test_colours_are_driven_too(registry):
    drive = parse_drive({"emotion": "grief", "param": "swarm.palette.core", "to": "#000000", "amount": 0.5}, registry)
    registry.set("emotion.attack", 0.0)
    registry.set("emotion.grief", 1.0)
    registry.set("swarm.palette.core", "#ffffff", immediate=True)
    assert EmotionBus((drive,)).feel(registry.snapshot(DT), DT)["swarm.palette.core"] == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.parametrize(
    "table, message",
    [
        ({"emotion": "rage", "param": "swarm.brightness", "to": 1}, "emotion 'rage' is not one of joy, calm"),
        ({"emotion": "joy", "param": "swarm.brightnes", "to": 1}, "did you mean swarm.brightness"),
        ({"emotion": "joy", "param": "swarm.brightness", "to": 99}, "'to': 99 is outside 0..20"),
        ({"emotion": "joy", "param": "swarm.count", "to": 10}, "drives move float numbers"),
        ({"emotion": "joy", "param": "swarm.brightness"}, "a drive needs 'to'"),
        ({"emotion": "joy", "param": "swarm.brightness", "to": 1, "curve": "wobbly"}, "curve 'wobbly'"),
        ({"emotion": "joy", "param": "swarm.brightness", "to": 1, "speed": 2}, "unknown key 'speed'"),
    ],
)
def test_a_bad_drive_is_refused_with_what_was_wrong(registry, table, message):
    with pytest.raises(DriveError, match=message):
        parse_drive(table, registry)


def test_a_preset_names_the_drive_that_is_wrong(tmp_path):
    preset = tmp_path / "show.toml"
    preset.write_text('[[drive]]\nemotion = "joy"\nparam = "swarm.brightness"\nto = 1.5\n'
                      '[[drive]]\nemotion = "joy"\nparam = "nope"\nto = 1\n')
    with pytest.raises(PresetError, match=r"show.toml: drive\[1\]: no parameter named nope"):
        load_piece(preset)


def test_valence_and_arousal_set_all_six_channels_sensibly():
    elated, still_sad = from_valence_arousal(1.0, 1.0), from_valence_arousal(-1.0, 0.0)
    assert set(elated) == set(EMOTIONS)
    assert elated["joy"] == 1.0 and elated["energy"] == 1.0 and elated["grief"] == 0.0
    assert still_sad["grief"] == 1.0 and still_sad["vulnerability"] > 0.8 and still_sad["joy"] == 0.0
    assert all(0.0 <= v <= 1.0 for point in ((0.3, 0.5), (-2, 7)) for v in from_valence_arousal(*point).values())


def test_every_emotion_is_a_parameter_at_its_osc_address():
    registry = declare_params()
    for name in EMOTIONS:
        assert registry[f"emotion.{name}"].osc_address == f"/emotion/{name}"
