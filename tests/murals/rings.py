"""A face's stroke for the murals' tests: a ring at the frame's centre, as bright as the swarm's."""

import numpy as np

from tests.conftest import SMALL

W, H = SMALL


def ring(ctx, colour):
    """The light of a ring of stroke at the frame's centre in `colour` (linear light), and each
    pixel's distance from the centre in frame heights (rows bottom up, as the texture reads)."""
    y, x = np.mgrid[0:H, 0:W]
    d = np.hypot((x + 0.5 - W / 2) / H, (y + 0.5 - H / 2) / H)
    light = np.zeros((H, W, 4), np.float16)
    light[np.abs(d - 0.2) < 0.012, :3] = colour
    return ctx.texture(SMALL, 4, light.tobytes(), dtype="f2"), d[::-1]
