#!/usr/bin/env python3
"""Benchmarks for neoterra-glow. Prints JSON; every figure has a baseline measured in the same run,
because shared machines are noisy: compare ratios, not milliseconds, across runs.

  frame_time: the full pipeline (field, bloom, tonemap) per frame, against one fullscreen pass
              (the tonemap alone) at the same size.
  overlap:    render+encode per frame against the slower of render-only and encode-only;
              efficiency = slower / combined (1.0 means encoding hides entirely behind rendering).
  swarm_step: one simulation step of --bots bots (compute) against a bare read and write
              of the same bot buffer in the same run; the step should be memory-bound (aim <= 2x).
  splat:      every bot's light at 1080p (splat, resolve into trails, laid over the murals),
              against one fullscreen pass at 1080p; and the splat alone with every bot on a
              fully formed face (most contention) against the same bots scattered (least).
              GPU milliseconds from timer queries where the driver has real ones.
  by_count:   the default preset rendered at 640x360 with 1M bots against 10k bots.
  preset:     the festival preset's full frame, per pass, and the murals' share of it: at 720p
              (--only preset), with --gpu at 1080p and 3840x2160.
  audio:      the sound's analysis per 512-sample block against one bare FFT of its window; and, with
              PulseAudio, the latency from a block's arrival to the frame boundary that hears it in a
              live show at 60 fps, against one frame plus one block.
  osc:        messages a second sent at a steady 20,000/s for two seconds to a rendering live show,
              and how many arrived: ours, and python-osc's Threading and Blocking UDP servers, in
              the same run, under the same rendering load. Then message-to-frame latency at 60 fps:
              frame boundaries between a message's sending and the frame that applies it (1 = next frame).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np
from pythonosc.dispatcher import Dispatcher
from pythonosc.osc_server import BlockingOSCUDPServer, ThreadingOSCUDPServer
from pythonosc.udp_client import SimpleUDPClient

from neoterra_glow.audio.analysis import RATE, WINDOW, Analyser
from neoterra_glow.audio.files import BLOCK
from neoterra_glow.core.clock import FixedClock
from neoterra_glow.core.frame import Frame
from neoterra_glow.gpu.compute import dispatch
from neoterra_glow.gpu.context import Headless, describe
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.timing import PassTimes
from neoterra_glow.live.show import Connections, Listening, LiveShow
from neoterra_glow.output.encoders import open_encoder
from neoterra_glow.output.recorder import Recorder
from neoterra_glow.piece import load_piece
from neoterra_glow.pipeline import Pipeline, declare_params
from neoterra_glow.render import render_frames

SENDER = """
import socket, sys, time
from pythonosc.osc_message_builder import OscMessageBuilder
port, count, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
message = OscMessageBuilder("/swarm/brightness")
message.add_arg(0.8)
packet = message.build().dgram
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
started = time.perf_counter()
for n in range(count):
    sock.sendto(packet, ("127.0.0.1", port))
    if n % 50 == 49:
        while time.perf_counter() < started + (n + 1) / rate:
            time.sleep(0.0002)
"""


def plain_frame(clock, registry, size) -> Frame:
    """The clock's next frame with the registry's values: a piece's boundary without its emotions or faults."""
    index, time, dt = clock.tick()
    return Frame(index=index, time=time, dt=dt, params=registry.snapshot(dt), seed=7, size=size, epoch=clock.epoch)


def per_frame(run, frames: int, finish) -> float:
    """Seconds per call of run(), after one warm-up call, waiting for the GPU after every call: a
    driver may skip a draw whose target is drawn over before anything reads it (llvmpipe does), so
    a pass repeated into one target unfinished would time almost nothing."""
    run()
    finish()
    started = time.perf_counter()
    for _ in range(frames):
        run()
        finish()
    return (time.perf_counter() - started) / frames


def frame_time(ctx, size, frames: int) -> dict:
    registry = declare_params()
    library = ShaderLibrary(ctx)
    pipeline = Pipeline(ctx, library, size)
    clock = FixedClock(30)

    def next_frame():
        return plain_frame(clock, registry, size)

    pipeline.render(next_frame())
    scene, glow = pipeline.products["scene"], pipeline.products["glow"]
    pipeline_s = per_frame(lambda: pipeline.render(next_frame()), frames, ctx.finish)
    pass_s = per_frame(lambda: pipeline["tonemap"].run(next_frame(), {"image": scene, "glow": glow}), frames, ctx.finish)
    pipeline.release()
    library.release()
    return {
        "size": f"{size[0]}x{size[1]}",
        "pipeline_ms": round(pipeline_s * 1e3, 2),
        "baseline_one_pass_ms": round(pass_s * 1e3, 2),
        "ratio": round(pipeline_s / pass_s, 2),
    }


def overlap(ctx, size, frames: int, suffix: str) -> dict:
    piece = load_piece("default")
    folder = Path(tempfile.mkdtemp())

    started = time.perf_counter()
    rendered = [rgba for _, rgba in render_frames(ctx, piece, size, 30, frames, 7)]
    render_s = (time.perf_counter() - started) / frames

    encoder = open_encoder(folder / f"encode{suffix}", size, 30)
    started = time.perf_counter()
    for rgba in rendered:
        encoder.write(rgba)
    encoder.close()
    encode_s = (time.perf_counter() - started) / frames

    recorder = Recorder(open_encoder(folder / f"both{suffix}", size, 30))
    started = time.perf_counter()
    for _, rgba in render_frames(ctx, piece, size, 30, frames, 7):
        recorder.write(rgba)
    recorder.close()
    both_s = (time.perf_counter() - started) / frames
    return {
        "size": f"{size[0]}x{size[1]}",
        "format": suffix,
        "render_only_ms": round(render_s * 1e3, 2),
        "encode_only_ms": round(encode_s * 1e3, 2),
        "render_and_encode_ms": round(both_s * 1e3, 2),
        "efficiency": round(max(render_s, encode_s) / both_s, 3),
    }


def swarm_figures(ctx, frames: int, count: int) -> dict:
    registry = declare_params()
    registry.set("swarm.count", count, immediate=True)
    library = ShaderLibrary(ctx)
    size = (1920, 1080)
    pipeline = Pipeline(ctx, library, size)
    swarm, light, over = pipeline["swarm"], pipeline["light"], pipeline["over"]
    clock = FixedClock(30)
    frame = plain_frame(clock, registry, size)
    pipeline.render(frame)  # allocates and aims the bots
    bots, murals, glow = (pipeline.products[name] for name in ("bots", "murals", "glow"))
    touch = library.program("bench/touch_bots.comp")
    place = library.program("bench/place_bots.comp")
    times = PassTimes(ctx)

    def timed(name, run):
        def measured():
            with times.measure(name):
                run()
            times.next_frame()
        return measured

    step_s = per_frame(timed("step", lambda: swarm.run(frame, {})), frames, ctx.finish)
    bare_s = per_frame(timed("bare", lambda: dispatch(ctx, touch, count, {"u_end": count, "u_dt": 0.01})), frames, ctx.finish)
    light_s = per_frame(timed("light", lambda: over.run(frame, {"scene": murals, "light": light.run(frame, {"bots": bots})})),
                        frames, ctx.finish)
    pass_s = per_frame(timed("pass", lambda: pipeline["tonemap"].run(frame, {"image": murals, "glow": glow})), frames, ctx.finish)
    splat_s = {}
    for layout in ("formed", "scattered"):
        dispatch(ctx, place, count, {"u_end": count, "u_formed": layout == "formed", "u_aspect": size[0] / size[1]})
        splat_s[layout] = per_frame(timed(layout, lambda: light.splat(frame, bots)), frames, ctx.finish)
    gpu_ms = {name: round(ms, 3) for name, ms in times.ms.items()} if times.queries else "no timer queries on this driver"
    for thing in (times, pipeline, library):
        thing.release()
    return {
        "swarm_step": {
            "bots": count,
            "step_ms": round(step_s * 1e3, 2),
            "baseline_read_write_ms": round(bare_s * 1e3, 2),
            "ratio": round(step_s / bare_s, 2),
        },
        "splat": {
            "bots": count,
            "size": f"{size[0]}x{size[1]}",
            "splat_resolve_over_ms": round(light_s * 1e3, 2),
            "baseline_one_pass_ms": round(pass_s * 1e3, 2),
            "ratio": round(light_s / pass_s, 2),
            "formed_face_splat_ms": round(splat_s["formed"] * 1e3, 2),
            "scattered_splat_ms": round(splat_s["scattered"] * 1e3, 2),
            "formed_over_scattered": round(splat_s["formed"] / splat_s["scattered"], 2),
            "gpu_ms_timer_queries": gpu_ms,
        },
    }


def by_count(ctx, frames: int) -> dict:
    """The default preset at 640x360, rendered with 10k and with 1M bots."""
    seconds = {}
    for count in (10_000, 1_000_000):
        piece = load_piece("default")
        piece.registry.set("swarm.count", count, immediate=True)
        started = time.perf_counter()
        for _ in render_frames(ctx, piece, (640, 360), 30, frames, 7):
            pass
        seconds[count] = (time.perf_counter() - started) / frames
    return {
        "size": "640x360",
        "ms_10k_bots": round(seconds[10_000] * 1e3, 2),
        "ms_1m_bots": round(seconds[1_000_000] * 1e3, 2),
        "ratio": round(seconds[1_000_000] / seconds[10_000], 2),
    }


def preset_frame(ctx, size, frames: int, preset: str = "festival") -> dict:
    """A preset's full frame: wall time per frame, and each pass's GPU time."""
    piece = load_piece(preset)
    library = ShaderLibrary(ctx)
    pipeline = Pipeline(ctx, library, size, piece.glyphs, piece.layers)
    clock = FixedClock(30)
    frame_s = per_frame(lambda: pipeline.render(piece.frame(clock, size, 7)), frames, ctx.finish)
    passes = {name: round(ms, 3) for name, ms in pipeline.times.ms.items()}
    pipeline.release()
    library.release()
    return {"preset": preset, "size": f"{size[0]}x{size[1]}", "bots": piece.registry.value("swarm.count"),
            "frame_ms": round(frame_s * 1e3, 2), "gpu_ms_per_pass": passes,
            "murals_share": round(passes.get("murals", 0.0) / max(sum(passes.values()), 1e-9), 2)}


def _send_while_rendering(live: LiveShow, port: int, count: int, rate: float) -> float:
    """Send `count` messages at `rate` from another process while the show renders; seconds taken."""
    sender = subprocess.Popen([sys.executable, "-c", SENDER, str(port), str(count), str(rate)])
    started = time.perf_counter()
    while sender.poll() is None:
        live.step()
    elapsed = time.perf_counter() - started
    for _ in range(10):  # let the last datagrams drain
        live.step()
    return elapsed


def osc_figures(ctx, count: int = 40_000, rate: float = 20_000.0) -> dict:
    piece = load_piece("default")
    piece.registry.set("swarm.count", 20_000, immediate=True)
    live = LiveShow(ctx, piece, (320, 180), 7, Listening(port=0, query_port=None))
    results = {}
    elapsed = _send_while_rendering(live, live.osc.port, count, rate)
    live.step()
    results["neoterra_glow"] = {"sent": count, "received": live.desk.applied, "sent_per_s": round(count / elapsed)}
    for name, kind in (("python_osc_threading", ThreadingOSCUDPServer), ("python_osc_blocking", BlockingOSCUDPServer)):
        received = [0]
        dispatcher = Dispatcher()
        dispatcher.set_default_handler(lambda *args, received=received: received.__setitem__(0, received[0] + 1))
        server = kind(("127.0.0.1", 0), dispatcher)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        elapsed = _send_while_rendering(live, server.server_address[1], count, rate)
        time.sleep(0.5)
        server.shutdown()
        server.server_close()
        results[name] = {"sent": count, "received": received[0], "sent_per_s": round(count / elapsed)}
    results["latency"] = _latency(live)
    live.close()
    return results


def _latency(live: LiveShow, messages: int = 60, fps: float = 60.0) -> dict:
    """A message every ~47 ms from another thread; the frame boundary that applies each is timed."""
    sent: dict[float, float] = {}
    client = SimpleUDPClient("127.0.0.1", live.osc.port)

    def send() -> None:
        for n in range(messages):
            value = 100.0 + n
            sent[value] = time.perf_counter()
            client.send_message("/swarm/hold", value)
            time.sleep(0.047)

    sender = threading.Thread(target=send)
    boundaries: list[float] = []
    applied: dict[float, int] = {}
    sender.start()
    next_frame = time.perf_counter()
    while sender.is_alive() or len(applied) < len(sent):
        boundaries.append(time.perf_counter())
        live.step()
        value = live.frame.params["swarm.hold"]
        applied.setdefault(value, len(boundaries) - 1)
        next_frame += 1.0 / fps
        time.sleep(max(0.0, next_frame - time.perf_counter()))
        if len(boundaries) > messages * 20:
            break
    frames, delays = [], []
    for value, at in sent.items():
        if value in applied:
            boundary = applied[value]
            frames.append(sum(1 for b in boundaries[: boundary + 1] if b >= at))
            delays.append(boundaries[boundary] - at)
    return {
        "fps": fps,
        "messages": messages,
        "applied": len(frames),
        "frame_boundaries_waited_max": max(frames),
        "frame_boundaries_waited_mean": round(sum(frames) / len(frames), 2),
        "ms_to_applying_frame_mean": round(1e3 * sum(delays) / len(delays), 1),
        "ms_to_applying_frame_max": round(1e3 * max(delays), 1),
    }


def audio_figures(ctx, seconds: float = 4.0) -> dict:
    """Analysis per block against one bare FFT of its window; and, where PulseAudio runs, the
    latency from a block's arrival to the frame boundary that hears it, in a live show at 60 fps."""
    blocks = np.random.default_rng(1).uniform(-0.5, 0.5, (2000, BLOCK)).astype(np.float32)
    analyser = Analyser()
    started = time.perf_counter()
    for block in blocks:
        analyser.feed(block)
    feed_s = (time.perf_counter() - started) / len(blocks)
    window = np.zeros(WINDOW, np.float32)
    started = time.perf_counter()
    for _ in range(len(blocks)):
        np.fft.rfft(window)
    fft_s = (time.perf_counter() - started) / len(blocks)
    figures = {"block_samples": BLOCK, "analysis_us_per_block": round(feed_s * 1e6, 1),
               "baseline_one_fft_us": round(fft_s * 1e6, 1), "ratio": round(feed_s / fft_s, 2)}
    sink = shutil.which("pactl") and subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=neoterra_bench"],
                                                    capture_output=True, text=True)
    if not sink or sink.returncode != 0:
        figures["latency"] = "no PulseAudio to play into"
        return figures
    os.environ["PULSE_SOURCE"] = "neoterra_bench.monitor"
    track = Path(tempfile.mkdtemp()) / "hum.wav"
    with wave.open(str(track), "wb") as file:
        file.setnchannels(1), file.setsampwidth(2), file.setframerate(RATE)
        file.writeframes((np.sin(np.arange(int((seconds + 4) * RATE)) * 0.02) * 9000).astype("<i2").tobytes())
    piece = load_piece("default")
    piece.registry.set("swarm.count", 20_000, immediate=True)
    live = LiveShow(ctx, piece, (256, 144), 7, Listening(port=0, query_port=None),
                    connections=Connections(audio_in="pulse"))
    player = subprocess.Popen(["paplay", "--device=neoterra_bench", str(track)])
    latencies, periods, last = [], [], None
    deadline = time.perf_counter() + seconds + 4
    next_frame = time.perf_counter()
    while time.perf_counter() < deadline and len(latencies) < seconds * 60:
        heard = live.audio.samples
        live.audio.latency = 0.0  # this boundary's own figure
        live.step()
        now = time.perf_counter()
        if live.audio.samples > heard:
            latencies.append(live.audio.latency)
            periods.append(now - last if last else 1 / 60)
        last = now
        next_frame += 1 / 60
        time.sleep(max(0.0, next_frame - time.perf_counter()))
    player.kill()
    live.close()
    subprocess.run(["pactl", "unload-module", sink.stdout.strip()], capture_output=True)
    bound = np.mean(periods) + BLOCK / RATE
    figures["latency"] = {"boundaries": len(latencies), "frame_ms_mean": round(np.mean(periods) * 1e3, 1),
                          "ms_median": round(float(np.median(latencies)) * 1e3, 1),
                          "ms_p95": round(float(np.percentile(latencies, 95)) * 1e3, 1),
                          "bound_frame_plus_block_ms": round(bound * 1e3, 1),
                          "p95_over_bound": round(float(np.percentile(latencies, 95)) / bound, 2)}
    return figures


def farm_figures(ctx, frames: int, size=(640, 360)) -> dict:
    """A checkpoint's size and time at 1080p; and a render of `frames` frames on one machine
    against the same on a local Ray farm of 1 and 2 workers (4 segments, PNG frames)."""
    import ray

    from neoterra_glow.farm.job import render_on_farm
    from neoterra_glow.render import Run, render_clip

    run = Run(ctx, load_piece("default"), (1920, 1080), 30, 7)
    for _ in range(3):
        run.step()
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    run.save(folder / "at-3.ckpt")
    saved = time.perf_counter() - started
    run.release()
    run = Run(ctx, load_piece("default"), (1920, 1080), 30, 7)
    started = time.perf_counter()
    run.restore(folder / "at-3.ckpt")
    restored = time.perf_counter() - started
    run.release()
    figures = {"checkpoint_1080p_mb": round((folder / "at-3.ckpt").stat().st_size / 1e6, 1),
               "checkpoint_save_ms": round(saved * 1e3), "checkpoint_restore_ms": round(restored * 1e3)}
    seconds = frames / 30
    started = time.perf_counter()
    render_clip("default", folder / "single", seconds=seconds, fps=30, size=size, ctx=ctx, progress=False)
    single = time.perf_counter() - started
    figures.update(frames=frames, size=list(size), single_s=round(single, 1))
    for workers in (1, 2):
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        started = time.perf_counter()
        render_on_farm("default", folder / f"farm{workers}", seconds=seconds, fps=30, size=size, segments=4, progress=False)
        took = time.perf_counter() - started
        ray.shutdown()
        figures[f"farm_{workers}_workers_s"] = round(took, 1)
        figures[f"farm_{workers}_workers_over_single"] = round(took / single, 2)
    shutil.rmtree(folder)
    return figures


SECTIONS = ("frame_time", "overlap", "swarm", "by_count", "osc", "preset", "audio", "farm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=20, help="frames per measurement")
    parser.add_argument("--bots", type=int, default=1_000_000, help="bots in the swarm figures")
    parser.add_argument("--gpu", action="store_true", help="a GPU's figures: 20M bots, and the festival preset at 1080p and 4K")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="only these figures")
    args = parser.parse_args()
    wanted = set(args.only or [s for s in SECTIONS if s not in ("preset", "farm") or args.gpu])
    gpu = Headless()
    report = {"device": describe(gpu.ctx), "cpu_cores": os.cpu_count()}
    if "frame_time" in wanted:
        report["frame_time"] = [frame_time(gpu.ctx, size, args.frames) for size in ((1280, 720), (1920, 1080))]
    if "overlap" in wanted:
        report["overlap"] = [overlap(gpu.ctx, (1280, 720), args.frames, suffix) for suffix in (".mp4", ".mov")]
    if "swarm" in wanted:
        report.update(swarm_figures(gpu.ctx, args.frames, 20_000_000 if args.gpu else args.bots))
    if "audio" in wanted:
        report["audio"] = audio_figures(gpu.ctx)
    if "by_count" in wanted:
        report["by_count"] = by_count(gpu.ctx, args.frames)
    if "preset" in wanted:
        sizes = ((1920, 1080), (3840, 2160)) if args.gpu else ((1280, 720),)
        report["preset"] = [preset_frame(gpu.ctx, size, args.frames) for size in sizes]
    if "osc" in wanted:
        report["osc"] = osc_figures(gpu.ctx)
    if "farm" in wanted:
        report["farm"] = farm_figures(gpu.ctx, args.frames * 6)
    print(json.dumps(report, indent=2))
    gpu.release()


if __name__ == "__main__":
    main()
