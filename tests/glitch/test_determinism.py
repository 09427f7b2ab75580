import hashlib

from neoterra_glow.piece import load_piece
from neoterra_glow.render import render_frames
from tests.conftest import SMALL

PRESET = """
seed = 12
glyphs = ["Elara", "Kai"]
[swarm]
count = 20000
[glitch]
rate = 120.0
strength = 1.0
[[fault]]
at = 0.1
kind = "blocks"
duration = 0.5
[[fault]]
at = 0.2
kind = "cascade"
duration = 0.4
"""


def digests(ctx, path, seed, frames=18):
    piece = load_piece(path)
    return [hashlib.sha256(rgba.tobytes()).hexdigest() for _, rgba in render_frames(ctx, piece, SMALL, 30, frames, seed)]


def test_a_seeded_render_glitches_identically_every_time(ctx, tmp_path):
    path = tmp_path / "glitchy.toml"
    path.write_text(PRESET)
    first = digests(ctx, path, 12)
    assert first == digests(ctx, path, 12)
    assert first != digests(ctx, path, 13)
    calm = tmp_path / "calm.toml"
    calm.write_text(PRESET.split("[glitch]")[0])
    assert digests(ctx, calm, 12)[:3] == first[:3]  # before the first fault, the same frames
    assert digests(ctx, calm, 12)[6:] != first[6:]
