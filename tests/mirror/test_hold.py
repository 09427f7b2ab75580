from neoterra_glow.mirror.hold import HeldSmile
from neoterra_glow.mirror.watch import REST, Seen

GRIN = Seen(faces=1, smiling=1, level=0.9, width=0.8, lift=0.05, asymmetry=-0.1, openness=0.7, strength=0.9)


def test_a_smile_held_a_second_is_sent_once_and_a_new_smile_after_a_rest_again():
    held = HeldSmile()
    sent = [held.hold(GRIN, t / 8) for t in range(24)]  # three seconds of one smile
    assert [t for t, controls in enumerate(sent) if controls] == [8]
    assert sent[8][0].address == "/wall/mirror" and sent[8][0].args == (0.8, 0.05, -0.1, 0.7)
    assert held.hold(REST, 3.0) == []
    wider = Seen(faces=1, smiling=1, level=0.9, width=1.0, lift=0.08, asymmetry=-0.1, openness=0.9, strength=0.9)
    assert [t for t in range(25, 40) if held.hold(wider, t / 8)] == [33]


def test_a_flicker_of_a_smile_is_not_drawn():
    held = HeldSmile()
    assert not any(held.hold(GRIN if t % 5 else REST, t / 8) for t in range(40))  # at rest every 5/8 s


def test_the_same_smile_back_within_minutes_is_not_drawn_again_and_another_is():
    held = HeldSmile()
    first = [t for t in range(24) if held.hold(GRIN, t / 8)]
    again = Seen(faces=1, smiling=1, level=0.9, width=0.82, lift=0.06, asymmetry=-0.12, openness=0.68, strength=0.9)  # it wavers
    held.hold(REST, 3.0)
    assert not any(held.hold(again, 4.0 + t / 8) for t in range(24))  # the same visitor back: one glyph is enough
    held.hold(REST, 8.0)
    other = Seen(faces=1, smiling=1, level=0.9, width=0.8, lift=0.05, asymmetry=0.1, openness=0.7, strength=0.9)  # lopsided the other way
    assert [t for t in range(24) if held.hold(other, 9.0 + t / 8)] == [8]
    held.hold(REST, 20.0)
    later = [t for t in range(24) if held.hold(GRIN, 400.0 + t / 8)]  # minutes on, the wall has forgotten it
    assert first == later == [8]
