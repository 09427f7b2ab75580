"""The lights in the show: each frame's canvas (flash-guarded, before the keystone and the HUD)
is sampled, its fixtures' levels published as measured parameters (lights.<name>), and handed
to the sender's thread. Blackout darkens them; a frozen show keeps its canvas, so they hold."""

from __future__ import annotations

import time
from pathlib import Path

import moderngl

from neoterra_glow.core.params import Registry
from neoterra_glow.errors import UserError
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.lights.fixtures import load_fixtures
from neoterra_glow.lights.sampler import Sampler, level_params
from neoterra_glow.lights.sender import LightSender


class Lights:
    """The lights in the show: samples each finished frame and hands the fixtures' colours to the sender."""

    def __init__(self, path: Path, library: ShaderLibrary) -> None:
        rig = load_fixtures(path)
        self.params = level_params(rig)
        self.sender = LightSender(rig)
        self.sampler = Sampler(rig, library)
        self._shown = 0.0  # when the frame sampled last was shown

    def frame(self, texture: moderngl.Texture, registry: Registry) -> None:
        """Light the room as `texture` (the frame's finished canvas) shows it: the colours of the frame
        before, read back by now, sent as of the moment that frame was shown."""
        colours = self.sampler.sample(texture)
        shown, self._shown = self._shown, time.monotonic()
        if colours is None:
            return
        if registry.value("output.blackout"):
            colours[:] = 0.0
        self.sender.push(colours, shown)
        if self.params[0].path not in registry:  # a scene's new registry: declared again
            registry.declare(*self.params)
        self.sampler.publish(registry, colours)

    def status(self) -> str:
        """The HUD's line: what the room's lights are fed."""
        rig = self.sender.rig
        universes = len({f.universe for f in rig.fixtures})
        protocol = "Art-Net" if rig.protocol == "artnet" else "sACN"
        return f"lights {len(rig.fixtures)} fixtures on {universes} universes at {rig.rate:g} packets/s as {protocol}"

    def close(self) -> None:
        self.sender.close()
        self.sampler.release()


def open_lights(path: Path, library: ShaderLibrary) -> tuple[Lights | None, str | None]:
    """The show's lights, or None and the one line that says why the show goes on without them."""
    try:
        return Lights(path, library), None
    except (UserError, OSError) as error:
        return None, f"error: {error}; the show goes on without lights"
