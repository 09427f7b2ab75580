"""ARCHITECTURE.md says what is so: its frame graph is the one `neoterra-glow graph` prints, and
its table names every package at the layer tests/test_layers.py holds it to."""

import re

from neoterra_glow.pipeline import describe
from tests.test_layers import LAYERS, PACKAGE

NOTE = (PACKAGE.parent / "ARCHITECTURE.md").read_text()


def test_the_notes_frame_graph_is_the_one_the_graph_command_prints():
    block = re.search(r"<!-- graph: .*? -->\n```\n(.*?)```\n<!-- end graph -->", NOTE, re.S)
    assert block, "ARCHITECTURE.md has no generated graph block"
    printed = [re.sub(r" \(\d+ parameters\)|, \d+ parameters", "", line).rstrip() for line in describe()]
    assert block.group(1).splitlines() == printed, "regenerate the block from `python -m neoterra_glow graph`"


def test_the_notes_table_names_every_package_at_its_layer():
    rows = re.findall(r"^\| (\d+) \| (.+?) \|", NOTE, re.M)
    placed = {name.removesuffix("/").removesuffix(".py"): int(number) for number, names in rows
              for name in re.findall(r"`([a-z_]+(?:/|\.py))`", names)}
    parts = {path.stem for path in PACKAGE.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()}
    parts -= {"__init__", "__main__"}
    assert set(placed) == parts
    assert placed == {name: number for number, names in enumerate(LAYERS) for name in names if name in parts}
