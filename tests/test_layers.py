"""The architecture, read from the imports: each part imports only parts below it, and no
module imports itself round a cycle. (Imports for type checking only are left out of the
cycle check: they do not run.)"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "neoterra_glow"
LAYERS = (  # bottom first; a part imports from its own layer's part or from a lower layer
    ("errors", "resources"),
    ("core",),
    ("gpu",),
    ("glyphs", "control", "audio"),
    ("glitch", "audience", "mirror", "timecode", "devices"),
    ("swarm", "murals", "post", "output"),
    ("pipeline", "lights"),
    ("piece",),
    ("live",),
    ("render",),
    ("farm", "wall"),
    ("cli",),
    ("__main__",),
)


def imports() -> dict[str, list[tuple[str, bool]]]:
    """module -> [(imported neoterra_glow module, only for type checking)]."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text())
        typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                       for node in ast.walk(block)}
        if "." in module:
            found[module] = [(node.module, id(node) in typing_only) for node in ast.walk(tree)
                              if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("neoterra_glow.")]
    return found


def part(module: str) -> str:
    return module.split(".")[1]


def layer(name: str) -> int:
    return next(number for number, parts in enumerate(LAYERS) if name in parts)


def test_every_part_imports_only_from_below():
    upward = [f"{module} imports {target}" for module, targets in imports().items() for target, _ in targets
              if part(module) != part(target) and layer(part(target)) >= layer(part(module))]
    assert upward == []


def test_control_never_imports_the_pipeline_or_the_live_show():
    reached = {part(target) for module, targets in imports().items() if part(module) == "control" for target, _ in targets}
    assert reached <= {"control", "core", "errors", "resources"}


def test_the_import_graph_has_no_cycles():
    graph = {module: {target for target, typing_only in targets if not typing_only} for module, targets in imports().items()}
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        path.append(module)
        for target in graph.get(module, ()):
            visit(target)
        path.pop()
        done.add(module)

    for module in graph:
        visit(module)
