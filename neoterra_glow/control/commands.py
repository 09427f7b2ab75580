"""The desk's commands, besides the parameters: address -> (OSC type tags, what it does, the
Desk method that does it). The desk dispatches on it and OSCQuery lists it, so controllers
find the commands as they find the parameters."""

COMMANDS = {
    "/emotion/va": ("ff", "valence -1..1 and arousal 0..1 set all six emotions", "_valence_arousal"),
    "/murals/add": ("ssi", "add a mural layer: a shipped mural's name or an ISF file; optionally its name and place", "_add_layer"),
    "/murals/remove": ("s", "take a mural layer away", "_remove_layer"),
    "/murals/move": ("si", "move a mural layer to a place in the stack (0 is the bottom)", "_move_layer"),
    "/glitch/tap": ("I", "tap tempo: taps a beat apart set glitch.bpm, and the beat falls on them", "_tap"),
    "/bpm": ("f", "the tempo from another program, beats a minute (0: none)", "_bpm"),
    "/beat": ("i", "a beat falls now: optionally which beat of the bar, 0 to 3", "_beat"),
    "/glitch/trigger": ("sffs", "fire a fault: kind, then optionally intensity 0..1, seconds and envelope", "_trigger_fault"),
    "/scene/go": ("sf", "crossfade to another preset, optionally over these seconds, once it has loaded", "_go"),
    "/scene/start": ("sf", "start the crossfade to a scene now (the show sends it when the scene has loaded)", "_start_scene"),
    "/midi/learn": ("s", "map the next MIDI note or CC moved to this parameter (and save the mapping)", "_learn"),
    "/wall/add": ("s", "a visitor's smile joins the wall: the glyph of a name or story (the audience page sends these)", "_wall_add"),
    "/audience/approve": ("i", "let a waiting name or story on the wall (its number, on the HUD)", "_approve"),
    "/audience/reject": ("i", "keep a waiting name or story off the wall", "_reject"),
    "/cue": ("s", "fire a named cue of the cue list", "_cue"),
}
