"""The control desk: what arrives over OSC, applied to the running piece at a frame boundary.

Every parameter is at its address (`swarm.brightness` at /swarm/brightness), and
patterns reach many at once (/murals/*/opacity). Besides parameters, the commands of
control/commands.py: /emotion/va, /crowd/feel, /murals/add, /murals/remove, /murals/move, /tempo/start, /tempo/stop,
/glitch/trigger, /scene/go, /scene/start and /cue.

Every message is checked first, against what its command or parameter declares
(control/checks.py). Wrong types, unknown addresses, values that are not numbers and text
too long are counted and logged (once per kind every few seconds); they change nothing else.
The room's emotions are not set but mixed (control/mix.py): the desk's word, a scene's, the crowd's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from neoterra_glow.audience.guard import wall_text
from neoterra_glow.control.beat import BeatClock
from neoterra_glow.control.checks import Refused, command_args, parameter_value, shown
from neoterra_glow.control.commands import COMMANDS
from neoterra_glow.control.emotions import EMOTIONS, from_valence_arousal
from neoterra_glow.control.message import Control
from neoterra_glow.control.mix import EmotionMix
from neoterra_glow.control.patterns import is_pattern, pattern_regex
from neoterra_glow.core.folders import FolderError, Folders
from neoterra_glow.core.params import Param, Registry
from neoterra_glow.core.rejections import Rejections
from neoterra_glow.glitch.malfunction import Malfunction
from neoterra_glow.glyphs.smile import smile_glyph
from neoterra_glow.mirror.glyph import mirrored_glyph
from neoterra_glow.murals.layers import find_shader, layer_spec
from neoterra_glow.murals.stack import MuralStack

BUDGET_SECONDS = 0.004  # time a frame gives patterns and commands; at 60 fps a quarter of a frame


class Desk:
    keeps = ("time", "beat", "mix")

    def __init__(
        self,
        registry: Registry,
        murals: MuralStack,
        malfunction: Malfunction,
        base: Path,
        rejections: Rejections,
        director=None,
        readable: Folders | None = None,
        *,
        swarm=None,
        beat: BeatClock | None = None,
        midi=None,
        audience=None,
    ) -> None:
        """`swarm`: the stage visitors' smiles join; `beat`: where taps, /bpm and /beat land (the
        show's, which MIDI clock, Link and the sound also feed); `midi`: the controller whose
        mappings /midi/learn arms; `audience`: the participation server, its drawn glyphs and
        waiting texts. Each None where the run has none."""
        self.registry = registry
        self.readable = readable  # where a sender may have files read from; None: anywhere (a replay)
        self.murals = murals
        self.malfunction = malfunction
        self.director = director  # scenes and cues, where the show has them
        self.base = base
        self.rejections = rejections
        self.applied = 0
        self.last_set: str | None = None  # the parameter last set by its address: what the operator's learn key arms
        self.swarm, self.midi, self.audience = swarm, midi, audience
        self.time = 0.0
        self.beat = beat or BeatClock()
        self._matches: dict[str, list[Param]] = {}  # pattern -> parameters, for this registry version
        self._version = registry.version
        self._commands = {address: getattr(self, method) for address, (_, _, method) in COMMANDS.items()}
        self.mix = EmotionMix({name: registry.value(f"emotion.{name}") for name in EMOTIONS})  # the room's emotions
        self._mixed = dict(self.mix.mixed)  # what the registry was last given of them

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
        for name, value in self._mixed.items():  # a scene that fades in a value speaks as a cue
            if self.registry.value(f"emotion.{name}") != value:
                self.mix.tell("cue", name, self.registry.value(f"emotion.{name}"), now)
        applied: list[Control] = []
        settled: dict[str, tuple[Control, Any]] = {}  # path -> its last good message and value

        def settle() -> None:
            for path, (message, value) in settled.items():
                self._set(path, value)
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
            except Refused as refusal:
                self.rejections.count(refusal.kind, refusal.detail(message))
            except Exception as error:  # whatever a message causes, the show goes on; its traceback is logged as seldom as its kind
                self.rejections.failed("refused", f"{message.address} {shown(message.args)}", error)
        settle()
        if dropped:
            self.rejections.count("over budget", f"{dropped} patterns and commands dropped: more than a frame has time for", dropped)
        for name, value in self.mix.mix(now).items():  # over a scene's value too, while the desk holds: the fade lets go of it
            if value != self.registry.value(f"emotion.{name}"):
                value = self.registry.set(f"emotion.{name}", value)
            self._mixed[name] = value
        return applied

    def restored(self) -> None:
        """After a checkpoint: the registry holds the mix's values already."""
        self._mixed = {name: self.registry.value(f"emotion.{name}") for name in EMOTIONS}

    def _set(self, path: str, value: Any) -> None:
        """Set a parameter from the desk; an emotion goes into the room's mix as the desk's word."""
        if path.startswith("emotion.") and path[8:] in self.mix.told:
            self.mix.tell("desk", path[8:], value, self.time)
        else:
            self.registry.set(path, value)

    @property
    def ceilings(self) -> dict[str, tuple[float, str]]:
        """Limits this machine sets on parameters, with why: the bots the GPU can hold."""
        if self.swarm is None:
            return {}
        return {"swarm.count": (self.swarm.state.capacity, self.swarm.state.capacity_reason)}

    def _checked(self, param: Param, args: tuple) -> Any:
        """The value the arguments give the parameter; refused if unusable, noted if clamped."""
        value, note = parameter_value(param, args, self.ceilings)
        if note:  # out of range: used clamped, and said once in a while rather than per message
            self.rejections.count("clamped", note)
        return value

    def _apply(self, address: str, args: tuple) -> None:
        if address in self._commands:
            self._commands[address](command_args(address, args, lambda note: self.rejections.count("clamped", note)))
            return
        for param in self._addressed(address):
            self._set(param.path, self._checked(param, args))

    def _addressed(self, address: str) -> list[Param]:
        if not is_pattern(address):
            param = self.registry.at_address(address)
            if param is not None:
                return [param]
            raise Refused("unknown address", lambda: self.registry.unknown(address.strip("/").replace("/", ".")))
        if self._version != self.registry.version or len(self._matches) > 256:
            self._matches.clear()
            self._version = self.registry.version
        if address not in self._matches:
            try:
                regex = pattern_regex(address)
            except ValueError as error:
                raise Refused("bad pattern", str(error)) from None
            self._matches[address] = [param for param in self.registry if regex.match(param.osc_address)
                                     and not param.measured and not param.local]
        matched = self._matches[address]
        if not matched:
            raise Refused("unknown address", "the pattern matches no parameter")
        return matched

    # the commands: each gets its arguments checked against control/commands.py's declaration

    def _valence_arousal(self, args: tuple) -> None:
        for name, value in from_valence_arousal(*args).items():
            self._set(f"emotion.{name}", value)

    def _crowd_feel(self, args: tuple) -> None:
        for name, value in zip(EMOTIONS, args, strict=True):
            self.mix.tell("crowd", name, value, self.time)

    def _add_layer(self, args: tuple) -> None:
        table = {"shader": args[0], **({"name": args[1]} if len(args) > 1 else {})}
        try:
            self._may_read(find_shader(args[0], self.base))
            spec = layer_spec(table, self.base, tuple(self.murals.names()))
            for image in spec.header.imported.values():
                self._may_read(image)
            self.murals.add(spec, self.registry, args[2] if len(args) > 2 else None)
        except ValueError as error:  # a broken shader or image adds nothing (their errors are UserErrors)
            raise Refused("refused layer", str(error)) from None

    def _remove_layer(self, args: tuple) -> None:
        try:
            self.murals.remove(args[0], self.registry)
        except ValueError as error:
            raise Refused("refused layer", str(error)) from None

    def _move_layer(self, args: tuple) -> None:
        try:
            self.murals.move(*args)
        except ValueError as error:
            raise Refused("refused layer", str(error)) from None

    def _tap(self, args: tuple) -> None:
        """A tap; a controller's button sends 1 when pressed and 0 when let go, and only the press is a tap."""
        if args and not args[0]:
            return
        tempo = self.beat.tap(self.time)
        if tempo:
            bounds = self.registry["glitch.bpm"].range
            assert bounds is not None  # a number parameter has one
            self.registry.set("glitch.bpm", min(tempo, bounds[1]))

    def _start(self, args: tuple) -> None:
        if not args or args[0]:  # a controller's button: its press, not its release
            self.beat.transport(True)

    def _stop(self, args: tuple) -> None:
        if not args or args[0]:
            self.beat.transport(False)

    def _bpm(self, args: tuple) -> None:
        self.beat.osc_bpm(self.time, args[0])

    def _beat(self, args: tuple) -> None:
        self.beat.osc_beat(self.time, args[0] if args else None)

    def _trigger_fault(self, args: tuple) -> None:
        kind, numbers, envelope = args[0], args[1:3], args[3] if len(args) > 3 else "spike"
        try:
            self.malfunction.trigger(kind, *numbers, envelope=envelope)  # type: ignore[misc]  # numbers: two at most
        except (TypeError, ValueError) as error:
            raise Refused("refused fault", str(error)) from None

    def _go(self, args: tuple) -> None:
        self._scene(args, self.director.go if self.director else None)

    def _start_scene(self, args: tuple) -> None:
        self._scene(args, self.director.start if self.director else None)

    def _scene(self, args: tuple, act: Callable[[str, float], None] | None) -> None:
        if act is None:
            raise Refused("refused scene", "this show has no scenes")
        try:
            self._may_read(self.director.where(args[0]))
            act(args[0], args[1] if len(args) > 1 else 4.0)
        except (ValueError, OSError) as error:  # a broken preset, shader or file: the show goes on as it was
            raise Refused("refused scene", str(error)) from None

    def _may_read(self, path: Path | None) -> None:
        if path is not None and self.readable is not None:
            try:
                self.readable.check(path)
            except FolderError as error:
                raise Refused("outside the show's folders", str(error)) from None

    def _learn(self, args: tuple) -> None:
        if self.midi is None:
            raise Refused("refused learn", "this show has no MIDI controller (show --midi PORT)")
        try:
            self.midi.learn(args[0], self.registry)
        except ValueError as error:
            raise Refused("refused learn", str(error)) from None

    def _wall_add(self, args: tuple) -> None:
        if self.swarm is None:
            raise Refused("refused glyph", "this show has no swarm for visitors' smiles")
        drawn = self.audience.glyphs.pop(args[0], None) if self.audience is not None else None
        try:  # the server drew it; a replay draws it again, the same
            glyph = drawn or smile_glyph(wall_text(args[0], "story"))
        except ValueError as error:
            raise Refused("refused glyph", str(error)) from None
        self.swarm.add(glyph, self.registry.value("audience.wall"))

    def _wall_mirror(self, args: tuple) -> None:
        """A mirrored smile has no words to approve; it joins the wall within the visitors' limit, as their glyphs do."""
        if self.swarm is None:
            raise Refused("refused glyph", "this show has no swarm for visitors' smiles")
        self.swarm.add(mirrored_glyph(*(round(value, 2) for value in args)), self.registry.value("audience.wall"))

    def _approve(self, args: tuple, approved: bool = True) -> None:
        if self.audience is None:
            raise Refused("refused approval", "this show has no audience page (show --audience PORT)")
        try:
            self.audience.decide(args[0], approved)
        except ValueError as error:
            raise Refused("refused approval", str(error)) from None

    def _reject(self, args: tuple) -> None:
        self._approve(args, approved=False)

    def _cue(self, args: tuple) -> None:
        if self.director is None:
            raise Refused("refused cue", "this show has no cue list (show --cues FILE)")
        try:
            controls = self.director.cues.named(args[0])
        except ValueError as error:
            raise Refused("refused cue", str(error)) from None
        for control in controls:
            self._apply(control.address, control.args)
