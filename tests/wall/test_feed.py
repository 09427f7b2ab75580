"""A wall's run plays the leader's frames as they arrive; a scene named by /scene/go loads in a
process of its own at once, so its /scene/start does not stall the frame, and the frames are
those of a run that loads the scene only when it starts."""

import time

from neoterra_glow.control.message import Control
from neoterra_glow.direction.session import SessionFrame
from neoterra_glow.piece import load_piece
from neoterra_glow.render import Run
from neoterra_glow.wall.feed import Feed

CONTROLS = {1: (Control("/scene/go", ("ember-tide", 0.2)),), 6: (Control("/scene/start", ("ember-tide", 0.2)),)}


def play(ctx, preload: bool) -> tuple[list[bytes], Run]:
    piece = load_piece("default")
    feed = Feed(piece.preset.path.resolve(), 3, (128, 72), 0.0)
    run = Run(ctx, piece, (128, 72), 30, 3, feed, preload=preload)
    frames = []
    for index in range(12):
        feed.add(SessionFrame(index, index / 30, 1 / 30, CONTROLS.get(index, ())))
        if index == 6 and preload:  # the leader's /scene/start comes once the scene has loaded, a few frames on
            loading = run.director._loading["ember-tide"]
            deadline = time.monotonic() + 60
            while not loading.done() and time.monotonic() < deadline:
                time.sleep(0.05)
        _, image = run.step()
        frames.append(image.texture.read())
    return frames, run


def test_a_scene_loads_ahead_of_its_start_and_the_frames_are_the_same(ctx):
    ahead, run = play(ctx, preload=True)
    assert run.piece.preset.path.stem == "ember-tide"
    run.release()
    at_start, run = play(ctx, preload=False)
    run.release()
    assert ahead == at_start
    assert ahead[5] != ahead[11]  # the scene did change
