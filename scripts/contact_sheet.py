#!/usr/bin/env python3
"""A preset's key moments in one labelled PNG, so anyone can review a change of look by eye.

  python scripts/contact_sheet.py festival-finale -o docs/sheets/festival-finale.png

The preset renders through the normal offline path (render.py's Run, on a fixed clock) from its
start; the frames nearest the asked times are kept. By default: eight moments evenly spread over
the preset's length (30 s for one that loops), and faults as they set in, spread over its timeline (up to eight more).
--seconds spreads the moments over another length; --audio gives the piece a track to hear.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout this script is in, not another installed one
from neoterra_glow.audio.files import Soundtrack
from neoterra_glow.cli import parse_size
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.context import Headless
from neoterra_glow.piece import Piece, load_piece
from neoterra_glow.render import Run

EVEN = 8  # evenly spaced moments over the preset's length
MOST_FAULTS = 8  # fault starts shown beside them, spread over the timeline
SPAN = 30.0  # seconds a preset without a length of its own is seen over: a few faces, their morphs and faults
COLUMNS = 4
LABEL = 18  # pixels of caption under each frame


def key_times(length: float, faults) -> list[tuple[float, str]]:
    """(time, caption) of the moments worth seeing: even steps, then faults' starts spread over
    the timeline (a little after each, when its look has set in), sorted by time."""
    moments = {round(length * (i + 0.5) / EVEN, 2): "" for i in range(EVEN)}
    timeline = sorted(faults, key=lambda f: float(f.get("at", 0.0)))
    for fault in [timeline[round(i)] for i in np.linspace(0, len(timeline) - 1, min(len(timeline), MOST_FAULTS))]:
        at = round(float(fault.get("at", 0.0)) + min(0.4, float(fault.get("duration", 1.0)) / 2), 2)
        if at < length:
            moments[at] = f"{moments.get(at, '')} {fault.get('kind', '')}".strip()
    return sorted(moments.items())


def render_moments(piece: Piece, size: tuple[int, int], fps: int, times: list[float], seed: int | None = None,
                   soundtrack: Soundtrack | None = None) -> list[Image.Image]:
    """The piece's frames nearest `times`, rendered from its start through render.py's Run,
    hearing `soundtrack` if given."""
    wanted = sorted({max(round(t * fps), 1) for t in times})
    gpu = Headless()
    run = Run(gpu.ctx, piece, size, fps, piece.preset.seed if seed is None else seed, soundtrack=soundtrack)
    pictures: dict[int, Image.Image] = {}
    try:
        while run.next_index <= wanted[-1]:
            number = run.next_index
            _, image = run.step()
            if number in wanted:
                rgba = np.frombuffer(image.fbo.read(components=4, alignment=1), np.uint8).reshape(size[1], size[0], 4)
                pictures[number] = Image.fromarray(np.ascontiguousarray(rgba[::-1, :, :3]))
    finally:
        run.release()
        gpu.release()
    return [pictures[max(round(t * fps), 1)] for t in times]


def lay_out(title: str, pictures: list[Image.Image], captions: list[str]) -> Image.Image:
    """The frames in rows of COLUMNS, each captioned, under the preset's title."""
    width, height = pictures[0].size
    columns = min(COLUMNS, len(pictures))
    rows = -(-len(pictures) // columns)
    sheet = Image.new("RGB", (columns * width + (columns + 1) * 4, 24 + rows * (height + LABEL + 4)), (12, 12, 14))
    draw = ImageDraw.Draw(sheet)
    draw.text((6, 6), title, fill=(235, 235, 235))
    for number, (picture, caption) in enumerate(zip(pictures, captions, strict=True)):
        x = 4 + (number % columns) * (width + 4)
        y = 24 + (number // columns) * (height + LABEL + 4)
        sheet.paste(picture, (x, y))
        draw.text((x + 2, y + height + 3), caption, fill=(200, 200, 200))
    return sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="a preset's name or TOML file")
    parser.add_argument("-o", "--out", type=Path, help="the PNG to write (default: docs/sheets/PRESET.png)")
    parser.add_argument("--size", type=parse_size, default=(480, 270), help="each frame's size, WxH (default 480x270)")
    parser.add_argument("--fps", type=int, default=12, help="the render's frame rate (default 12)")
    parser.add_argument("--times", type=float, nargs="+", help="seconds to show, instead of the preset's key moments")
    parser.add_argument("--seed", type=int, help="the render's seed (default: the preset's)")
    parser.add_argument("--seconds", type=float, help="the length the key moments spread over (default: the preset's own, or 30)")
    parser.add_argument("--audio", type=Path, help="a sound file the piece hears, for the presets that play with music")
    args = parser.parse_args(argv)
    if args.fps < 1:
        parser.error(f"--fps must be a whole number of frames a second, at least 1, got {args.fps}")
    if args.times and min(args.times) < 0:
        parser.error(f"--times must be seconds from the start, none below 0, got {min(args.times)}")
    try:
        piece = load_piece(args.preset)
        soundtrack = Soundtrack.read(args.audio) if args.audio else None
    except UserError as error:
        print(error, file=sys.stderr)
        return 2
    preset = piece.preset
    length = args.seconds or preset.seconds or SPAN
    moments = [(t, "") for t in args.times] if args.times else key_times(length, preset.faults)
    times = [t for t, _ in moments]
    pictures = render_moments(piece, args.size, args.fps, times, args.seed, soundtrack)
    captions = [f"{t:5.1f} s  {caption}" for t, caption in moments]
    out = args.out or Path("docs/sheets") / f"{Path(args.preset).stem}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    lay_out(f"{preset.title}  ({Path(args.preset).stem}, seed {args.seed if args.seed is not None else preset.seed})",
            pictures, captions).save(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
