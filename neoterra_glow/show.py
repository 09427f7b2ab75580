"""The live show: the piece in a window on the wall clock, until Esc or the window closes."""

from __future__ import annotations

from pathlib import Path

from neoterra_glow.core.clock import RealtimeClock
from neoterra_glow.core.frame import advance
from neoterra_glow.gpu.context import Window
from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.pipeline import Pipeline, glyphs_for, registry_for


def show(preset_name: str | Path, size: tuple[int, int], seed: int | None = None) -> None:
    registry, preset = registry_for(preset_name)
    glyphs = glyphs_for(preset)
    seed = preset.seed if seed is None else seed
    window = Window(size, f"neoterra-glow: {preset.title}")
    library = ShaderLibrary(window.ctx)
    pipeline = Pipeline(window.ctx, library, window.framebuffer_size(), glyphs)
    clock = RealtimeClock()
    try:
        while window.is_open():
            size = window.framebuffer_size()
            if min(size) > 0:  # a minimised window has no pixels to draw
                pipeline.resize(size)
            frame = advance(clock, registry, seed, pipeline.size)
            window.present(pipeline.render(frame).fbo)
    except KeyboardInterrupt:
        pass
    finally:
        pipeline.release()
        library.release()
        window.release()
