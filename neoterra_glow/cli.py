"""neoterra-glow: the command line. With no command it runs the main job:
a window with the default preset where there is a display, else a short clip."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import math
import os
import signal
import sys
from fractions import Fraction
from pathlib import Path

from neoterra_glow.control.osc import DEFAULT_HOST, DEFAULT_PORT
from neoterra_glow.core.presets import MAX_SEED
from neoterra_glow.devices import NDI_WAIT, report, survey
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.context import GpuError
from neoterra_glow.output.encoders import VideoFile
from neoterra_glow.resources import engine_version

DEFAULT_PRESET = "default"
DEFAULT_CLIP = Path("renders/default.mp4")
_USER_ERRORS = (UserError, OSError)  # OSError: a file, a folder or a port the system refused



def _whole(what: str, low: int, high: int, low_means: str = ""):
    """An argument type: a whole number in low..high, checked where it is typed, so a bad one
    is a line, not a traceback."""
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}: a {what} is a whole number from {low}{low_means} to {high}")
        return number

    return parse


port = _whole("port", 0, 65535, " (any free one)")
seed = _whole("seed", 0, MAX_SEED)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x720, got {text!r}") from None
    if not (16 <= width <= 16384 and 16 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"{text}: each side must be between 16 and 16384 pixels")
    return width, height


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if not 0 < value < math.inf:
            raise argparse.ArgumentTypeError(f"must be more than zero (and finite), got {text}")
        return value

    return parse


def frames_per_second(text: str):
    """--fps: frames per second, exact: 30, 29.97 (30000/1001), 59.94, 23.976 or N/D."""
    from neoterra_glow.output.rate import frame_rate

    try:
        return frame_rate(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def bitrate(text: str) -> int:
    """--audio-bitrate: bits a second, such as 192k or 256000, from 32k to 512k (what AAC takes)."""
    try:
        bits = round(float(text[:-1]) * 1000) if text.lower().endswith("k") else int(text)
    except ValueError:
        bits = 0
    if not 32_000 <= bits <= 512_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not an audio bitrate: bits a second from 32k to 512k, such as 192k")
    return bits


class _Refusing(argparse.ArgumentParser):
    """A parser that refuses in one line: install-service checks the show's arguments with it."""

    def error(self, message: str):
        raise UserError(message)


def build_parser(kind: type[argparse.ArgumentParser] = argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser = kind(prog="neoterra-glow", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the engine is doing")
    parser.add_argument("--version", action="version", version=f"neoterra-glow {engine_version()}")
    parser.add_argument("--log-file", type=Path, metavar="FILE",
                        help="also log to FILE, rotated at 10 MB with 5 kept (for shows that run for weeks)")
    commands = parser.add_subparsers(dest="command")

    render = commands.add_parser("render", help="render a preset to .mp4 (H.264), .mov (ProRes 4444) or a PNG folder")
    render.add_argument("preset", help="a preset file, or the name of one in presets/")
    render.add_argument("-o", "--output", type=Path, required=True, help="clip.mp4, clip.mov, or a folder for PNGs")
    render.add_argument("--seconds", type=_positive(float), help="length (default: the preset's own, or 10)")
    render.add_argument("--fps", type=frames_per_second, help="frames per second: 30, 29.97, 59.94, 23.976 or N/D such as 30000/1001 "
                        "(default: a replayed set's own rate, else 30)")
    render.add_argument("--size", type=parse_size, default=(1280, 720), help="WIDTHxHEIGHT (default 1280x720)")
    render.add_argument("--seed", type=seed, help="override the preset's seed")
    render.add_argument("--replay", type=Path, help="a session recorded with show --record-session, played again frame for frame, "
                        "each at the time it was shown")
    render.add_argument("--slices", type=Path, metavar="VENUE",
                        help="a venue file (canvas and slices): one file per projector, OUT-name.mp4, through its keystone")
    render.add_argument("--audio", type=Path, metavar="TRACK",
                        help="a sound file (wav, flac, mp3 ...) the piece moves to and the video carries; its length by default")
    render.add_argument("--audio-bitrate", type=bitrate, metavar="BITS",
                        help="the .mp4's AAC sound: 192k (default for stereo, 96k for mono) up to 512k")
    render.add_argument("--codec", choices=tuple(VideoFile.MEDIA_SERVER),
                        help="for media servers, in the .mov instead of ProRes: dxv (Resolume DXV, no alpha) or hap "
                             "(HAP with alpha, where PyAV's FFmpeg has its encoder)")
    render.add_argument("--farm", metavar="ray[:ADDRESS]", type=farm,
                        help="render in segments on Ray (the [farm] extra): alone, on this machine's cores; with an address "
                             "(HOST:PORT, or auto), on that cluster")
    render.add_argument("--segments", type=_positive(int), default=4, help="how many segments a farm render is cut into (default 4)")

    show = commands.add_parser("show", help="run presets live, in a window or headless, under OSC control")
    show.add_argument("presets", nargs="*", default=[DEFAULT_PRESET], help="the first runs; the others are a key (n/p) or a cue away")
    show.add_argument("--size", type=parse_size, default=(1280, 720),
                      help="WIDTHxHEIGHT the piece renders at (default 1280x720)")
    show.add_argument("--seed", type=seed, help="override the preset's seed")
    show.add_argument("--headless", action="store_true", help="no window: render offscreen, for servers and tests")
    show.add_argument("--fps", type=frames_per_second, default=Fraction(60),
                      help="frames per second when headless, as for render (default 60); its session records it")
    show.add_argument("--osc-host", default=DEFAULT_HOST, help="address to listen on (default 127.0.0.1; 0.0.0.0 is every interface)")
    show.add_argument("--osc-port", type=port, default=DEFAULT_PORT, help=f"UDP port for OSC (default {DEFAULT_PORT})")
    show.add_argument("--oscquery-port", type=port, default=DEFAULT_PORT + 1, help=f"HTTP port for OSCQuery (default {DEFAULT_PORT + 1})")
    show.add_argument("--no-oscquery", action="store_true", help="do not serve OSCQuery")
    show.add_argument("--osc-allow", default="", help="comma-separated sender addresses; others are refused")
    show.add_argument("--state", type=Path, metavar="FILE",
                      help="write the show's state here every few seconds, and resume from it at the start")
    show.add_argument("--service", action="store_true",
                      help="run under systemd: say when ready, and send a heartbeat every frame (see install-service)")
    show.add_argument("--allow-dir", type=Path, action="append", default=[], metavar="DIR",
                      help="a folder senders may name files in (/scene/go, /murals/add), besides the preset's own")
    show.add_argument("--mdns", action="store_true", help="advertise OSCQuery over mDNS (_oscjson._tcp)")
    show.add_argument("--record-session", type=Path, help="log every frame's clock and control to S.oscrec, for render --replay")
    show.add_argument("--fullscreen", action="store_true", help="fill the monitor (f toggles)")
    show.add_argument("--monitor", help="the monitor to show on: its index (0, 1 ...) or part of its name")
    show.add_argument("--calibration", type=Path, default=Path("calibration.json"),
                      help="keystone and soft edges, kept between shows; or a venue file: a wall of slices")
    show.add_argument("--outputs", choices=("span", "windows"), default="span",
                      help="a wall: one borderless window spanning its monitors (default), or one fullscreen window "
                           "per monitor, where the platform keeps monitors apart")
    show.add_argument("--fixtures", type=Path, metavar="FILE",
                      help="the venue's DMX lights (TOML): fixtures that follow parts of the picture, sent as sACN or Art-Net")
    show.add_argument("--mtc-out", metavar="PORT",
                      help="send the show's clock as MIDI timecode (25 fps): part of an output's name, or a virtual port to open")
    show.add_argument("--ltc-out", metavar="DEVICE",
                      help="send the show's clock as LTC (25 fps) to an audio output: its index or part of its name")
    chase = show.add_mutually_exclusive_group()
    chase.add_argument("--mtc-in", metavar="PORT",
                       help="the cue list chases MIDI timecode (24, 25 or 30 fps) from a desk: part of an input's name, or a "
                            "virtual port to open; the HUD and OSCQuery (timecode.*) say whether it is locked")
    chase.add_argument("--ltc-in", metavar="DEVICE",
                       help="the cue list chases LTC (24, 25 or 30 fps) arriving on an audio input: its index or part of its name")
    show.add_argument("--mtc-stop", choices=("hold", "freewheel"), default="hold",
                      help="when the timecode in (MIDI or LTC) stops: the piece holds where it is (default), or runs on by itself")
    show.add_argument("--cues", type=Path, help="a cue list: [[cue]] tables firing scenes and glitches at times or by name")
    show.add_argument("--midi", metavar="PORT", help="a MIDI controller: part of its port's name (see --midi-map)")
    show.add_argument("--midi-map", type=Path, metavar="FILE",
                      help="the controller's mappings, learned and saved (default: midi.toml beside the calibration)")
    show.add_argument("--stream", nargs="+", action="append", default=[], metavar=("URL", "WxH FPS"),
                      help="send the picture on: udp://host:port or tcp://host:port (MPEG-TS) or rtmp://..., ndi://NAME, or "
                           "v4l2:/dev/videoN (a virtual camera, with v4l2loopback), pipewire://NAME (a PipeWire video node), "
                           "optionally at its own size and frame rate (default 1280x720 30); repeat for more")
    show.add_argument("--audience", type=port, metavar="PORT",
                      help="serve the participation page on PORT: visitors send smiles and feelings from their phones")
    show.add_argument("--audience-host", default="0.0.0.0", metavar="HOST",
                      help="the address the page listens on (default every interface, for phones on the venue's network)")
    show.add_argument("--link", action="store_true", help="take the tempo from the Ableton Link session (the [link] extra, GPL)")
    show.add_argument("--lead", type=lead_address, metavar="[HOST:]PORT",
                      help="lead a wall of machines: followers join on this TCP port, on HOST's interface (default 127.0.0.1, "
                           "this machine only; 0.0.0.0 is every interface); needs --headless and --wall-key; --size is the canvas")
    show.add_argument("--follow", metavar="HOST:PORT", help="follow a wall's leader, showing --tile of its canvas (needs --wall-key)")
    show.add_argument("--wall-key", type=Path, metavar="FILE",
                      help="the wall's key, made once with `neoterra-glow wall-key FILE` and copied to every machine of the wall")
    show.add_argument("--tile", type=tile, metavar="X,Y,W,H", help="the follower's part of the canvas, in pixels (overlaps allowed)")
    show.add_argument("--keep-frames", type=Path, metavar="DIR", help="a follower keeps a PNG of every frame it presents")
    show.add_argument("--audio-in", metavar="DEVICE", nargs="?", const="",
                      help="hear live sound: a capture device's index or part of its name (alone: the default input)")
    show.add_argument("--camera", metavar="DEVICE", nargs="?", const="/dev/video0",
                      help="the smile mirror: measure the room's smiles from a v4l2 camera (alone: /dev/video0) or a video file "
                           "standing in for one; only numbers leave the camera's process, no image is kept")

    service = commands.add_parser("install-service", help="write a systemd unit that runs a show and brings it back")
    service.add_argument("--unit-dir", type=Path, help="where the unit goes (default: the user's units, $XDG_CONFIG_HOME/systemd/user)")
    service.add_argument("--folder", type=Path, default=Path.cwd(), help="where the show runs and keeps its log and state")
    service.add_argument("--name", default="neoterra-glow", help="the unit's name (default neoterra-glow)")
    service.add_argument("--display", help="the X display the show's window opens on (default: $DISPLAY here)")
    service.add_argument("--force", action="store_true", help="replace a unit of that name that is there already")
    service.add_argument("show_args", nargs=argparse.REMAINDER, help="what to give `show`: presets and options")

    wall_key = commands.add_parser("wall-key", help="make a wall's key: a file, readable by its owner only, to copy to each machine")
    wall_key.add_argument("file", type=Path, help="where to write it (never over an existing file)")

    send = commands.add_parser("osc-send", help="send one OSC message, to try a show's controls")
    send.add_argument("address", help="e.g. /swarm/brightness or /emotion/joy")
    send.add_argument("values", nargs="*", help="numbers, true/false, or text")
    send.add_argument("--host", default=DEFAULT_HOST, help=f"the show's machine (default {DEFAULT_HOST})")
    send.add_argument("--port", type=port, default=DEFAULT_PORT, help=f"the show's OSC port (default {DEFAULT_PORT})")

    glyphs = commands.add_parser("glyphs", help="draw a contact sheet of smile glyphs for names, stories or glyph files")
    glyphs.add_argument("sources", nargs="+", help='names or stories ("Elara"), or .svg/.png glyph files')
    glyphs.add_argument("-o", "--output", type=Path, required=True, help="the sheet, a .png")
    glyphs.add_argument("--cell", type=_positive(int), default=256, help="pixels per glyph (default 256)")

    graph = commands.add_parser("graph", help="print the frame graph: each stage, what it makes and what it reads")
    graph.add_argument("preset", nargs="?", help="with this preset's mural layers")

    devices = commands.add_parser("devices", help="list the audio devices, MIDI ports, monitors, cameras and NDI sources there are")
    devices.add_argument("--ndi-wait", type=_positive(float), default=NDI_WAIT, metavar="SECONDS",
                         help=f"how long to listen for NDI sources (default {NDI_WAIT:g})")

    params = commands.add_parser("params", help="list every parameter with its type, range, default, OSC address and doc")
    params.add_argument("preset", nargs="?", help="list this preset's parameters (its mural layers have their own)")
    return parser


def run_params(preset: str | None) -> None:
    from neoterra_glow.piece import load_piece
    from neoterra_glow.pipeline import declare_params

    registry = load_piece(preset).registry if preset else declare_params()
    rows = [("PATH", "TYPE", "RANGE", "VALUE" if preset else "DEFAULT", "OSC ADDRESS", "DOC")]
    for param in registry:
        default = registry.value(param.path)
        if isinstance(default, tuple):
            default = "[" + ", ".join(f"{v:.3g}" for v in default) + "]"
        rows.append((param.path, param.kind, param.describe_range(), str(default), param.osc_address, param.doc))
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[5])


def run_graph(preset: str | None) -> None:
    from neoterra_glow.piece import load_piece
    from neoterra_glow.pipeline import describe

    print("\n".join(describe(load_piece(preset).layers if preset else None)))


def parse_osc_value(text: str):
    """A command-line word as an OSC argument: an int, a float, true/false, or text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def run_osc_send(args) -> int:
    from pythonosc.udp_client import SimpleUDPClient

    if not args.address.startswith("/"):
        raise UserError(f"{args.address}: an OSC address starts with /")
    SimpleUDPClient(args.host, args.port).send_message(args.address, [parse_osc_value(v) for v in args.values])
    return 0


def tile(text: str) -> tuple[int, int, int, int]:
    try:
        x, y, width, height = (int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a tile is X,Y,WIDTH,HEIGHT in pixels, such as 0,0,1920,1080") from None
    return x, y, width, height


def lead_address(text: str) -> tuple[str, int]:
    """--lead [HOST:]PORT: the interface followers join on (this machine only by default) and the port."""
    host, _, number = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", port(number)


def _wall_key(args) -> bytes:
    from neoterra_glow.wall.key import read_key

    if args.wall_key is None:
        raise UserError("a wall needs --wall-key FILE: make one with `neoterra-glow wall-key FILE` and copy it to every machine")
    return read_key(args.wall_key)


def run_show(args) -> int:
    from neoterra_glow.live.show import Connections, Listening, show

    if args.follow:
        from neoterra_glow.wall.follower import follow

        if args.tile is None:
            raise UserError("--follow needs --tile X,Y,W,H: the part of the canvas this machine shows")
        preset = args.presets[0] if args.presets != [DEFAULT_PRESET] else None
        follow(args.follow, args.tile, _wall_key(args), preset=preset, seed=args.seed, keep=args.keep_frames, headless=args.headless,
               fullscreen=args.fullscreen, monitor=args.monitor, calibration=args.calibration)
        return 0
    lead = None
    if args.lead is not None:
        from neoterra_glow.wall.leader import WallLeader

        if not args.headless or args.audio_in is not None or args.stream or args.audience is not None:
            raise UserError("--lead runs headless, as the wall's control (its followers show it), without --audio-in, "
                            "--stream or --audience, which a wall does not carry yet")
        key = _wall_key(args)

        def lead(ctx, live):
            return WallLeader(ctx, live.piece.preset.path, live.seed, live.pipeline.size, live.clock.epoch, float(args.fps),
                              *args.lead, key)

    allow = frozenset(a.strip() for a in args.osc_allow.split(",") if a.strip())
    listening = Listening(
        args.osc_host, args.osc_port, None if args.no_oscquery else args.oscquery_port, allow, args.mdns
    )
    from neoterra_glow.direction.cues import read_cues

    show(
        args.presets, args.size, args.seed, headless=args.headless, listening=listening, fps=args.fps,
        record=args.record_session, fullscreen=args.fullscreen, monitor=args.monitor, calibration=args.calibration,
        outputs=args.outputs, lead=lead, cues=read_cues(args.cues) if args.cues else [], allow_dirs=tuple(args.allow_dir), state=args.state,
        service=args.service, connections=Connections(
            audio_in=args.audio_in, midi=args.midi, midi_map=args.midi_map or args.calibration.with_name("midi.toml"),
            streams=tuple(_stream(words) for words in args.stream), link=args.link,
            audience=(args.audience_host, args.audience) if args.audience is not None else None, camera=args.camera,
            fixtures=args.fixtures, mtc_out=args.mtc_out, mtc_in=args.mtc_in, mtc_stop=args.mtc_stop,
            ltc_in=args.ltc_in, ltc_out=args.ltc_out),
    )
    return 0


def _stream(words: list[str]) -> tuple[str, tuple[int, int], Fraction]:
    """--stream URL [WxH] [FPS]."""
    if len(words) > 3:
        raise UserError(f"--stream {' '.join(words)}: give a URL, then optionally WxH and FPS")
    try:
        size = parse_size(words[1]) if len(words) > 1 else (1280, 720)
        fps = frames_per_second(words[2]) if len(words) > 2 else Fraction(30)
    except (argparse.ArgumentTypeError, ValueError) as error:
        raise UserError(f"--stream {' '.join(words)}: {error}") from None
    return words[0], size, fps


def run_install_service(args) -> int:
    from neoterra_glow.live.service import install

    try:  # the unit runs `show` with them: a word show does not take is refused now, not at every restart
        build_parser(_Refusing).parse_args(["show", *args.show_args])
    except UserError as error:
        raise UserError(f"install-service: the show's arguments {' '.join(args.show_args)!r}: {error}") from None
    unit_dir = args.unit_dir or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"
    unit = install(args.show_args, args.folder, unit_dir, args.name, args.display, args.force)
    print(f"wrote {unit}\nstart it now and at every boot with:\n"
          f"  systemctl --user daemon-reload && systemctl --user enable --now {args.name}\n"
          f"and keep it running when nobody is logged in:  loginctl enable-linger {os.environ.get('USER', '$USER')}")
    return 0


def run_glyphs(args) -> int:
    from neoterra_glow.glyphs.sheet import contact_sheet
    from neoterra_glow.glyphs.sources import load_glyph

    if args.output.suffix.lower() != ".png":
        raise UserError(f"{args.output}: a contact sheet is written as .png")
    path = contact_sheet([load_glyph(source) for source in args.sources], args.output, cell=args.cell)
    print(f"wrote {len(args.sources)} glyphs to {path.resolve()}")
    return 0


def farm(text: str) -> str:
    """--farm ray or ray:ADDRESS: the Ray address ("" for a cluster started here)."""
    kind, _, address = text.partition(":")
    if kind != "ray":
        raise argparse.ArgumentTypeError(f"{text!r}: the farm is ray or ray:HOST:PORT")
    return address


def run_render(args) -> int:
    from neoterra_glow.render import render_clip

    if args.farm is not None:
        from neoterra_glow.farm.job import render_on_farm

        if args.audio or args.slices or args.codec:
            raise UserError("--farm renders a preset or a replay into one file; render --audio, --slices and --codec on one machine")
        return _report(render_on_farm(args.preset, args.output, seconds=args.seconds, fps=args.fps, size=args.size,
                                      seed=args.seed, replay=args.replay, address=args.farm or None, segments=args.segments))
    result = render_clip(
        args.preset, args.output, seconds=args.seconds, fps=args.fps, size=args.size, seed=args.seed, replay=args.replay,
        audio=args.audio, slices=args.slices, audio_bitrate=args.audio_bitrate, codec=args.codec,
    )
    return _report(result)


def _report(result) -> int:
    """Say where the frames went; 130, as for Ctrl-C, when the render was stopped early."""
    if result.interrupted:
        print(f"interrupted: the {result.frames} frames rendered are in {result.path.resolve()}", file=sys.stderr)
        return 130
    where = ", ".join(str(path.resolve()) for path in result.slices) or result.path.resolve()
    print(f"wrote {result.frames} frames to {where}")
    return 0


def run_main_job() -> int:
    """Show the default preset where there is a display; otherwise render a short clip of it."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        from neoterra_glow.live.show import show

        try:
            show([DEFAULT_PRESET], (1280, 720))
            return 0
        except GpuError as error:
            print(f"neoterra-glow: no window ({error}); rendering a clip instead", file=sys.stderr)
    from neoterra_glow.render import render_clip

    print(f"no display: rendering 8 seconds of the default preset to {DEFAULT_CLIP}", file=sys.stderr)
    return _report(render_clip(DEFAULT_PRESET, DEFAULT_CLIP, seconds=8, fps=30, size=(1280, 720)))


def _stop_gently(signum, frame) -> None:
    """SIGTERM (service managers, `timeout`) ends a show or render as Ctrl-C does: files finished."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_gently)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="neoterra-glow: %(levelname)s: %(message)s"
    )
    if args.log_file:
        try:
            handler = logging.handlers.RotatingFileHandler(args.log_file, maxBytes=10_000_000, backupCount=5, encoding="utf-8")
        except OSError as error:
            print(f"neoterra-glow: error: --log-file {args.log_file}: {error.strerror or error}", file=sys.stderr)
            return 2
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    try:
        if args.command == "render":
            return run_render(args)
        if args.command == "show":
            return run_show(args)
        if args.command == "install-service":
            return run_install_service(args)
        if args.command == "wall-key":
            from neoterra_glow.wall.key import make_key

            make_key(args.file)
            print(f"wrote the wall's key to {args.file.resolve()}: copy it to every machine of the wall (owner-only, as here)")
            return 0
        if args.command == "osc-send":
            return run_osc_send(args)
        if args.command == "glyphs":
            return run_glyphs(args)
        if args.command == "params":
            run_params(args.preset)
            return 0
        if args.command == "devices":
            print(report(survey(args.ndi_wait)))
            return 0
        if args.command == "graph":
            run_graph(args.preset)
            return 0
        return run_main_job()
    except _USER_ERRORS as error:
        print(f"neoterra-glow: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # what a render or show had finished is already said and kept
        print("neoterra-glow: interrupted before the first frame; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
