"""The Interactive Shader Format (ISF v2): a fragment shader whose JSON header declares its inputs.

The header becomes plain data (inputs, passes, imported images); the GLSL body is
wrapped in a prelude that gives it ISF's built-ins on OpenGL 4.3 core. Spec:
https://github.com/mrRay/ISF_Spec. What is not supported is refused with a
message naming the file and the key, never a crash.

neoterra-glow's own murals are ISF files too, with two extensions other hosts
ignore: `#include "common/noise.glsl"`, and "NEOTERRA_LIGHT": "linear" for a
shader that writes linear HDR light instead of sRGB colour.

No loop in an ISF shader runs for ever: every for and while condition also counts the
pixel's loop steps, and past LOOP_CAP all its loops end (`guard_loops`), so an endless
loop costs a bounded time instead of hanging the show or making the driver reset the GPU.
A for loop whose int counts from a number to a number, a body that never changes it, is left as it is
(the compiler unrolls it; a guarded aurora took a third longer on llvmpipe).
"""

from __future__ import annotations

import ast
import json
import math
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neoterra_glow.core.tables import parse_json
from neoterra_glow.errors import UserError

_HEADER = re.compile(r"^\s*/\*(.*?)\*/", re.DOTALL)
INPUT_TYPES = ("float", "bool", "long", "color", "point2D", "image", "event", "audio", "audioFFT")
TEXTURE_TYPES = ("image", "audio", "audioFFT")  # inputs that are images: of the stack, or of the sound
LOOP_CAP = 4096  # loop steps one pixel may take, all its loops together: a raymarcher takes a few hundred
LOOP_MARK = -float(LOOP_CAP)  # what a probed pixel that reached the cap writes
_LOOP = re.compile(r"\b(for|while)\s*\(")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_NUMBER = r"([-+]?\d{1,7})"  # whole numbers well inside an int: no float that stops moving, no wrap-around
_COUNTED = re.compile(rf"^\s*int\s+(\w+)\s*=\s*{_NUMBER}\s*;\s*\1\s*([<>]=?)\s*{_NUMBER}\s*;"
                      rf"\s*(\+\+\s*\1|--\s*\1|\1\s*\+\+|\1\s*--|\1\s*[-+]=\s*{_NUMBER})\s*$")
_GLSL_TYPES = {"float": "float", "bool": "bool", "event": "bool", "long": "int", "color": "vec4", "point2D": "vec2",
               **dict.fromkeys(TEXTURE_TYPES, "sampler2D")}


class IsfError(UserError):
    """An ISF file that cannot be used; the message names the file and what was wrong."""


@dataclass(frozen=True)
class IsfInput:
    """One input an ISF header declares: the registry makes a parameter of it."""

    name: str
    type: str
    default: Any = None
    min: Any = None
    max: Any = None
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class IsfPass:
    """One render pass an ISF header declares: its target, size and persistence."""

    target: str | None = None
    persistent: bool = False
    float: bool = False
    width: str | None = None  # expressions such as "$WIDTH / 2.0"
    height: str | None = None


@dataclass(frozen=True)
class IsfHeader:
    """An ISF file's header as plain data, read once and checked, before any GPU object is made."""

    path: Path
    description: str
    inputs: tuple[IsfInput, ...]
    passes: tuple[IsfPass, ...]
    imported: dict[str, Path]
    linear_light: bool
    header_lines: int  # lines the JSON comment takes, blanked in the GLSL

    def sizes(self, size: tuple[int, int], values: dict[str, float]) -> list[tuple[int, int]]:
        """Each pass's target size for a render size, evaluating its WIDTH/HEIGHT expressions."""
        names = {"WIDTH": size[0], "HEIGHT": size[1], **values}
        out = []
        for number, spec in enumerate(self.passes):
            dims = []
            for key, expression, full in (("WIDTH", spec.width, size[0]), ("HEIGHT", spec.height, size[1])):
                if expression is None:
                    dims.append(full)
                    continue
                try:
                    value = evaluate(str(expression), names)
                    if not math.isfinite(value):
                        raise ValueError("it is not a finite number")
                except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
                    raise IsfError(f"{self.path}: PASSES[{number}].{key} {expression!r}: {error}") from None
                dims.append(max(1, min(int(value), 16384)))
            out.append((dims[0], dims[1]))
        return out


def read_header(path: Path) -> IsfHeader:
    """Parse an ISF file's JSON header; raises IsfError naming what is wrong or unsupported."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IsfError(f"{path}: cannot read: {error}") from None
    match = _HEADER.match(text)
    if not match:
        raise IsfError(f"{path}: no ISF header: the file must start with a /*{{ JSON }}*/ comment")
    try:
        data = parse_json(match.group(1))
    except json.JSONDecodeError as error:
        line = text[: match.start(1)].count("\n") + error.lineno
        raise IsfError(f"{path}:{line}: the ISF header is not valid JSON: {error.msg}") from None
    except ValueError as error:
        raise IsfError(f"{path}: the ISF header is {error}") from None
    if not isinstance(data, dict):
        raise IsfError(f"{path}: the ISF header must be a JSON object")
    if "PERSISTENT_BUFFERS" in data:
        raise IsfError(f"{path}: PERSISTENT_BUFFERS is ISF v1; use PASSES with PERSISTENT (ISF v2)")
    for key, kinds in (("INPUTS", list), ("PASSES", list), ("IMPORTED", (dict, list))):
        if key in data and not isinstance(data[key], kinds):
            raise IsfError(f"{path}: {key} must be a {'list' if kinds is list else 'JSON object'}, got {data[key]!r}")
    inputs = tuple(_input(path, n, spec) for n, spec in enumerate(data.get("INPUTS", [])))
    names = [i.name for i in inputs]
    if len(set(names)) != len(names):
        raise IsfError(f"{path}: INPUTS: two inputs share a name")
    passes = tuple(_pass(path, n, spec) for n, spec in enumerate(data.get("PASSES", [{}]) or [{}]))
    imported = data.get("IMPORTED", {})
    if isinstance(imported, list):  # ISF v1 form
        imported = {item.get("NAME"): item for item in imported}
    images = {}
    for name, spec in imported.items():
        if not isinstance(spec, dict) or "PATH" not in spec:
            raise IsfError(f"{path}: IMPORTED {name!r}: needs a PATH")
        image = path.parent / spec["PATH"]
        if not image.is_file():
            raise IsfError(f"{path}: IMPORTED {name!r}: no such image {image}")
        images[str(name)] = image
    return IsfHeader(
        path=path,
        description=str(data.get("DESCRIPTION", "")),
        inputs=inputs,
        passes=passes,
        imported=images,
        linear_light=data.get("NEOTERRA_LIGHT") == "linear",
        header_lines=text[: match.end()].count("\n") + 1,
    )


def _input(path: Path, number: int, spec: Any) -> IsfInput:
    where = f"{path}: INPUTS[{number}]"
    if not isinstance(spec, dict) or not isinstance(spec.get("NAME"), str) or not isinstance(spec.get("TYPE"), str):
        raise IsfError(f"{where}: each input needs a NAME and a TYPE")
    name, kind = spec["NAME"], spec["TYPE"]
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise IsfError(f"{where}: {name!r} is not a GLSL name")
    if kind not in INPUT_TYPES:
        raise IsfError(f"{where} {name!r}: unknown type {kind!r}; ISF types are {', '.join(INPUT_TYPES)}")
    values, labels = tuple(spec.get("VALUES", ())), tuple(str(label) for label in spec.get("LABELS", ()))
    if kind == "long" and values and len(values) != len(labels or values):
        raise IsfError(f"{where} {name!r}: VALUES and LABELS differ in length")
    return IsfInput(
        name=name, type=kind, default=spec.get("DEFAULT"), min=spec.get("MIN"), max=spec.get("MAX"),
        values=values, labels=labels or tuple(str(v) for v in values), label=str(spec.get("LABEL", "")),
    )


def _pass(path: Path, number: int, spec: Any) -> IsfPass:
    if not isinstance(spec, dict):
        raise IsfError(f"{path}: PASSES[{number}] must be an object")
    return IsfPass(
        target=spec.get("TARGET"),
        persistent=bool(spec.get("PERSISTENT", False)),
        float=bool(spec.get("FLOAT", False)),
        width=spec.get("WIDTH"),
        height=spec.get("HEIGHT"),
    )


def prelude(header: IsfHeader, stage: str = "fragment") -> list[str]:
    """GLSL 4.30 lines that give an ISF body its built-ins, inputs and pass targets: for the
    fragment shader (the .fs), or for the vertex shader some ISF files bring beside it (.vs)."""
    lines = [
        "#version 430",
        "uniform float TIME;",
        "uniform float TIMEDELTA;",
        "uniform int FRAMEINDEX;",
        "uniform int PASSINDEX;",
        "uniform vec2 RENDERSIZE;",
        "uniform vec4 DATE;",
        "uniform int NEOTERRA_SEED;  // the show's seed, for neoterra-glow's own murals",
        "uniform vec3 NEOTERRA_CAMERA;  // the virtual camera at the murals' depth: x, y, zoom (shaders/murals/camera.glsl)",
    ]
    if stage == "vertex":
        lines += [
            "out vec2 v_uv;",
            "#define varying out",
            "void isf_vertShaderInit() {  // the fullscreen triangle, as common/fullscreen.vert draws it",
            "    vec2 corner = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);",
            "    v_uv = corner;",
            "    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);",
            "}",
        ]
    else:
        lines += ["in vec2 v_uv;", "out vec4 isf_FragColor;", "#define gl_FragColor isf_FragColor", "#define varying in", *_LOOP_GUARD]
    lines += [
        "#define isf_FragNormCoord v_uv",
        "#define vv_FragNormCoord v_uv",
        "#define texture2D texture",
        "#define IMG_SIZE(image) vec2(textureSize(image, 0))",
        "#define IMG_NORM_PIXEL(image, coord) texture(image, coord)",
        "#define IMG_PIXEL(image, coord) texture(image, (coord) / IMG_SIZE(image))",
        "#define IMG_THIS_NORM_PIXEL(image) texture(image, isf_FragNormCoord)",
        "#define IMG_THIS_PIXEL(image) texture(image, isf_FragNormCoord)",
    ]
    lines += [f"uniform {_GLSL_TYPES[i.type]} {i.name};" for i in header.inputs]
    samplers = [i.name for i in header.inputs if i.type in TEXTURE_TYPES]
    samplers += [p.target for p in header.passes if p.target] + list(header.imported)
    lines += [f"uniform sampler2D {name};" for name in samplers if name not in {i.name for i in header.inputs}]
    for name in samplers:  # the per-image built-ins older ISF files use
        lines += [f"#define _{name}_imgSize vec2(textureSize({name}, 0))",
                  f"#define _{name}_imgRect vec4(0.0, 0.0, vec2(textureSize({name}, 0)))",
                  f"#define _{name}_flip false"]
    return lines


_LOOP_GUARD = [  # the counter guard_loops puts in every loop's condition, and the body's main run inside ours
    f"#define ISF_LOOP_CAP {LOOP_CAP}",
    f"#define ISF_LOOP_MARK {LOOP_MARK}",
    "int isf_loops = 0;  // the loop steps this pixel has taken",
    "bool isf_loop() { return ++isf_loops <= ISF_LOOP_CAP; }",
    "uniform bool NEOTERRA_LOOP_PROBE;  // set only by the probe that refuses a shader whose loops reach the cap",
    "void isf_main();",
    "void",
    "main() {",
    "    isf_main();",
    "    if (NEOTERRA_LOOP_PROBE && isf_loops > ISF_LOOP_CAP) isf_FragColor = vec4(ISF_LOOP_MARK);",
    "}",
    "#define main isf_main",
]


def guard_loops(text: str) -> str:
    """GLSL with `isf_loop() && (...)` around every for and while condition (an empty one becomes
    `isf_loop()`); no line is added, so compile errors keep their lines."""
    masked = _COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment.group()), text)
    inserts: list[tuple[int, str]] = []
    passed_out = re.search(r"\b(?:out|inout)\s+\w+\s+\w+\s*(?:\[[^]]*\])?\s*[,)]", masked)  # a function may change an argument
    assigning = [name for name, text in re.findall(r"^\s*#\s*define\s+(\w+)(.*)$", masked, re.MULTILINE) if re.search(r"=|\+\+|--", text)]
    for match in _LOOP.finditer(masked):
        opening = match.end() - 1
        closing = _closing(masked, opening)
        if closing is None:
            continue  # unbalanced: the compiler says where
        if match.group(1) == "while":
            inserts += [(opening + 1, "isf_loop() && ("), (closing, ")")]
            continue
        semicolons = [i for i in range(opening + 1, closing) if masked[i] == ";"]
        if len(semicolons) != 2 or _counted(masked[opening + 1:closing], _body(masked, closing + 1), bool(passed_out), assigning):
            continue
        first, second = semicolons
        if masked[first + 1:second].strip():
            inserts += [(first + 1, " isf_loop() && ("), (second, ")")]
        else:
            inserts.append((first + 1, " isf_loop()"))
    for position, insert in sorted(inserts, reverse=True):
        text = text[:position] + insert + text[position:]
    return text


def _counted(header: str, body: str | None, passed_out: bool, assigning: list[str]) -> bool:
    """Whether a for loop's int counts from a number to a number, at most LOOP_CAP steps, and its body never changes it
    (nor, when the shader has out or inout parameters, passes it to a function, nor uses a macro that assigns)."""
    match = _COUNTED.match(header)
    if not match or body is None:
        return False
    name, start, compare, bound, step, stride = match.groups()
    stride = int(stride) if stride else 1
    if "-" in step:
        stride = -stride
    if (stride > 0) != compare.startswith("<") or stride == 0:
        return False
    steps = (int(bound) - int(start)) / stride
    changed: object = re.search(rf"(?<![\w.]){name}\s*(?:[-+*/%]?=(?!=)|\+\+|--)|(?:\+\+|--)\s*{name}\b", body)
    changed = changed or (passed_out and re.search(rf"[(,]\s*{name}\s*[,)]", body))
    changed = changed or any(re.search(rf"\b{macro}\b", body) for macro in assigning)
    return steps <= LOOP_CAP and not changed


def _body(text: str, after: int) -> str | None:
    """A loop's body: its braces, or its one statement when that is plain (None when it cannot be told)."""
    start = len(text) - len(text[after:].lstrip())
    if text.startswith("{", start):
        depth = 0
        for index in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                return text[start:index + 1]
        return None
    statement = text[start:text.find(";", start) + 1]
    return None if re.search(r"\b(for|while|do|if)\b", statement) or statement.count("(") != statement.count(")") else statement


def _closing(text: str, opening: int) -> int | None:
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return None


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.Pow: operator.pow, ast.Mod: operator.mod, ast.USub: operator.neg, ast.UAdd: operator.pos}
_FUNCTIONS = {"floor": math.floor, "ceil": math.ceil, "round": round, "abs": abs, "min": min, "max": max,
              "pow": pow, "sqrt": math.sqrt}


def evaluate(expression: str, names: dict[str, float]) -> float:
    """A WIDTH/HEIGHT expression such as "floor($WIDTH / 2.0)": arithmetic on numbers and $names only."""
    try:
        tree = ast.parse(expression.replace("$", ""), mode="eval")
    except SyntaxError:
        raise ValueError("not an arithmetic expression") from None

    def value(node):
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)  # float arithmetic: 9**9**9 overflows at once instead of running for hours
        if isinstance(node, ast.Name) and node.id in names:
            return float(names[node.id])
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](value(node.operand))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
            return _FUNCTIONS[node.func.id](*(value(arg) for arg in node.args))
        raise ValueError(f"cannot use {ast.unparse(node)!r} here")

    return float(value(tree))
