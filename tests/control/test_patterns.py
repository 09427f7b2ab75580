import pytest

from neoterra_glow.control.patterns import is_pattern, pattern_regex

ADDRESSES = ["/emotion/joy", "/emotion/calm", "/emotion/grief", "/murals/aurora/opacity", "/murals/cells/opacity",
             "/murals/cells/size", "/swarm/palette/core", "/swarm/count", "/murals/layer2/opacity"]


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("/emotion/*", ["/emotion/joy", "/emotion/calm", "/emotion/grief"]),
        ("/murals/*/opacity", ["/murals/aurora/opacity", "/murals/cells/opacity", "/murals/layer2/opacity"]),
        ("/emotion/{joy,grief}", ["/emotion/joy", "/emotion/grief"]),
        ("/emotion/?oy", ["/emotion/joy"]),
        ("/murals/[a-c]*/opacity", ["/murals/aurora/opacity", "/murals/cells/opacity"]),
        ("/murals/[!a-c]*/opacity", ["/murals/layer2/opacity"]),
        ("/murals/layer[0-9]/opacity", ["/murals/layer2/opacity"]),
        ("/*", []),  # a star stays within one part of the address
        ("/swarm/*/core", ["/swarm/palette/core"]),
    ],
)
def test_osc_patterns_match_within_address_parts(pattern, expected):
    regex = pattern_regex(pattern)
    assert [a for a in ADDRESSES if regex.match(a)] == expected


def test_plain_addresses_are_not_patterns_and_broken_patterns_are_refused():
    assert not is_pattern("/swarm/count") and is_pattern("/swarm/*")
    for broken in ("/murals/[abc", "/emotion/{joy", "/x/[]"):
        with pytest.raises(ValueError):
            pattern_regex(broken)
