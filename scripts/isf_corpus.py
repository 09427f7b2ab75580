#!/usr/bin/env python3
"""Try every ISF file of a folder as a mural layer: read, compile, render a frame. Prints how
many work and why the others do not, grouped by reason. For checking the engine against
artists' collections (the Vidvox ISF-Files repository, for one); not a test.

  scripts/isf_corpus.py ISF-Files/ISF [--size 128x72]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from neoterra_glow.core.frame import Frame
from neoterra_glow.core.params import Registry
from neoterra_glow.gpu.context import Headless
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.stage import Build
from neoterra_glow.murals.layers import layer_spec
from neoterra_glow.murals.stack import MuralStack


def try_one(ctx, library, path: Path, size) -> str | None:
    """None if the file renders; else the first line of why not."""
    try:
        spec = layer_spec({"shader": path.name}, path.parent)  # its name from the file's, spaces and all
        registry = Registry(spec.params())
        stack = MuralStack(Build(ctx, library, size, layers=[spec]))
        try:
            first = Frame(index=0, time=0.0, dt=1 / 30, params=registry.snapshot(1 / 30), seed=1, size=size)  # a fixed clock's first
            stack.compose(first, stack.output, stack._black)
            if stack.failures.counts:
                return next(iter(stack.failures.counts)) and "render failed"
        finally:
            stack.release()
    except Exception as error:  # every kind of refusal is a finding here
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return None


def reason(message: str, path: Path) -> str:
    """The message with the file's own details taken out, so that alike failures group."""
    text = message.replace(str(path.parent) + "/", "").replace(path.name, "FILE")
    return re.sub(r"\d+", "N", text)[:140]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--size", default="128x72")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    gpu = Headless()
    library = ShaderLibrary(gpu.ctx)
    results = {path.name: try_one(gpu.ctx, library, path, size) for path in sorted(args.folder.glob("*.fs"))}
    failed = {name: why for name, why in results.items() if why}
    audio = {name for name, why in failed.items() if "audio" in why.lower()}
    print(json.dumps({
        "files": len(results), "render": len(results) - len(failed),
        "refused_as_audio": len(audio), "fail_otherwise": len(failed) - len(audio),
        "reasons": Counter(reason(why, args.folder / name) for name, why in failed.items() if name not in audio).most_common(),
        "failures": {name: why for name, why in failed.items() if name not in audio},
    }, indent=2))


if __name__ == "__main__":
    main()
