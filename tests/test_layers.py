"""The architecture, read from the imports (absolute and relative): each part imports only parts
below it, only the command line imports the live show, and no module imports itself round a cycle.
(Imports for type checking only are left out of the cycle check: they do not run.)"""

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
    ("direction",),  # desk, director, scenes and cues, sessions: what every way of running needs
    ("render",),  # the run every way of running steps
    ("farm", "wall", "live"),  # live: the window loop, the operator, the service, reload watching
    ("cli",),
    ("__main__",),
)


def imported(node: ast.AST, module: str, package: bool) -> list[str]:
    """The neoterra_glow modules an import statement in `module` names: `import neoterra_glow.x`,
    `from neoterra_glow.x import y`, and relative ones (`from .x import y`, `from .. import x`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("neoterra_glow.")]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:  # relative: from the module's package (itself, for a package's __init__), up level - 1
        base = module.split(".")[: len(module.split(".")) - node.level + package]
        if node.module:
            return [".".join([*base, node.module])]
        return [".".join([*base, alias.name]) for alias in node.names]
    return [node.module] if (node.module or "").startswith("neoterra_glow.") else []


def imports() -> dict[str, list[tuple[str, bool]]]:
    """module -> [(imported neoterra_glow module, only for type checking)]."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text())
        typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                       for node in ast.walk(block)}
        if "." in module:
            found[module] = [(target, id(node) in typing_only) for node in ast.walk(tree)
                             for target in imported(node, module, path.name == "__init__.py") if "." in target]
    return found


def part(module: str) -> str:
    return module.split(".")[1]


def layer(name: str) -> int:
    return next(number for number, parts in enumerate(LAYERS) if name in parts)


def test_every_part_imports_only_from_below():
    upward = [f"{module} imports {target}" for module, targets in imports().items() for target, _ in targets
              if part(module) != part(target) and layer(part(target)) >= layer(part(module))]
    assert upward == []


def test_only_the_command_line_imports_the_live_show():
    reaching = sorted({module for module, targets in imports().items() for target, _ in targets
                       if part(target) == "live" and part(module) not in ("live", "cli", "__main__")})
    assert reaching == []


def test_relative_imports_are_read_as_the_modules_they_name():
    tree = ast.parse("from . import desk\nfrom ..render import Run\nfrom .session import read_session\nimport neoterra_glow.core.clock")
    names = [target for node in tree.body for target in imported(node, "neoterra_glow.direction.scenes", False)]
    assert names == ["neoterra_glow.direction.desk", "neoterra_glow.render", "neoterra_glow.direction.session", "neoterra_glow.core.clock"]


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
