"""The desk's commands, besides the parameters, declared once: their arguments (OSC type tag,
what each is, its bounds), what they do, and the Desk method that does it. The desk checks every
message against ARGUMENTS before it acts (control/checks.py); OSCQuery and the remote list COMMANDS
(address -> OSC type tags, doc, method), so controllers find the commands as they find the parameters."""

from __future__ import annotations

from dataclasses import dataclass

from neoterra_glow.control.emotions import EMOTIONS

TEXT = 1024  # characters of a text argument at most (a story on the wall is far shorter)
PATH = 4096  # characters of a file's path or a preset's name at most
FADE_SECONDS = 600.0  # the longest crossfade: a longer one is this long (and one that never ends cannot be asked for)


@dataclass(frozen=True)
class Arg:
    """One argument of a command. `tag`: f a number, i a whole number, s text, I a controller's
    press (nothing, or a number: 0 is a button let go). `bounds`: a number outside is clamped
    to them. `longest`: characters of text at most."""

    tag: str
    what: str
    bounds: tuple[float, float] | None = None
    optional: bool = False
    longest: int = TEXT


_PLACE = Arg("i", "a place in the stack (0 is the bottom)", (0, 1024))
_NUMBER = Arg("i", "the number of a waiting name or story")
_DECLARED = {
    "/emotion/va": ((Arg("f", "valence", (-1.0, 1.0)), Arg("f", "arousal", (0.0, 1.0))),
                    "valence -1..1 and arousal 0..1 set all six emotions", "_valence_arousal"),
    "/crowd/feel": (tuple(Arg("f", name, (0.0, 1.0)) for name in EMOTIONS),
                    f"the crowd's feelings, 0..1 each: {', '.join(EMOTIONS)} (the audience page sends these); "
                    "they move the room while the desk is still", "_crowd_feel"),
    "/murals/add": ((Arg("s", "a shipped mural's name or an ISF file", longest=PATH), Arg("s", "the layer's name", optional=True),
                     Arg("i", "its place in the stack", (0, 1024), optional=True)),
                    "add a mural layer: a shipped mural's name or an ISF file; optionally its name and place", "_add_layer"),
    "/murals/remove": ((Arg("s", "the layer's name"),), "take a mural layer away", "_remove_layer"),
    "/murals/move": ((Arg("s", "the layer's name"), _PLACE), "move a mural layer to a place in the stack (0 is the bottom)", "_move_layer"),
    "/glitch/tap": ((Arg("I", "a press", optional=True),),
                    "tap tempo: taps a beat apart set glitch.bpm, and the beat falls on them", "_tap"),
    "/bpm": ((Arg("f", "beats a minute", (0.0, 300.0)),), "the tempo from another program, beats a minute (0: none)", "_bpm"),
    "/tempo/start": ((Arg("I", "a press", optional=True),),
                     "start the players: the show's, and every peer's of its Ableton Link session (show --link)", "_start"),
    "/tempo/stop": ((Arg("I", "a press", optional=True),), "stop the players: the show's, and every Link peer's", "_stop"),
    "/beat": ((Arg("i", "which beat of the bar", (0, 3), optional=True),),
              "a beat falls now: optionally which beat of the bar, 0 to 3", "_beat"),
    "/glitch/trigger": ((Arg("s", "a fault kind"), Arg("f", "intensity", (0.0, 1.0), optional=True),
                         Arg("f", "seconds", optional=True), Arg("s", "envelope", optional=True)),
                        "fire a fault: kind, then optionally intensity 0..1, seconds and envelope", "_trigger_fault"),
    "/scene/go": ((Arg("s", "a preset", longest=PATH), Arg("f", "seconds of the crossfade", (0.0, FADE_SECONDS), optional=True)),
                  "crossfade to another preset, optionally over these seconds, once it has loaded", "_go"),
    "/scene/start": ((Arg("s", "a preset", longest=PATH), Arg("f", "seconds of the crossfade", (0.0, FADE_SECONDS))),
                     "start the crossfade to a scene now (the show sends it when the scene has loaded)", "_start_scene"),
    "/midi/learn": ((Arg("s", "a parameter's path"),),
                    "map the next MIDI note or CC moved to this parameter (and save the mapping)", "_learn"),
    "/wall/add": ((Arg("s", "a name or story"),),
                  "a visitor's smile joins the wall: the glyph of a name or story (the audience page sends these)", "_wall_add"),
    "/wall/mirror": ((Arg("f", "the smile's width, in eye distances", (0.0, 3.0)), Arg("f", "its corners' lift", (-1.0, 1.0)),
                      Arg("f", "its asymmetry", (-1.0, 1.0)), Arg("f", "its openness", (0.0, 3.0))),
                     "a visitor's real smile joins the wall: the camera's measure of a smile held a second (the show sends these)",
                     "_wall_mirror"),
    "/audience/approve": ((_NUMBER,), "let a waiting name or story on the wall (its number, on the HUD)", "_approve"),
    "/audience/reject": ((_NUMBER,), "keep a waiting name or story off the wall", "_reject"),
    "/cue": ((Arg("s", "a cue's name"),), "fire a named cue of the cue list", "_cue"),
}

ARGUMENTS: dict[str, tuple[Arg, ...]] = {address: args for address, (args, _, _) in _DECLARED.items()}
COMMANDS: dict[str, tuple[str, str, str]] = {
    address: ("".join(arg.tag for arg in args), doc, method) for address, (args, doc, method) in _DECLARED.items()
}
