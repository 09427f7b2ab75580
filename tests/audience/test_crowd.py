"""The crowd speaks to the show when its feelings change, again now and then while visitors move,
and not at all once they are quiet, so its hold in the room's mix lapses and the desk's value stands."""

from neoterra_glow.audience.crowd import AGAIN_SECONDS, QUIET_SECONDS, Crowd


def test_the_crowd_says_changes_at_once_repeats_itself_seldom_and_falls_silent_when_visitors_are_quiet():
    crowd = Crowd()
    crowd.feel("a", {"joy": 1.0}, now=0.0)
    said = {round(t * 0.25, 2): crowd.say(t * 0.25) for t in range(12)}  # the server asks four times a second
    spoken = [t for t, room in said.items() if room is not None]
    assert spoken[0] == 0.0 and said[0.0]["joy"] > 0.19  # one visitor is a fifth of the room
    assert len(spoken) <= 3 and all(b - a >= AGAIN_SECONDS for a, b in zip(spoken, spoken[1:], strict=False))
    crowd.feel("b", {"calm": 1.0}, now=3.1)
    assert crowd.say(3.1)["calm"] > 0.19  # a change is said at once
    assert crowd.say(3.1 + QUIET_SECONDS - 0.5) is not None  # still about: said again
    assert all(crowd.say(3.1 + QUIET_SECONDS + t) is None for t in (0.5, 10.0, 60.0, 300.0))
    crowd.feel("a", {"joy": 0.2}, now=400.0)
    assert crowd.say(400.0) is not None  # a visitor moves again: the crowd speaks again
