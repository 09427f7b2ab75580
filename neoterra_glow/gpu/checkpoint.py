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
strings), {"path": str}, {"random": state}, {"dataclass": "Name", "fields": {...}} and
{"keeps": {...}}.

A checkpoint is data from outside (a file, or a wall's leader): nothing in it names code. A
dataclass is one of the few state types the caller names (`types`, by class name); every blob's declared shape,
dtype and size is checked against the zip entry and against caps derived from the canvas and
the driver (the largest buffer it can bind: the most bots it can hold) before anything is read
or allocated, and no entry is read past its declared size.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import zipfile
from collections import deque
from collections.abc import Mapping
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
DTYPES = frozenset(np.dtype(name).str for name in ("bool", "u1", "i1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8", "<f2", "<f4", "<f8"))
TEXTURE_DTYPES = {"f1": 1, "f2": 2, "f4": 4, "u1": 1, "u2": 2, "u4": 4, "i1": 1, "i2": 2, "i4": 4}  # bytes per component
HEADER_BYTES = 16 << 20  # checkpoint.json: parameters, emotions, names; never near this
MAX_ENTRIES = 65536


class CheckpointError(UserError):
    """A checkpoint that cannot be taken or used here; the message says why."""


class _Writer:
    def __init__(self, types: Mapping[str, type]) -> None:
        self.types = types
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
        if dataclasses.is_dataclass(value) and self.types.get(type(value).__name__) is type(value):
            return {"dataclass": type(value).__name__,
                    "fields": {f.name: self.encode(getattr(value, f.name), f"{where}.{f.name}")
                               for f in dataclasses.fields(value) if f.init}}
        raise CheckpointError(f"{where}: a {type(value).__name__} cannot be kept in a checkpoint")

    def keeps(self, part: Any, where: str) -> dict:
        why_not = part.checkpointable() if hasattr(part, "checkpointable") else None
        if why_not is not None:
            raise CheckpointError(f"{where}: {why_not}")
        return {name: self.encode(getattr(part, name), f"{where}.{name}") for name in part.keeps}


@dataclasses.dataclass(frozen=True)
class Caps:
    """The most a checkpoint of a canvas may declare, checked before anything is read: an image
    has no more pixels than the canvas; a buffer is no larger than a float RGBA image of it, or
    the largest buffer the driver binds (so, the most bots it can hold); an array no larger than
    that image or 4 MiB (a glyph's are under 0.2 MiB); all blobs together no more than one such
    buffer, 32 images and 256 MiB (some 600 visitors' glyphs)."""

    pixels: int
    buffer: int
    array: int
    total: int

    @classmethod
    def of(cls, size: Any, ctx: moderngl.Context) -> Caps:
        if not (isinstance(size, list) and len(size) == 2 and all(_whole(side) and 0 < side <= 16384 for side in size)):
            raise CheckpointError(f"a canvas of {str(size)[:40]}, not two sides of 1 to 16384 pixels")
        image = size[0] * size[1] * 16
        buffer = max(image, int(ctx.info["GL_MAX_SHADER_STORAGE_BLOCK_SIZE"]))
        return cls(size[0] * size[1], buffer, max(image, 4 << 20), buffer + 32 * image + (256 << 20))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, ctx: moderngl.Context, caps: Caps, types: Mapping[str, type]) -> None:
        self.archive, self.ctx, self.caps, self.types = archive, ctx, caps, types

    def blob(self, number: Any, size: int | None, cap: int, where: str) -> bytes:
        """Blob `number`, of `size` bytes (None: what its entry says, up to `cap`), never read past that."""
        if not _whole(number) or f"blobs/{number}" not in self.archive.NameToInfo:
            raise CheckpointError(f"{where}: names blob {str(number)[:20]}, which the checkpoint does not hold")
        entry = self.archive.getinfo(f"blobs/{number}")
        size = entry.file_size if size is None else size
        if size > cap:
            raise CheckpointError(f"{where}: a blob of {size} bytes, more than the {cap} a checkpoint of this canvas holds")
        if entry.file_size != size:
            raise CheckpointError(f"{where}: blob {number} holds {entry.file_size} bytes, not the {size} its shape says")
        with self.archive.open(entry) as data:
            return data.read(size)

    def decode(self, node: Any, current: Any, where: str) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return type(current)(node) if isinstance(current, Enum) else node
        if isinstance(node, list):
            olds: Any = current if isinstance(current, list) and len(current) == len(node) else [None] * len(node)
            return [self.decode(n, old, f"{where}[{i}]") for i, (n, old) in enumerate(zip(node, olds, strict=True))]
        if not (isinstance(node, dict) and node):
            raise CheckpointError(f"{where}: an empty or unknown node")
        tag = next(iter(node))
        if tag == "tuple":
            olds = current if isinstance(current, tuple) and len(current) == len(node["tuple"]) else [None] * len(node["tuple"])
            return tuple(self.decode(n, old, f"{where}[{i}]") for i, (n, old) in enumerate(zip(node["tuple"], olds, strict=True)))
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
            return Path(str(node["path"]))
        if tag == "array":
            return self.array(node, where)
        if tag == "random":
            generator = random.Random()
            generator.setstate(self.decode(node["random"], None, where))
            return generator
        if tag == "buffer":
            data = self.blob(node["buffer"], None, self.caps.buffer, where)
            if isinstance(current, moderngl.Buffer) and current.size == len(data):
                current.write(data)
                return current
            if isinstance(current, moderngl.Buffer):
                current.release()
            return self.ctx.buffer(data)
        if tag == "target":
            size, dtype = self.image(node, 4, where)
            data = self.blob(node["target"], size[0] * size[1] * 4 * TEXTURE_DTYPES[dtype], self.caps.buffer, where)
            if not (isinstance(current, Target) and current.size == size and current.texture.dtype == dtype):
                if isinstance(current, Target):
                    current.release()
                current = Target(self.ctx, size, dtype)
            current.texture.write(data)
            return current
        if tag == "texture":
            components = node["components"]
            if components not in (1, 2, 3, 4) or isinstance(components, bool):
                raise CheckpointError(f"{where}: a texture of {str(components)[:20]} components")
            size, dtype = self.image(node, components, where)
            data = self.blob(node["texture"], size[0] * size[1] * components * TEXTURE_DTYPES[dtype], self.caps.buffer, where)
            if not (isinstance(current, moderngl.Texture) and current.size == size and current.dtype == dtype
                    and current.components == components):
                if isinstance(current, moderngl.Texture):
                    current.release()
                return self.ctx.texture(size, components, data, dtype=dtype)
            current.write(data)
            return current
        if tag == "dataclass":
            return self.state(node, where)
        if tag == "keeps":
            if current is None or not hasattr(current, "keeps"):
                raise CheckpointError(f"{where}: the checkpoint keeps a part this piece does not have")
            self.restore(current, node["keeps"], where)
            return current
        raise CheckpointError(f"{where}: an unknown kind of value ({str(tag)[:40]})")

    def array(self, node: dict, where: str) -> np.ndarray:
        """An array whose dtype is a plain number's and whose size is checked before it is read."""
        dtype, shape = node["dtype"], node["shape"]
        if dtype not in DTYPES or not (isinstance(shape, list) and len(shape) <= 8 and all(_whole(n) for n in shape)):
            raise CheckpointError(f"{where}: an array of {str(dtype)[:20]} shaped {str(shape)[:60]}, not one this engine keeps")
        size = np.dtype(dtype).itemsize * int(np.prod(shape, dtype=object))
        return np.frombuffer(self.blob(node["array"], size, self.caps.array, where), dtype).reshape(shape).copy()

    def image(self, node: dict, components: int, where: str) -> tuple[tuple[int, int], str]:
        """A texture's size and dtype, no larger than the canvas."""
        size, dtype = node["size"], node["dtype"]
        if dtype not in TEXTURE_DTYPES or not (isinstance(size, list) and len(size) == 2 and all(_whole(n) and n > 0 for n in size)
                                               and size[0] * size[1] <= self.caps.pixels):
            raise CheckpointError(f"{where}: an image of {str(size)[:40]} {str(dtype)[:10]}, not one of this canvas")
        return (size[0], size[1]), dtype

    def state(self, node: dict, where: str) -> Any:
        """One of the state types, by name, from its own fields; no other class is ever made."""
        kind = self.types.get(node["dataclass"]) if isinstance(node["dataclass"], str) else None
        if kind is None:
            raise CheckpointError(f"{where}: a {str(node['dataclass'])[:80]!r}, which is none of the state types a checkpoint "
                                  f"keeps ({', '.join(self.types)})")
        fields, names = node["fields"], {f.name for f in dataclasses.fields(kind) if f.init}
        if not isinstance(fields, dict) or not set(fields) <= names:
            raise CheckpointError(f"{where}: a {kind.__name__} with fields {sorted(map(str, fields))[:8]}, not {sorted(names)}")
        return kind(**{key: self.decode(n, None, f"{where}.{key}") for key, n in fields.items()})

    def restore(self, part: Any, kept: dict, where: str) -> None:
        if not isinstance(kept, dict) or set(kept) != set(part.keeps):
            raise CheckpointError(f"{where}: the checkpoint keeps {sorted(map(str, kept))[:12]}, this engine {sorted(part.keeps)}")
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


def checkpoint_bytes(parts: dict[str, Any], about: dict[str, Any], types: Mapping[str, type]) -> bytes:
    """The parts' state (their `keeps`) and what they are of (`about`: preset, seed, size,
    frame ...), as a checkpoint's bytes; `types`: the only dataclasses it may hold, by name."""
    writer = _Writer(types)
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


def restore_checkpoint(source: Path | bytes, ctx: moderngl.Context, parts: dict[str, Any], expect: dict[str, Any],
                       types: Mapping[str, type]) -> dict:
    """Restore the parts (freshly built for the same preset, seed and size) to the checkpoint's
    state; `expect`: values of its `about` that must match (its preset, seed ...). Returns `about`.
    A checkpoint that is not one, or declares more than its canvas holds, is refused (CheckpointError:
    past its header, the caller names the source)."""
    with _open(source) as archive:
        header = _header(archive, source)
        about = header["about"]
        try:
            for key, wanted in expect.items():
                if about.get(key) != wanted:
                    raise CheckpointError(f"a checkpoint of {key} {str(about.get(key))[:200]!r}, not {wanted!r}")
            caps = Caps.of(about.get("size"), ctx)
            declared = sum(entry.file_size for entry in archive.infolist())
            if declared > caps.total:
                raise CheckpointError(f"it holds {declared} bytes, more than the {caps.total} a checkpoint of this canvas holds")
            if not isinstance(header["state"], dict) or set(header["state"]) != set(parts):
                raise CheckpointError(f"it keeps {sorted(map(str, header['state']))[:12]}, not {sorted(parts)}")
            reader = _Reader(archive, ctx, caps, types)
            for name, part in parts.items():
                reader.restore(part, header["state"][name], name)
        except CheckpointError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError, zipfile.BadZipFile) as error:
            raise CheckpointError(f"a malformed checkpoint ({type(error).__name__}: {str(error)[:200]})") from None
        return about


def _name(source: Path | bytes) -> str:
    return str(source) if isinstance(source, Path) else "the checkpoint received"


def _open(source: Path | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except (OSError, zipfile.BadZipFile) as error:
        raise CheckpointError(f"{_name(source)}: not a checkpoint: {error}") from None


def _header(archive: zipfile.ZipFile, source: Path | bytes) -> dict:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or any(e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for e in entries):
        raise CheckpointError(f"{_name(source)}: not a checkpoint: {len(entries)} entries, or compressed in a way no checkpoint is")
    try:
        entry = archive.getinfo("checkpoint.json")
        if entry.file_size > HEADER_BYTES:
            raise ValueError(f"a header of {entry.file_size} bytes")
        with archive.open(entry) as data:
            header = json.loads(data.read(entry.file_size))
    except (KeyError, ValueError, RecursionError, zipfile.BadZipFile) as error:
        raise CheckpointError(f"{_name(source)}: not a checkpoint: {str(error)[:200]}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT or not isinstance(header.get("about"), dict):
        raise CheckpointError(f"{_name(source)}: not a neoterra-glow checkpoint")
    if header.get("version") != VERSION or header.get("engine") != engine_version():
        raise CheckpointError(f"{_name(source)}: a checkpoint of format {str(header.get('version'))[:20]} from neoterra-glow "
                              f"{str(header.get('engine'))[:40]}; this is neoterra-glow {engine_version()}, format {VERSION}: "
                              "render it again from the start")
    return header
