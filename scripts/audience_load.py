#!/usr/bin/env python3
"""Load on the participation page: VISITORS simulated phones on loopback for SECONDS while a
live show renders (headless), each from its own address (127.1.x.y): feelings every two
seconds or so, a preview now and then, a few sends. Prints JSON: frame times before and
during the load, the server's answers, refused requests, and the show's memory.

  .venv/bin/python scripts/audience_load.py [--visitors 500] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

VISITOR_CODE = """
import asyncio, json, random, sys, time
import aiohttp

async def visitor(n, port, until, counts):
    address = f"127.1.{n // 250}.{n % 250 + 1}"
    rng = random.Random(n)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=2)) as session:
        while time.monotonic() < until:
            roll = rng.random()
            path, body = ("/api/feel", {"feelings": {"joy": rng.random(), "calm": rng.random()}})
            if roll < 0.1:
                path, body = "/api/glyph", {"text": f"Visitor {n} {rng.randint(0, 9)}", "kind": "name"}
            elif roll < 0.12:
                path, body = "/api/send", {"text": f"Visitor {n}", "kind": "name"}
            try:
                async with session.post(f"http://127.0.0.1:{port}{path}", json={**body, "visitor": str(n)},
                                        timeout=aiohttp.ClientTimeout(total=10)) as answer:
                    await answer.read()
                    counts[answer.status] = counts.get(answer.status, 0) + 1
            except Exception as error:
                counts[type(error).__name__] = counts.get(type(error).__name__, 0) + 1
            await asyncio.sleep(rng.uniform(1.0, 3.0))

async def main(visitors, port, seconds):
    counts, until = {}, time.monotonic() + seconds
    await asyncio.gather(*(visitor(n, port, until, counts) for n in range(visitors)))
    print(json.dumps(counts))

asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
"""


def frame_times(live, seconds: float) -> list[float]:
    times, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        started = time.perf_counter()
        live.step()
        live.ctx.finish()
        times.append(time.perf_counter() - started)
    return times


def rss_mb() -> float:
    """The show's resident memory now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def figures(times: list[float]) -> dict:
    ms = np.array(times) * 1e3
    return {"frames": len(ms), "median_ms": round(float(np.median(ms)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "max_ms": round(float(ms.max()), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    from neoterra_glow.gpu.context import Headless
    from neoterra_glow.live.show import Connections, Listening, LiveShow
    from neoterra_glow.piece import load_piece

    gpu = Headless()
    piece = load_piece("community-wall")
    piece.registry.set("swarm.count", 50_000, immediate=True)
    live = LiveShow(gpu.ctx, piece, (480, 270), 7, Listening(port=0, query_port=None),
                    connections=Connections(audience=("127.0.0.1", 0)))
    try:
        quiet = figures(frame_times(live, 10.0))
        rss_before = rss_mb()
        visitors = subprocess.Popen([sys.executable, "-c", VISITOR_CODE, str(args.visitors), str(live.audience.port), str(args.seconds)],
                                    stdout=subprocess.PIPE, text=True)
        loaded = figures(frame_times(live, args.seconds))
        answers = json.loads(visitors.communicate(timeout=120)[0] or "{}")
        report = {
            "visitors": args.visitors, "seconds": args.seconds,
            "frames_quiet": quiet, "frames_under_load": loaded,
            "p95_ratio_loaded_over_quiet": round(loaded["p95_ms"] / quiet["p95_ms"], 2),
            "answers": answers, "refused_counted_by_show": dict(live.audience.rejections.counts),
            "glyphs_on_wall": len(live.pipeline["swarm"].atlas), "visitors_feeling": live.audience.visitors,
            "show_rss_mb_before": rss_before, "show_rss_mb_after": rss_mb(),
        }
    finally:
        live.close()
        gpu.release()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
