"""A follower's own projector: its tile through its calibration (here a soft right edge, as
where it overlaps its neighbour); uncalibrated, the tile is shown untouched."""

import json

import numpy as np

from neoterra_glow.wall.follower import Projector


def shown(ctx, calibration):
    projector = Projector(ctx, (64, 32), calibration)
    grey = np.full((32, 64, 4), 200, np.uint8).tobytes()
    out = projector.project(grey)
    pixels = np.frombuffer(out.fbo.read(components=3), np.uint8).reshape(32, 64, 3).astype(int)
    projector.release()
    return pixels


def test_a_followers_tile_goes_through_its_own_soft_edge(ctx, tmp_path):
    assert (shown(ctx, None) == 200).all()
    calibration = tmp_path / "calibration.json"
    calibration.write_text(json.dumps({"output.blend.right": 0.25}))
    edged = shown(ctx, calibration)
    assert (edged[:, :40] == 200).all()  # outside the blend: as rendered
    fading = edged[:, 48:].mean(axis=(0, 2))
    assert (np.diff(fading) <= 0).all() and fading[-1] < 0.3 * 200  # fading out toward the overlap
