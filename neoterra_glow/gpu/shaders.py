"""The shader library: GLSL asked for by name, includes resolved, errors as file:line.

A program is built once and cached. `reload()` rebuilds what changed on disk and
keeps the last good program running when the new source fails.

The uniform contract: a stage sets uniforms by name (`ShaderProgram.set`), and every
name it sets must be declared in the shader's source. A name the source never declares
is a ShaderError naming the file and the line of its main(), with the nearest name
declared; a declared one that the driver optimised away is skipped. A reload that drops
a uniform the engine sets is refused, and the last good program keeps running.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import moderngl

from neoterra_glow.errors import UserError
from neoterra_glow.gpu import isf
from neoterra_glow.resources import data_dir

log = logging.getLogger(__name__)

_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*(//.*)?$')
_STAGES = {
    ".vert": "vertex_shader",
    ".frag": "fragment_shader",
    ".fs": "fragment_shader",  # ISF: a JSON header, then GLSL that isf.prelude completes
    ".vs": "vertex_shader",  # an ISF file's own vertex shader, beside its .fs
    ".geom": "geometry_shader",
    ".comp": "compute_shader",
}
_UNIFORMS = re.compile(r"^\s*(?:layout\s*\([^)]*\)\s*)?uniform\s+(?:(?:highp|mediump|lowp)\s+)?\w+\s+([^;{]+);")
_MAIN = re.compile(r"^\s*void\s+main\s*\(")
# Driver message forms: Mesa "0:12(5): error: ...", NVIDIA "0(12) : error C0000: ...", AMD "ERROR: 0:12: ...".
_LINE_FORMS = (
    re.compile(r"^\d+:(\d+)\(\d+\):\s*(.*)$"),
    re.compile(r"^\d+\((\d+)\)\s*:\s*(.*)$"),
    re.compile(r"^(?:ERROR|WARNING):\s*\d+:(\d+):\s*(.*)$"),
)


class ShaderError(UserError):
    """A shader that cannot be used; each line of the message reads shaders/file.glsl:LINE: message."""


@dataclass(frozen=True)
class Source:
    """A stage's GLSL with its includes expanded, and where each line came from."""

    name: str
    text: str
    origins: tuple[tuple[str, int], ...]

    def uniforms(self) -> set[str]:
        """The names of the uniforms the source declares (`uniform vec2 a, b[2];` declares a and b)."""
        names: set[str] = set()
        for line in self.text.splitlines():
            match = _UNIFORMS.match(line)
            if match:
                names.update(part.split("[")[0].split("=")[0].strip() for part in match.group(1).split(","))
        return names

    def main_line(self) -> int:
        return next((number for number, line in enumerate(self.text.splitlines(), 1) if _MAIN.match(line)), 1)

    def where(self, line: int) -> str:
        if 1 <= line <= len(self.origins):
            file, number = self.origins[line - 1]
            return f"{shown(file)}:{number}"
        return shown(self.name)


def shown(file: str) -> str:
    """How a shader file is named in messages: shaders/<name>, or its own path for an outside file."""
    return file if Path(file).is_absolute() or file.startswith("(") else f"shaders/{file}"


def expand(root: Path, name: str) -> Source:
    """Read shaders/<name> (or an absolute path), inlining each `#include "path"` once; cycles are refused.

    An ISF file (.fs, and its .vs) gets the prelude its header asks for; the header lines are blanked,
    and a .fs's loops are guarded (isf.guard_loops).
    """
    lines: list[str] = []
    origins: list[tuple[str, int]] = []
    done: set[str] = set()
    skip = 0
    if name.endswith((".fs", ".vs")):
        try:
            header = isf.read_header((root / name).with_suffix(".fs"))
        except isf.IsfError as error:
            raise ShaderError(str(error)) from None
        for number, line in enumerate(isf.prelude(header, "vertex" if name.endswith(".vs") else "fragment"), 1):
            lines.append(line)
            origins.append(("(ISF prelude of " + name + ")", number))
        skip = header.header_lines if name.endswith(".fs") else 0

    def visit(file: str, stack: tuple[str, ...], included_at: str) -> None:
        if file in stack:
            chain = " -> ".join((*stack, file))
            raise ShaderError(f"{included_at}: include cycle: {chain}")
        if file in done:
            return
        path = root / file
        if stack and not path.resolve().is_relative_to(root.resolve()):  # an include stays in the library
            raise ShaderError(f"{included_at}: {file!r} is outside the shader library; include from shaders/ only")
        if not path.is_file():
            raise ShaderError(f"{included_at}: no shader file {shown(file)}")
        done.add(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ShaderError(f"{included_at}: cannot read {shown(file)}: {error}") from None
        for number, line in enumerate(text.splitlines(), 1):
            if file == name and number <= skip:
                continue
            match = _INCLUDE.match(line)
            if match:
                visit(match.group(1), (*stack, file), f"{shown(file)}:{number}")
            else:
                lines.append(line)
                origins.append((file, number))

    visit(name, (), "shaders")
    text = "\n".join(lines) + "\n"
    return Source(name, isf.guard_loops(text) if name.endswith(".fs") else text, tuple(origins))  # no ISF loop runs for ever


def map_errors(message: str, sources: dict[str, Source]) -> str:
    """Rewrite a moderngl compile or link error so each line names the shader file and line."""
    out: list[str] = []
    stage_source: Source | None = None
    by_stage = {_STAGES[Path(s.name).suffix]: s for s in sources.values()}
    linking = "Linker failed" in message
    for raw in message.splitlines():
        line = raw.strip()
        if not line or set(line) == {"="} or line.startswith("GLSL ") or line == "Program":
            continue
        if line in by_stage:
            stage_source = by_stage[line]
            continue
        for form in _LINE_FORMS:
            match = form.match(line)
            if match and stage_source is not None:
                out.append(f"{stage_source.where(int(match.group(1)))}: {match.group(2)}")
                break
        else:
            files = ", ".join(shown(s.name) for s in sources.values())
            where = shown(stage_source.name) if stage_source and not linking else files
            out.append(f"{where}: {'link: ' if linking else ''}{line}")
    return "\n".join(out) or message


class ShaderProgram:
    """A cached program; `program` is replaced in place when a reload succeeds."""

    def __init__(self, stages: tuple[str, ...], program, sources: dict[str, Source]) -> None:
        self.stages = stages
        self.program = program
        self.sources = sources
        self.declared = declared_uniforms(sources)
        self.used: set[str] = set()  # every uniform name the engine has set on it
        self.generation = 0
        self.error: str | None = None

    def set(self, values: Mapping[str, Any]) -> None:
        """Set uniforms by name; each must be declared in the source (see the module's doc)."""
        program = self.program
        for name, value in values.items():
            if name in program:
                program[name].value = value
            elif name not in self.declared:
                raise self.undeclared(name)
        self.used.update(values)

    def undeclared(self, name: str) -> ShaderError:
        main = self.sources[self.stages[-1]]
        nearest = difflib.get_close_matches(name, sorted(self.declared), n=1)
        hint = f"; did you mean {nearest[0]}?" if nearest else ""
        return ShaderError(f"{main.where(main.main_line())}: the engine sets uniform {name}, which this shader never declares{hint}")

    def replace(self, program, sources: dict[str, Source]) -> None:
        """A rebuilt program in place of this one; refused if it no longer declares a uniform
        the engine sets (the last good program runs on)."""
        declared = declared_uniforms(sources)
        missing = sorted(self.used - declared)
        if missing:
            program.release()
            main = sources[self.stages[-1]]
            raise ShaderError(f"{main.where(main.main_line())}: uniform {missing[0]} is no longer declared, and the engine sets it")
        self.program.release()
        self.program, self.sources, self.declared, self.error = program, sources, declared, None
        self.generation += 1


def declared_uniforms(sources: dict[str, Source]) -> frozenset[str]:
    return frozenset(name for source in sources.values() for name in source.uniforms())


class ShaderLibrary:
    """Finds shaders by name under shaders/, builds and caches programs, reloads on request."""

    def __init__(self, ctx: moderngl.Context, root: Path | None = None) -> None:
        self.ctx = ctx
        self.root = root or data_dir("shaders")
        self._cache: dict[tuple[str, ...], ShaderProgram] = {}

    def program(self, *stages: str) -> ShaderProgram:
        """The program made of these shader files, e.g. ('common/fullscreen.vert', 'post/tonemap.frag')."""
        if stages not in self._cache:
            program, sources = self._build(stages)
            self._cache[stages] = ShaderProgram(stages, program, sources)
        return self._cache[stages]

    def reload(self) -> list[str]:
        """Rebuild every cached program whose source changed; returns the errors of those that failed.

        A failing program keeps running its last good version.
        """
        errors = []
        for entry in self._cache.values():
            try:
                sources = {name: expand(self.root, name) for name in entry.stages}
                if all(sources[n].text == entry.sources[n].text for n in entry.stages):
                    continue
                entry.replace(*self._build(entry.stages, sources))
            except ShaderError as error:
                entry.error = str(error)
                errors.append(entry.error)
                log.error("%s\n(keeping the last good version of %s)", error, " + ".join(entry.stages))
                continue
            log.info("reloaded %s", " + ".join(entry.stages))
        return errors

    def errors(self) -> list[str]:
        """The errors of the programs whose latest source fails (each runs its last good version)."""
        return [entry.error for entry in self._cache.values() if entry.error]

    def _build(self, stages: tuple[str, ...], sources: dict[str, Source] | None = None):
        for name in stages:
            if Path(name).suffix not in _STAGES:
                raise ShaderError(f"{shown(name)}: unknown stage; use one of {', '.join(_STAGES)}")
        sources = sources or {name: expand(self.root, name) for name in stages}
        kinds: dict[str, Any] = {_STAGES[Path(name).suffix]: sources[name].text for name in stages}
        try:
            if "compute_shader" in kinds:
                return self.ctx.compute_shader(kinds["compute_shader"]), sources
            return self.ctx.program(**kinds), sources
        except moderngl.Error as error:
            raise ShaderError(map_errors(str(error), sources)) from None

    def release(self) -> None:
        for entry in self._cache.values():
            entry.program.release()
        self._cache.clear()
