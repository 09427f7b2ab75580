"""The wall's key file: made owner-only and never over another; refused when others can read it."""

import pytest

from neoterra_glow.errors import UserError
from neoterra_glow.wall.key import make_key, read_key


def test_a_key_is_made_for_its_owner_alone_and_refused_once_others_can_read_it(tmp_path):
    path = tmp_path / "wall.key"
    make_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(read_key(path)) == 32
    with pytest.raises(UserError, match="already exists"):
        make_key(path)
    path.chmod(0o640)
    with pytest.raises(UserError, match="readable by others; make it the owner's alone: chmod 600"):
        read_key(path)
    path.chmod(0o600)
    path.write_text("not hex")
    with pytest.raises(UserError, match="not a wall key"):
        read_key(path)
