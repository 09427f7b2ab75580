"""Checkpoints: everything that makes frame N what it is, saved, so that frame N+1 can be
rendered elsewhere (another process, machine or GPU of the same kind) and come out the same.

Each part that carries state from frame to frame names those attributes in `keeps`; this
module walks them. What it can hold: None, booleans, numbers (NaN too), strings, paths,
tuples, lists, dicts, numpy arrays, random generators, the engine's own dataclasses, GPU
buffers, textures and render targets, and parts with `keeps` of their own. Restoring writes
into the parts of a freshly built piece and pipeline (GPU objects of another size are made
anew); a part with `restored()` then rebuilds what derives from its state.

The file (version 1) is a zip: `checkpoint.json` holds {"format", "version", "engine",
"about": {preset, seed, size, frame ...}, "state": tree}; each array, buffer and texture is
a raw little-endian file `blobs/N` that the tree names as {"array": N, "dtype", "shape"},
{"buffer": N}, {"texture": N, "size", "components", "dtype"} or {"target": N, "size", "dtype"}.
Other tree nodes: {"tuple": [...]}, {"deque": [...]}, {"dict": {...}}, {"items": [[key, value] ...]} (keys not
strings), {"path": str}, {"random": state}, {"dataclass": "module:Name", "fields": {...}} and
{"keeps": {...}}. No code is ever loaded from a checkpoint: the classes it names must be the
engine's own.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import random
import zipfile
from collections import deque
from enum import Enum
from pathlib import Path
from typing import Any

import moderngl
import numpy as np

from neoterra_glow.errors import UserError
from neoterra_glow.gpu.targets import Target
from neoterra_glow.resources import engine_version

FORMAT = "neoterra-glow checkpoint"
VERSION = 1


class CheckpointError(UserError):
    """A checkpoint that cannot be taken or used here; the message says why."""


class _Writer:
    def __init__(self) -> None:
        self.blobs: list[bytes] = []

    def blob(self, data: bytes) -> int:
        self.blobs.append(data)
        return len(self.blobs) - 1

    def encode(self, value: Any, where: str) -> Any:
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, Enum):
            return value
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, Path):
            return {"path": str(value)}
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            return {"array": self.blob(array.tobytes()), "dtype": array.dtype.str, "shape": list(array.shape)}
        if isinstance(value, random.Random):
            return {"random": self.encode(value.getstate(), where)}
        if isinstance(value, moderngl.Buffer):
            return {"buffer": self.blob(value.read())}
        if isinstance(value, Target):
            texture = value.texture
            return {"target": self.blob(texture.read()), "size": list(value.size), "dtype": texture.dtype}
        if isinstance(value, moderngl.Texture):
            return {"texture": self.blob(value.read()), "size": list(value.size), "components": value.components,
                    "dtype": value.dtype}
        if isinstance(value, tuple):
            return {"tuple": [self.encode(v, f"{where}[{n}]") for n, v in enumerate(value)]}
        if isinstance(value, list):
            return [self.encode(v, f"{where}[{n}]") for n, v in enumerate(value)]
        if isinstance(value, deque):
            return {"deque": [self.encode(v, f"{where}[{n}]") for n, v in enumerate(value)]}
        if isinstance(value, dict):
            if all(isinstance(key, str) for key in value):
                return {"dict": {key: self.encode(v, f"{where}[{key!r}]") for key, v in value.items()}}
            return {"items": [[self.encode(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in value.items()]}
        if hasattr(value, "keeps"):
            return {"keeps": self.keeps(value, where)}
        if dataclasses.is_dataclass(value) and type(value).__module__.startswith("neoterra_glow."):
            kind = type(value)
            return {"dataclass": f"{kind.__module__}:{kind.__qualname__}",
                    "fields": {f.name: self.encode(getattr(value, f.name), f"{where}.{f.name}")
                               for f in dataclasses.fields(value) if f.init}}
        raise CheckpointError(f"{where}: a {type(value).__name__} cannot be kept in a checkpoint")

    def keeps(self, part: Any, where: str) -> dict:
        why_not = part.checkpointable() if hasattr(part, "checkpointable") else None
        if why_not is not None:
            raise CheckpointError(f"{where}: {why_not}")
        return {name: self.encode(getattr(part, name), f"{where}.{name}") for name in part.keeps}


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, ctx: moderngl.Context) -> None:
        self.archive, self.ctx = archive, ctx

    def blob(self, number: int) -> bytes:
        return self.archive.read(f"blobs/{number}")

    def decode(self, node: Any, current: Any, where: str) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return type(current)(node) if isinstance(current, Enum) else node
        if isinstance(node, list):
            olds = current if isinstance(current, list) and len(current) == len(node) else [None] * len(node)
            return [self.decode(n, old, f"{where}[{i}]") for i, (n, old) in enumerate(zip(node, olds))]
        tag = next(iter(node))
        if tag == "tuple":
            olds = current if isinstance(current, tuple) and len(current) == len(node["tuple"]) else [None] * len(node["tuple"])
            return tuple(self.decode(n, old, f"{where}[{i}]") for i, (n, old) in enumerate(zip(node["tuple"], olds)))
        if tag == "dict":
            olds = current if isinstance(current, dict) else {}
            return {key: self.decode(n, olds.get(key), f"{where}[{key!r}]") for key, n in node["dict"].items()}
        if tag == "items":
            olds = current if isinstance(current, dict) else {}
            out = {}
            for key_node, value_node in node["items"]:
                key = self.decode(key_node, None, where)
                out[key] = self.decode(value_node, olds.get(key), f"{where}[{key!r}]")
            return out
        if tag == "deque":
            return deque(self.decode(n, None, f"{where}[{i}]") for i, n in enumerate(node["deque"]))
        if tag == "path":
            return Path(node["path"])
        if tag == "array":
            return np.frombuffer(self.blob(node["array"]), np.dtype(node["dtype"])).reshape(node["shape"]).copy()
        if tag == "random":
            generator = random.Random()
            generator.setstate(self.decode(node["random"], None, where))
            return generator
        if tag == "buffer":
            data = self.blob(node["buffer"])
            if isinstance(current, moderngl.Buffer) and current.size == len(data):
                current.write(data)
                return current
            if isinstance(current, moderngl.Buffer):
                current.release()
            return self.ctx.buffer(data)
        if tag == "target":
            size, dtype = tuple(node["size"]), node["dtype"]
            if not (isinstance(current, Target) and current.size == size and current.texture.dtype == dtype):
                if isinstance(current, Target):
                    current.release()
                current = Target(self.ctx, size, dtype)
            current.texture.write(self.blob(node["target"]))
            return current
        if tag == "texture":
            size, components, dtype = tuple(node["size"]), node["components"], node["dtype"]
            if not (isinstance(current, moderngl.Texture) and current.size == size and current.dtype == dtype
                    and current.components == components):
                if isinstance(current, moderngl.Texture):
                    current.release()
                return self.ctx.texture(size, components, self.blob(node["texture"]), dtype=dtype)
            current.write(self.blob(node["texture"]))
            return current
        if tag == "dataclass":
            module, name = node["dataclass"].split(":")
            if not module.startswith("neoterra_glow."):
                raise CheckpointError(f"{where}: names {node['dataclass']}, which is not the engine's")
            kind = getattr(importlib.import_module(module), name)
            return kind(**{key: self.decode(n, None, f"{where}.{key}") for key, n in node["fields"].items()})
        if tag == "keeps":
            if current is None or not hasattr(current, "keeps"):
                raise CheckpointError(f"{where}: the checkpoint keeps a part this piece does not have")
            self.restore(current, node["keeps"], where)
            return current
        raise CheckpointError(f"{where}: an unknown kind of value ({tag})")

    def restore(self, part: Any, kept: dict, where: str) -> None:
        if set(kept) != set(part.keeps):
            raise CheckpointError(f"{where}: the checkpoint keeps {sorted(kept)}, this engine {sorted(part.keeps)}")
        for name in part.keeps:  # in the part's order: a scene is restored before the values that follow it
            current = getattr(part, name)
            value = self.decode(kept[name], current, f"{where}.{name}")
            if value is not current:
                setattr(part, name, value)
        if hasattr(part, "restored"):
            part.restored()


def save_checkpoint(path: Path, data: bytes) -> None:
    """Write a checkpoint (checkpoint_bytes); a kill while writing leaves any older file whole."""
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    temporary.replace(path)


def checkpoint_bytes(parts: dict[str, Any], about: dict[str, Any]) -> bytes:
    """The parts' state (their `keeps`) and what they are of (`about`: preset, seed, size,
    frame ...), as a checkpoint's bytes."""
    writer = _Writer()
    state = {name: writer.keeps(part, name) for name, part in parts.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        header = {"format": FORMAT, "version": VERSION, "engine": engine_version(), "about": about, "state": state}
        archive.writestr("checkpoint.json", json.dumps(header))
        for number, blob in enumerate(writer.blobs):
            archive.writestr(f"blobs/{number}", blob)
    return out.getvalue()


def read_about(source: Path | bytes) -> dict[str, Any]:
    """What a checkpoint is of (preset, seed, size, frame ...), checked to be one this engine reads."""
    with _open(source) as archive:
        return _header(archive, source)["about"]


def restore_checkpoint(source: Path | bytes, ctx: moderngl.Context, parts: dict[str, Any], expect: dict[str, Any]) -> dict:
    """Restore the parts (freshly built for the same preset, seed and size) to the checkpoint's
    state; `expect`: values of its `about` that must match (its preset, seed ...). Returns `about`."""
    with _open(source) as archive:
        header = _header(archive, source)
        about = header["about"]
        for key, wanted in expect.items():
            if about.get(key) != wanted:
                raise CheckpointError(f"{_name(source)}: a checkpoint of {key} {about.get(key)!r}, not {wanted!r}")
        if set(header["state"]) != set(parts):
            raise CheckpointError(f"{_name(source)}: it keeps {sorted(header['state'])}, not {sorted(parts)}")
        reader = _Reader(archive, ctx)
        for name, part in parts.items():
            reader.restore(part, header["state"][name], name)
        return about


def _name(source: Path | bytes) -> str:
    return str(source) if isinstance(source, Path) else "the checkpoint received"


def _open(source: Path | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except (OSError, zipfile.BadZipFile) as error:
        raise CheckpointError(f"{_name(source)}: not a checkpoint: {error}") from None


def _header(archive: zipfile.ZipFile, source: Path | bytes) -> dict:
    try:
        header = json.loads(archive.read("checkpoint.json"))
    except (KeyError, ValueError) as error:
        raise CheckpointError(f"{_name(source)}: not a checkpoint: {error}") from None
    if header.get("format") != FORMAT:
        raise CheckpointError(f"{_name(source)}: not a neoterra-glow checkpoint")
    if header.get("version") != VERSION or header.get("engine") != engine_version():
        raise CheckpointError(f"{_name(source)}: a checkpoint of format {header.get('version')} from neoterra-glow "
                              f"{header.get('engine')}; this is neoterra-glow {engine_version()}, format {VERSION}: "
                              "render it again from the start")
    return header
