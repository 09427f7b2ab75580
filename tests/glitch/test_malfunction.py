import pytest

from neoterra_glow.control.beat import BeatClock
from neoterra_glow.core.frame import Faults
from neoterra_glow.core.presets import PresetError
from neoterra_glow.glitch.faults import KINDS, Fault, particle_uniforms
from neoterra_glow.glitch.malfunction import Malfunction, parse_timeline
from neoterra_glow.piece import load_piece

DT = 1 / 30


def run(malfunction, registry, seconds, start=0.0):
    """Levels per frame over `seconds`, on a fixed 30 fps clock."""
    out = []
    for n in range(round(seconds / DT)):
        time = start + n * DT
        snapshot = registry.snapshot(DT)  # with the beat clock's values, as a frame has them
        faults = malfunction.step(time, DT, {**snapshot, **BeatClock().values(time, snapshot["glitch.bpm"])})
        out.append(faults)
    return out


def test_envelopes_shape_a_fault_in_time():
    spike, swell = Fault("split", 1.0, 1.0, 2.0, "spike"), Fault("split", 1.0, 1.0, 2.0, "swell")
    hold, strobe = Fault("tear", 0.5, 1.0, 2.0, "hold"), Fault("tear", 1.0, 0.0, 1.0, "strobe")
    assert spike.level(0.99) == 0.0 and spike.level(3.0) == 0.0
    assert spike.level(1.05) > 0.8 > spike.level(2.0) > spike.level(2.9)
    assert swell.level(2.0) == pytest.approx(1.0) and swell.level(1.1) < 0.1
    assert hold.level(1.5) == hold.level(2.5) == 0.5
    assert [strobe.level(t) for t in (0.01, 0.2, 0.35, 0.55)] == [1.0, 0.0, 1.0, 0.0]  # three times a second


def test_a_timeline_fires_at_its_times_and_the_master_scales_it(registry):
    timeline = parse_timeline(({"at": 1.0, "kind": "blocks", "intensity": 0.8, "duration": 1.0, "envelope": "hold"},))
    levels = [f["blocks"] for f in run(Malfunction(timeline), registry, 3.0)]
    assert max(levels[:29]) == 0.0 and levels[45] == pytest.approx(0.8) and max(levels[62:]) == 0.0
    registry.set("glitch.amount", 0.5, immediate=True)
    assert run(Malfunction(timeline), registry, 1.6)[45]["blocks"] == pytest.approx(0.4)


def test_a_timeline_fault_with_every_comes_back_at_that_period_for_the_whole_show(registry):
    timeline = parse_timeline(({"at": 1.0, "kind": "stall", "intensity": 0.5, "duration": 1.0, "envelope": "hold", "every": 4.0},))
    levels = [f["stall"] for f in run(Malfunction(timeline), registry, 30.0)]
    starts = [round(n * DT, 1) for n in range(1, len(levels)) if levels[n] > 0.0 and levels[n - 1] == 0.0]
    assert starts == [1.0, 5.0, 9.0, 13.0, 17.0, 21.0, 25.0, 29.0]  # once, at 1 s, on the old code
    assert max(levels[:30]) == 0.0 and levels[21 * 30 + 15] == levels[45] == pytest.approx(0.5) and levels[30 * 3] == 0.0


def test_held_levels_and_events_add_up(registry):
    registry.set("glitch.split", 0.3, immediate=True)
    malfunction = Malfunction()
    malfunction.trigger("split", 0.5, 1.0, "hold")
    assert run(malfunction, registry, 0.5)[10]["split"] == pytest.approx(0.8)


def test_random_faults_repeat_for_a_seed_and_differ_for_another(registry):
    registry.set("glitch.rate", 60.0, immediate=True)

    def levels(seed):
        return [tuple(sorted(f.levels.items())) for f in run(Malfunction(seed=seed), registry, 20.0)]

    first = levels(7)
    assert first == levels(7)
    assert first != levels(8)
    assert sum(any(v > 0 for _, v in frame) for frame in first) > 30  # faults did fire


def test_live_faults_wait_for_the_beat(registry):
    registry.set("glitch.bpm", 120.0)
    registry.set("glitch.quantise", "beat")
    malfunction = Malfunction()
    run(malfunction, registry, 1.1)
    malfunction.trigger("static", 1.0, 0.3, "hold")
    levels = [f["static"] for f in run(malfunction, registry, 1.0, start=1.1)]
    assert malfunction.timeline == () and max(levels[:12]) == 0.0  # silent until the beat
    assert max(levels[12:22]) == 1.0  # the next beat after 1.1 s at 120 bpm is 1.5 s: frame 12 of these


def test_a_screen_fault_is_cut_short_and_a_particle_fault_is_not():
    long_blocks, long_stall = Fault("blocks", 1.0, 0.0, 10.0, "hold"), Fault("stall", 1.0, 0.0, 10.0, "hold")
    assert long_blocks.level(1.4) == 1.0 and 0.0 < long_blocks.level(1.8) < 1.0
    assert long_blocks.level(2.0) == long_blocks.level(9.0) == 0.0
    assert long_stall.level(9.0) == 1.0


def test_a_cascade_front_runs_through_the_bots(registry):
    timeline = parse_timeline(({"at": 0.0, "kind": "cascade", "duration": 2.0, "envelope": "hold"},))
    fronts = [f.front for f in run(Malfunction(timeline), registry, 1.9)]
    assert fronts[0] < 0.05 and fronts[-1] > 0.9 and fronts == sorted(fronts)


@pytest.mark.parametrize(
    "table, message",
    [
        ({"at": 1, "kind": "melt"}, "fault kind 'melt' is not one of stall"),
        ({"kind": "split"}, "needs 'at'"),
        ({"at": 1, "kind": "split", "intensity": 3}, "intensity must be in 0..1"),
        ({"at": 1, "kind": "split", "envelope": "wobble"}, "envelope 'wobble'"),
        ({"at": 1, "kind": "split", "when": 2}, "unknown key 'when'"),
        ({"at": 1, "kind": "stall", "duration": 2, "every": 1}, "every must be 0 .once. or from its duration .2 s."),
    ],
)
def test_a_bad_timeline_entry_names_what_is_wrong(tmp_path, table, message):
    entry = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in table.items())
    (tmp_path / "show.toml").write_text(f"[[fault]]\n{entry}\n")
    with pytest.raises(PresetError, match=rf"show.toml: fault\[0\]: .*{message}"):
        load_piece(tmp_path / "show.toml")


def test_every_kind_has_a_steady_level_parameter_at_its_osc_address(registry):
    for kind in KINDS:
        assert registry[f"glitch.{kind}"].osc_address == f"/glitch/{kind}"


def test_faults_that_take_bots_away_take_at_most_part_of_a_face_alone_and_less_together():
    assert particle_uniforms(Faults({"stall": 0.9}))["u_fault_stall"] == 0.5  # its bots freeze where they are
    assert particle_uniforms(Faults({"swap": 0.9}))["u_fault_swap"] == 0.35  # 0.65 of the face stays, whatever the level
    assert particle_uniforms(Faults({"scatter": 0.9}))["u_fault_scatter"] == pytest.approx(0.175)  # which throws twice its level
    chaos = particle_uniforms(Faults({"stall": 0.6, "swap": 0.7, "scatter": 0.5, "cascade": 1.0, "colour": 0.9}))
    taken = chaos["u_fault_stall"] + chaos["u_fault_swap"] + 2.0 * chaos["u_fault_scatter"] + 0.2 * chaos["u_fault_cascade"]
    assert taken == pytest.approx(0.3)  # most of the face is left, so it stays legible: a scatter counts too (it did not)
    assert chaos["u_fault_stall"] / chaos["u_fault_swap"] == pytest.approx(0.5 / 0.35)  # scaled alike
    assert chaos["u_fault_colour"] == 0.25  # and a colour fault tints a quarter of the face at most: it keeps its own hue
