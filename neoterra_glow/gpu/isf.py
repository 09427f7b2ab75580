"""The Interactive Shader Format (ISF v2): a fragment shader whose JSON header declares its inputs.

The header becomes plain data (inputs, passes, imported images); the GLSL body is
wrapped in a prelude that gives it ISF's built-ins on OpenGL 4.3 core. Spec:
https://github.com/mrRay/ISF_Spec. What is not supported is refused with a
message naming the file and the key, never a crash.

neoterra-glow's own murals are ISF files too, with two extensions other hosts
ignore: `#include "common/noise.glsl"`, and "NEOTERRA_LIGHT": "linear" for a
shader that writes linear HDR light instead of sRGB colour.
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

from neoterra_glow.errors import UserError

_HEADER = re.compile(r"^\s*/\*(.*?)\*/", re.DOTALL)
INPUT_TYPES = ("float", "bool", "long", "color", "point2D", "image", "event", "audio", "audioFFT")
TEXTURE_TYPES = ("image", "audio", "audioFFT")  # inputs that are images: of the stack, or of the sound
_GLSL_TYPES = {"float": "float", "bool": "bool", "event": "bool", "long": "int", "color": "vec4", "point2D": "vec2",
               **dict.fromkeys(TEXTURE_TYPES, "sampler2D")}


class IsfError(UserError):
    """An ISF file that cannot be used; the message names the file and what was wrong."""


@dataclass(frozen=True)
class IsfInput:
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
    target: str | None = None
    persistent: bool = False
    float: bool = False
    width: str | None = None  # expressions such as "$WIDTH / 2.0"
    height: str | None = None


@dataclass(frozen=True)
class IsfHeader:
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
        data = json.loads(match.group(1))
    except json.JSONDecodeError as error:
        line = text[: match.start(1)].count("\n") + error.lineno
        raise IsfError(f"{path}:{line}: the ISF header is not valid JSON: {error.msg}") from None
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
        lines += ["in vec2 v_uv;", "out vec4 isf_FragColor;", "#define gl_FragColor isf_FragColor", "#define varying in"]
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
