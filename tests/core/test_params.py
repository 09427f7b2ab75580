import logging
import math

import pytest

from neoterra_glow.core.params import Kind, Param, ParamError, Registry
from neoterra_glow.pipeline import declare_params


def make_registry():
    return Registry(
        [
            Param("swarm.speed", Kind.FLOAT, 1.0, "how fast", (0.0, 5.0), smoothing=0.5),
            Param("swarm.count", Kind.INT, 1000, "how many", (10, 10_000_000)),
            Param("swarm.glow", Kind.BOOL, True, "glowing"),
            Param("swarm.tint", Kind.COLOUR, "#ff8000", "tint"),
            Param("swarm.origin", Kind.VEC2, (0.0, 0.0), "where", (-1.0, 1.0)),
            Param("swarm.shape", Kind.ENUM, "ring", "layout", choices=("grid", "ring", "wall")),
            Param("swarm.scatter", Kind.TRIGGER, False, "scatter once"),
        ]
    )


def test_out_of_range_is_clamped_with_a_message(caplog):
    registry = make_registry()
    with caplog.at_level(logging.WARNING):
        assert registry.set("swarm.speed", 9.0, immediate=True) == 5.0
    assert "swarm.speed: 9.0 is outside 0..5; clamped" in caplog.text
    assert registry.set("swarm.origin", (-3, 0.5)) == (-1.0, 0.5)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_and_the_old_value_kept(bad):
    registry = make_registry()
    registry.set("swarm.speed", 2.0, immediate=True)
    with pytest.raises(ParamError, match="swarm.speed: .* not a usable number"):
        registry.set("swarm.speed", bad)
    assert registry.value("swarm.speed") == 2.0
    assert registry.snapshot(0.1)["swarm.speed"] == 2.0


def test_wrong_types_are_refused_with_what_was_expected():
    registry = make_registry()
    with pytest.raises(ParamError, match="expected a number"):
        registry.set("swarm.speed", "fast")
    with pytest.raises(ParamError, match="expected one of grid, ring, wall"):
        registry.set("swarm.shape", "spiral")
    with pytest.raises(ParamError, match="expected a colour"):
        registry.set("swarm.tint", "orange")
    with pytest.raises(ParamError, match="expected two numbers"):
        registry.set("swarm.origin", 0.5)


def test_unknown_path_names_the_nearest_parameter():
    with pytest.raises(ParamError, match="no parameter named swarm.sped; did you mean swarm.speed"):
        make_registry().set("swarm.sped", 1.0)


def test_values_are_converted_to_their_types():
    registry = make_registry()
    assert registry.set("swarm.count", 2500.4) == 2500
    assert registry.set("swarm.tint", "#0080ff") == pytest.approx((0.0, 128 / 255, 1.0))
    assert registry.set("swarm.shape", 2) == "wall"
    assert registry.set("swarm.glow", 0) is False


def test_smoothing_glides_with_the_declared_time_constant():
    registry = make_registry()
    registry.set("swarm.speed", 0.0, immediate=True)
    registry.set("swarm.speed", 1.0)
    assert registry.snapshot(0.0)["swarm.speed"] == 0.0
    values = [registry.snapshot(0.05)["swarm.speed"] for _ in range(10)]  # 0.5 s = one time constant
    assert values == sorted(values)
    assert values[-1] == pytest.approx(1 - math.exp(-1), abs=1e-6)


def test_unsmoothed_parameters_change_at_once():
    registry = make_registry()
    registry.set("swarm.count", 50)
    assert registry.snapshot(0.01)["swarm.count"] == 50


def test_a_trigger_fires_in_exactly_one_snapshot():
    registry = make_registry()
    registry.set("swarm.scatter", True)
    assert [registry.snapshot(0.01)["swarm.scatter"] for _ in range(3)] == [True, False, False]


def test_osc_address_is_the_path_with_slashes():
    assert make_registry()["swarm.speed"].osc_address == "/swarm/speed"


def test_a_parameter_declared_twice_is_refused():
    registry = make_registry()
    with pytest.raises(ValueError, match="declared twice"):
        registry.declare(Param("swarm.speed", Kind.FLOAT, 1.0, "again", (0.0, 2.0)))


def test_shipped_parameters_each_have_doc_range_and_default(registry):
    assert len(registry) > 15
    for param in registry:
        assert param.doc and param.describe_range()
        assert param.check(param.default) == (param.default, None)


def test_a_path_like_no_parameter_suggests_none_and_a_typo_its_parameter():
    registry = declare_params()
    assert registry.unknown("no.such.thing") == "no parameter named no.such.thing"  # not "did you mean audio.high?"
    assert registry.unknown("audio.hgh") == "no parameter named audio.hgh; did you mean audio.high?"
