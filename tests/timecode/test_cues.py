"""A cue list written in timecode: `at = "01:02:03:12"` fires at that time of the show's clock."""

import pytest

from neoterra_glow.direction.cues import read_cues
from neoterra_glow.errors import UserError


def test_a_cue_at_a_timecode_fires_at_its_time(tmp_path):
    (tmp_path / "cues.toml").write_text('timecode_fps = 30\n[[cue]]\nat = "00:01:02:15"\nscene = "default"\n\n'
                                        '[[cue]]\nat = 10.0\nglitch = "tear"\n')
    cues = read_cues(tmp_path / "cues.toml")
    assert [c.at for c in cues] == [10.0, 62.5]


def test_a_bad_timecode_is_one_line_naming_the_cue(tmp_path):
    (tmp_path / "cues.toml").write_text('[[cue]]\nat = "00:01:02:25"\nscene = "default"\n')
    with pytest.raises(UserError) as raised:
        read_cues(tmp_path / "cues.toml")
    assert str(raised.value) == f"{tmp_path / 'cues.toml'}: cue[0]: timecode '00:01:02:25' is out of range at 25 frames a second"
