#!/usr/bin/env python3
"""Soak: a headless show for --frames frames (100,000 by default) at a small size, with mural
layers, swarm counts, scenes, glitches and emotions changing over real OSC all the while.
Samples the process's memory (RSS), live OpenGL objects, open file descriptors and threads
at the same point of each cycle of control, and prints JSON: each one's growth from the first
sample after warm-up to the last, and whether none grew over 2%. A benchmark to run before an
installation, not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import threading
import time
from pathlib import Path

import moderngl
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.gpu.context import Headless
from neoterra_glow.live.show import Listening, LiveShow
from neoterra_glow.piece import load_piece

CYCLE = 25 * 96  # frames in which every kind of control, both scenes included, comes round once
GL_KINDS = (moderngl.Buffer, moderngl.Texture, moderngl.Framebuffer, moderngl.VertexArray, moderngl.Program,
            moderngl.ComputeShader)


def sample() -> dict:
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return {
        "rss_mb": round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1),
        "gl_objects": sum(1 for o in gc.get_objects() if isinstance(o, GL_KINDS) and type(o.mglo).__name__ != "InvalidObject"),
        "fds": len(os.listdir("/proc/self/fd")),
        "threads": threading.active_count(),
    }


def control(sender: SimpleUDPClient, frame: int, rng: random.Random) -> None:
    """What a busy night sends: something every few frames, each kind of change in turn."""
    step = frame // 25
    if frame % 25:
        return
    kind = step % 6
    if kind == 0:
        sender.send_message("/murals/add", ["ribbons", "soak"])
    elif kind == 1:
        sender.send_message("/swarm/count", 20_000 if step % 12 < 6 else 30_000)
    elif kind == 2:
        sender.send_message("/glitch/trigger", [rng.choice(["tear", "split", "blocks", "scatter", "stall", "smear"]), 0.7, 0.4])
    elif kind == 3:
        sender.send_message("/emotion/va", [rng.uniform(-1, 1), rng.random()])
    elif kind == 4:
        sender.send_message("/murals/remove", ["soak"])
    elif step % 48 == 5:
        sender.send_message("/scene/go", ["calm" if step % 96 == 5 else "default", 1.0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--size", default="64x36")
    parser.add_argument("--warmup", type=int, default=CYCLE, help="frames before the first sample (a sample ends each cycle)")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    gpu = Headless()
    live = LiveShow(gpu.ctx, load_piece("default"), size, 7, Listening(port=0, query_port=None))
    sender = SimpleUDPClient("127.0.0.1", live.osc.port)
    rng = random.Random(7)
    samples, started = [], time.perf_counter()
    try:
        for frame in range(args.frames):
            control(sender, frame, rng)
            live.step()
            if frame >= args.warmup and frame % CYCLE == CYCLE - 1:  # the same point of the control's cycle
                samples.append({"frame": frame, **sample()})
    finally:
        seconds = time.perf_counter() - started
        live.close()
        gpu.release()
    first, last = samples[0], samples[-1]
    growth = {key: round((last[key] - first[key]) / max(first[key], 1) * 100, 2) for key in ("rss_mb", "gl_objects", "fds", "threads")}
    print(json.dumps({
        "frames": args.frames, "size": args.size, "seconds": round(seconds, 1), "fps": round(args.frames / seconds, 1),
        "osc_received": live.osc.received, "applied": live.desk.applied,
        "rejected": dict(live.osc.rejections.counts), "first": first, "last": last,
        "growth_percent": growth, "no_growth_over_2_percent": all(g <= 2.0 for g in growth.values()),
        "peak_rss_mb": max(s["rss_mb"] for s in samples),
    }, indent=2))


if __name__ == "__main__":
    main()
