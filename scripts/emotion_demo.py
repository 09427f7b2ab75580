#!/usr/bin/env python3
"""Play an emotional arc into a running show over OSC: calm, hope, joy, grief, hope again,
a festival's joy, and calm. Each tick sends the six channels in one bundle to /emotion/<name>.

  .venv/bin/neoterra-glow show presets/festival.toml       # in one terminal
  .venv/bin/python scripts/emotion_demo.py --seconds 60      # in another
"""

from __future__ import annotations

import argparse
import sys
import time

from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.udp_client import UDPClient

from neoterra_glow.control.emotions import EMOTIONS
from neoterra_glow.control.osc import DEFAULT_HOST, DEFAULT_PORT

# (share of the arc, {emotion: level}); channels not named are low
ARC = [
    (0.00, {"calm": 0.7}),
    (0.15, {"calm": 0.5, "hope": 0.6}),
    (0.32, {"joy": 0.85, "energy": 0.75, "hope": 0.5}),
    (0.50, {"grief": 0.85, "vulnerability": 0.7, "energy": 0.2}),
    (0.66, {"hope": 0.9, "vulnerability": 0.4, "calm": 0.4}),
    (0.84, {"joy": 1.0, "energy": 1.0, "hope": 0.7}),
    (1.00, {"calm": 0.8, "hope": 0.3}),
]
LOW = 0.05


def levels(share: float) -> dict[str, float]:
    """The six channels at a point of the arc, eased between its keyframes."""
    for (a, start), (b, end) in zip(ARC, ARC[1:], strict=False):
        if share <= b:
            t = (share - a) / (b - a)
            t = t * t * (3.0 - 2.0 * t)
            return {e: start.get(e, LOW) + (end.get(e, LOW) - start.get(e, LOW)) * t for e in EMOTIONS}
    return {e: ARC[-1][1].get(e, LOW) for e in EMOTIONS}


def bundle(values: dict[str, float]):
    builder = OscBundleBuilder(IMMEDIATELY)
    for name, value in values.items():
        message = OscMessageBuilder(f"/emotion/{name}")
        message.add_arg(float(value))
        builder.add_content(message.build())
    return builder.build()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--seconds", type=float, default=90.0, help="length of the arc (default 90)")
    parser.add_argument("--rate", type=float, default=30.0, help="bundles per second (default 30)")
    parser.add_argument("--loop", action="store_true", help="play the arc again and again")
    args = parser.parse_args()
    client = UDPClient(args.host, args.port)
    started = time.monotonic()
    try:
        while True:
            share = (time.monotonic() - started) / args.seconds
            if share > 1.0 and not args.loop:
                break
            values = levels(share % 1.0)
            client.send(bundle(values))
            strongest = max(values, key=values.get)
            print(f"\r{share % 1.0:5.0%}  {strongest:<13} {values[strongest]:.2f}", end="", file=sys.stderr, flush=True)
            time.sleep(1.0 / args.rate)
    except KeyboardInterrupt:
        pass
    print(file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
