from pathlib import Path

import pytest

from neoterra_glow.core.presets import PresetError, read_preset
from neoterra_glow.piece import load_piece
from neoterra_glow.resources import data_dir

SHIPPED = sorted(data_dir("presets").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_preset_loads_whole(path):
    piece = load_piece(path)
    assert piece.preset.title and piece.preset.values
    assert len(piece.glyphs) == len(piece.preset.glyphs)
    assert piece.layers and all(spec.prefix + ".opacity" in piece.registry for spec in piece.layers)


def test_a_preset_is_found_by_name(registry):
    assert read_preset("default").check(registry).path.name == "default.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "show.toml"
    path.write_text(text)
    return path


def test_a_typo_names_the_file_the_key_and_the_nearest_path(tmp_path, registry):
    path = write(tmp_path, 'title = "x"\n[post.blom]\nintensity = 1.0\n')
    with pytest.raises(PresetError) as error:
        read_preset(path).check(registry)
    assert str(error.value) == (
        f"{path}: key 'post.blom.intensity': no parameter named post.blom.intensity; "
        "did you mean post.bloom.intensity?"
    )


def test_a_bad_value_names_what_was_expected(tmp_path, registry):
    path = write(tmp_path, '[post.tonemap]\noperator = "sepia"\n')
    with pytest.raises(PresetError, match=r"key 'post.tonemap.operator': .*expected one of aces, reinhard, hable"):
        read_preset(path).check(registry)


def test_an_out_of_range_value_fails_instead_of_being_clamped(tmp_path, registry):
    path = write(tmp_path, "[murals.field]\nbrightness = 99\n")
    with pytest.raises(PresetError, match=r"key 'murals.field.brightness': 99 is outside 0..8"):
        read_preset(path).check(registry)


def test_broken_toml_names_the_line(tmp_path, registry):
    path = write(tmp_path, "title = \nseed = 3\n")
    with pytest.raises(PresetError, match=rf"{path}: not valid TOML: .*line 1"):
        read_preset(path).check(registry)


def test_a_header_of_the_wrong_type_is_refused(tmp_path, registry):
    with pytest.raises(PresetError, match="key 'seed' must be a whole number from 0 to 2147483647, got 'seven'"):
        read_preset(write(tmp_path, 'seed = "seven"\n')).check(registry)


def test_a_missing_preset_lists_the_shipped_ones(registry):
    with pytest.raises(PresetError, match="no such preset file; the shipped presets are: .*default"):
        read_preset("no-such-show").check(registry)


def test_applying_a_preset_sets_values_without_smoothing(tmp_path, registry):
    read_preset(write(tmp_path, "[murals.field]\nbrightness = 3.0\n")).check(registry).apply(registry)
    assert registry.snapshot(0.01)["murals.field.brightness"] == 3.0


def test_a_shipped_preset_is_found_from_any_folder(registry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert read_preset("presets/default.toml").check(registry).path == data_dir("presets") / "default.toml"
    with pytest.raises(PresetError, match="elsewhere/default.toml: no such preset file"):
        read_preset("elsewhere/default.toml").check(registry)
