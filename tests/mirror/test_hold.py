from neoterra_glow.mirror.hold import HeldSmile
from neoterra_glow.mirror.watch import REST, Seen

GRIN = Seen(faces=1, smiling=1, level=0.9, width=0.8, lift=0.05, asymmetry=-0.1, openness=0.7, strength=0.9)


def test_a_smile_held_a_second_is_sent_once_and_a_new_smile_after_a_rest_again():
    held = HeldSmile()
    sent = [held.hold(GRIN, t / 8) for t in range(24)]  # three seconds of one smile
    assert [t for t, controls in enumerate(sent) if controls] == [8]
    assert sent[8][0].address == "/wall/mirror" and sent[8][0].args == (0.8, 0.05, -0.1, 0.7)
    assert held.hold(REST, 3.0) == []
    assert [t for t in range(25, 40) if held.hold(GRIN, t / 8)] == [33]


def test_a_flicker_of_a_smile_is_not_drawn():
    held = HeldSmile()
    assert not any(held.hold(GRIN if t % 5 else REST, t / 8) for t in range(40))  # at rest every 5/8 s
