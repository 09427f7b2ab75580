"""The control desk: what arrives over OSC, applied to the running piece at a frame boundary.

Every parameter is at its address (`swarm.brightness` at /swarm/brightness), and
patterns reach many at once (/murals/*/opacity). Besides parameters, the commands of
control/commands.py: /emotion/va, /murals/add, /murals/remove, /murals/move,
/glitch/trigger, /scene/go, /scene/start and /cue.

Wrong types, unknown addresses and values that are not numbers are counted and
logged (once per kind every few seconds); they change nothing else.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from neoterra_glow.audience.guard import wall_text
from neoterra_glow.control.beat import BeatClock
from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.control.emotions import from_valence_arousal
from neoterra_glow.control.message import Control
from neoterra_glow.control.patterns import is_pattern, pattern_regex
from neoterra_glow.core.folders import FolderError, Folders
from neoterra_glow.core.params import Kind, Param, ParamError, Registry
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.glitch.malfunction import Malfunction
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.murals.layers import find_shader, layer_spec
from neoterra_glow.murals.stack import MuralStack

log = logging.getLogger(__name__)

BUDGET_SECONDS = 0.004  # time a frame gives patterns and commands; at 60 fps a quarter of a frame


class Desk:
    keeps = ("time", "beat")

    def __init__(
        self,
        registry: Registry,
        murals: MuralStack,
        malfunction: Malfunction,
        base: Path,
        rejections: Rejections,
        director=None,
        readable: Folders | None = None,
    ) -> None:
        self.registry = registry
        self.readable = readable  # where a sender may have files read from; None: anywhere (a replay)
        self.murals = murals
        self.malfunction = malfunction
        self.director = director  # scenes and cues, where the show has them
        self.base = base
        self.rejections = rejections
        self.applied = 0
        self.last_set: str | None = None  # the parameter last set by its address: what the operator's learn key arms
        self.midi = None  # the MIDI controller, where the show has one
        self.wall = None  # the swarm stage, which visitors' smiles join
        self.audience = None  # the participation server, where the show has one: its drawn glyphs and waiting texts
        self.time = 0.0
        self.beat = BeatClock()  # taps, /bpm and /beat land here; the show adds MIDI clock and the sound
        self._matches: dict[str, list[Param]] = {}  # pattern -> parameters, for this registry version
        self._version = registry.version
        self._commands = {address: getattr(self, method) for address, (_, _, method) in COMMANDS.items()}

    def apply(self, messages: Iterable[Control], now: float = 0.0) -> list[Control]:
        """Apply the frame's messages in order, at `now` on the show's clock (the last frame's);
        the ones that took effect, in the order they did (the refused are only counted).

        Control has a budget. A parameter sent by its own address many times in a frame is
        checked each time but set once, with its last good value, before anything that could
        see it (a pattern or a command) is applied. Patterns and commands, which cost more,
        get BUDGET_SECONDS of a frame; the rest are dropped and counted. The OSC server holds
        at most MAX_PENDING messages, so a flood costs little and starves nothing.
        """
        self.time = now
        applied: list[Control] = []
        settled: dict[str, tuple[Control, Any]] = {}  # path -> its last good message and value

        def settle() -> None:
            for path, (message, value) in settled.items():
                self.registry.set(path, value)
                applied.append(message)
                self.last_set = path
            settled.clear()

        spent, dropped = 0.0, 0
        for message in messages:
            try:
                param = self.registry.at_address(message.address)
                if param is not None:
                    settled.pop(param.path, None)
                    settled[param.path] = (message, self._checked(param, message.args))
                elif spent > BUDGET_SECONDS:
                    dropped += 1
                    continue
                else:
                    started = time.perf_counter()
                    settle()
                    try:
                        self._apply(message.address, message.args)
                    finally:
                        spent += time.perf_counter() - started
                    applied.append(message)
                self.applied += 1
            except _Refused as refusal:
                self.rejections.count(refusal.kind, refusal.detail(message))
            except Exception as error:  # whatever a message causes, the show goes on
                log.exception("%s %s", message.address, _shown(message.args))
                self.rejections.count("refused", f"{message.address} {_shown(message.args)}: {error}")
        settle()
        if dropped:
            self.rejections.count("over budget", f"{dropped} patterns and commands dropped: more than a frame has time for", dropped)
        return applied

    def _checked(self, param: Param, args: tuple) -> Any:
        """The value the arguments give the parameter; refused if unusable, noted if clamped."""
        if param.measured:
            raise _Refused("read-only", f"{param.path} is measured from the sound; it cannot be set")
        try:
            value, note = param.check(_value(param, args))
        except ParamError as error:
            raise _Refused("not a number" if "not a usable number" in str(error) else "wrong type", str(error)) from None
        if note:  # out of range: used clamped, and said once in a while rather than per message
            self.rejections.count("clamped", note)
        return value

    def _apply(self, address: str, args: tuple) -> None:
        if address in self._commands:
            self._commands[address](args)
            return
        for param in self._addressed(address):
            self.registry.set(param.path, self._checked(param, args))

    def _addressed(self, address: str) -> list[Param]:
        if not is_pattern(address):
            param = self.registry.at_address(address)
            if param is not None:
                return [param]
            raise _Refused("unknown address", lambda: self.registry.unknown(address.strip("/").replace("/", ".")))
        if self._version != self.registry.version or len(self._matches) > 256:
            self._matches.clear()
            self._version = self.registry.version
        if address not in self._matches:
            try:
                regex = pattern_regex(address)
            except ValueError as error:
                raise _Refused("bad pattern", str(error)) from None
            self._matches[address] = [param for param in self.registry if regex.match(param.osc_address) and not param.measured]
        matched = self._matches[address]
        if not matched:
            raise _Refused("unknown address", "the pattern matches no parameter")
        return matched

    def _valence_arousal(self, args: tuple) -> None:
        numbers = _numbers(args, 2, "valence and arousal")
        for name, value in from_valence_arousal(*numbers).items():
            self.registry.set(f"emotion.{name}", value)

    def _add_layer(self, args: tuple) -> None:
        if not args or not isinstance(args[0], str):
            raise _Refused("wrong type", "expected a shader name, then optionally a layer name and a place")
        table = {"shader": args[0]}
        if len(args) > 1 and isinstance(args[1], str):
            table["name"] = args[1]
        place = args[-1] if len(args) > 1 and isinstance(args[-1], int) and not isinstance(args[-1], bool) else None
        try:
            self._may_read(find_shader(args[0], self.base))
            spec = layer_spec(table, self.base, tuple(self.murals.names()))
            for image in spec.header.imported.values():
                self._may_read(image)
            self.murals.add(spec, self.registry, place)
        except ValueError as error:  # a broken shader or image adds nothing (their errors are UserErrors)
            raise _Refused("refused layer", str(error)) from None

    def _remove_layer(self, args: tuple) -> None:
        if len(args) != 1 or not isinstance(args[0], str):
            raise _Refused("wrong type", "expected a layer name")
        try:
            self.murals.remove(args[0], self.registry)
        except ValueError as error:
            raise _Refused("refused layer", str(error)) from None

    def _move_layer(self, args: tuple) -> None:
        if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], int) or isinstance(args[1], bool):
            raise _Refused("wrong type", "expected a layer name and a place (0 is the bottom)")
        try:
            self.murals.move(args[0], args[1])
        except ValueError as error:
            raise _Refused("refused layer", str(error)) from None


    def _tap(self, args: tuple) -> None:
        tempo = self.beat.tap(self.time)
        if tempo:
            self.registry.set("glitch.bpm", min(tempo, self.registry["glitch.bpm"].range[1]))

    def _bpm(self, args: tuple) -> None:
        (bpm,) = _numbers(args, 1, "beats a minute")
        if not 0.0 <= bpm <= 300.0:
            raise _Refused("clamped", f"/bpm {bpm}: a tempo is 0 (none) to 300")
        self.beat.osc_bpm(self.time, bpm)

    def _beat(self, args: tuple) -> None:
        if len(args) > 1 or (args and (not isinstance(args[0], int) or isinstance(args[0], bool))):
            raise _Refused("wrong type", "expected nothing, or which beat of the bar (0 to 3)")
        self.beat.osc_beat(self.time, args[0] if args else None)

    def _trigger_fault(self, args: tuple) -> None:
        if not args or not isinstance(args[0], str):
            raise _Refused("wrong type", "expected a fault kind, then optionally intensity, seconds and envelope")
        numbers = [a for a in args[1:3] if isinstance(a, (int, float)) and not isinstance(a, bool)]
        envelope = args[3] if len(args) > 3 and isinstance(args[3], str) else "spike"
        try:
            self.malfunction.trigger(args[0], *(float(n) for n in numbers), envelope=envelope)
        except (TypeError, ValueError) as error:
            raise _Refused("refused fault", str(error)) from None


    def _go(self, args: tuple) -> None:
        if not args or not isinstance(args[0], str) or self.director is None:
            raise _Refused("wrong type", "expected a preset to go to, and optionally the seconds of the crossfade")
        seconds = float(args[1]) if len(args) > 1 and isinstance(args[1], (int, float)) and not isinstance(args[1], bool) else 4.0
        try:
            self._may_read(self.director.where(args[0]))
            self.director.go(args[0], seconds)
        except (ValueError, OSError) as error:  # a broken preset, shader or file: the show goes on as it was
            raise _Refused("refused scene", str(error)) from None

    def _start_scene(self, args: tuple) -> None:
        if len(args) != 2 or not isinstance(args[0], str) or not isinstance(args[1], (int, float)) or self.director is None:
            raise _Refused("wrong type", "expected a preset and the seconds of the crossfade")
        try:
            self._may_read(self.director.where(args[0]))
            self.director.start(args[0], float(args[1]))
        except (ValueError, OSError) as error:  # a broken preset, shader or file: the show goes on as it was
            raise _Refused("refused scene", str(error)) from None

    def _may_read(self, path: Path | None) -> None:
        if path is not None and self.readable is not None:
            try:
                self.readable.check(path)
            except FolderError as error:
                raise _Refused("outside the show's folders", str(error)) from None

    def _learn(self, args: tuple) -> None:
        if len(args) != 1 or not isinstance(args[0], str):
            raise _Refused("wrong type", "expected a parameter's path, such as swarm.brightness")
        if self.midi is None:
            raise _Refused("refused learn", "this show has no MIDI controller (show --midi PORT)")
        try:
            self.midi.learn(args[0], self.registry)
        except ValueError as error:
            raise _Refused("refused learn", str(error)) from None

    def _wall_add(self, args: tuple) -> None:
        if len(args) != 1 or not isinstance(args[0], str) or self.wall is None:
            raise _Refused("wrong type", "expected the name or story whose smile joins the wall")
        drawn = self.audience.glyphs.pop(args[0], None) if self.audience is not None else None
        try:  # the server drew it; a replay draws it again, the same
            glyph = drawn or smile_glyph(wall_text(args[0], "story"))
        except ValueError as error:
            raise _Refused("refused glyph", str(error)) from None
        self.wall.add(glyph, self.registry.value("audience.wall"))

    def _approve(self, args: tuple, approved: bool = True) -> None:
        if len(args) != 1 or not isinstance(args[0], int) or isinstance(args[0], bool) or self.audience is None:
            raise _Refused("wrong type", "expected the number of a waiting name or story (this show must have --audience)")
        try:
            self.audience.decide(args[0], approved)
        except ValueError as error:
            raise _Refused("refused approval", str(error)) from None

    def _reject(self, args: tuple) -> None:
        self._approve(args, approved=False)

    def _cue(self, args: tuple) -> None:
        if len(args) != 1 or not isinstance(args[0], str) or self.director is None:
            raise _Refused("wrong type", "expected the name of a cue")
        try:
            controls = self.director.cues.named(args[0])
        except ValueError as error:
            raise _Refused("refused cue", str(error)) from None
        for control in controls:
            self._apply(control.address, control.args)


class _Refused(Exception):
    """A message refused, by kind; `reason` may be a function, worked out only when reported."""

    def __init__(self, kind: str, reason: str | Callable[[], str]) -> None:
        super().__init__(kind)
        self.kind = kind
        self.reason = reason

    def detail(self, message: Control) -> Callable[[], str]:
        reason = self.reason
        return lambda: f"{message.address} {_shown(message.args)}: {reason() if callable(reason) else reason}"


def _value(param: Param, args: tuple) -> Any:
    """The value a message's arguments give a parameter of this kind (checked again by the registry)."""
    kind = param.kind
    if kind is Kind.TRIGGER:
        return bool(args[0]) if args else True
    if kind is Kind.COLOUR:
        if len(args) == 1 and isinstance(args[0], int) and not isinstance(args[0], bool):  # OSC 'r': 0xRRGGBBAA
            return [((args[0] >> shift) & 0xFF) / 255.0 for shift in (24, 16, 8)]
        if len(args) == 1:
            return args[0]  # "#rrggbb"
        return list(_numbers(args[:3], 3, "r g b") if len(args) in (3, 4) else _numbers(args, 3, "r g b"))
    if kind is Kind.VEC2:
        return list(_numbers(args, 2, "x y"))
    if len(args) != 1:
        raise _Refused("wrong type", f"expected one value, got {len(args)}")
    value = args[0]
    if kind in (Kind.FLOAT, Kind.INT) and isinstance(value, float) and not math.isfinite(value):
        raise _Refused("not a number", f"{param.path}: {value} is not a usable number; keeping the previous value")
    return value


def _numbers(args: tuple, count: int, what: str) -> tuple[float, ...]:
    if len(args) != count or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
        raise _Refused("wrong type", f"expected {count} numbers ({what})")
    if not all(math.isfinite(a) for a in args):
        raise _Refused("not a number", "NaN or infinity; keeping the previous value")
    return tuple(float(a) for a in args)


def _shown(args: tuple) -> str:
    text = " ".join(repr(a) for a in args)
    return text if len(text) <= 60 else text[:57] + "..."
