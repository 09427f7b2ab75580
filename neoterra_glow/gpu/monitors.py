"""Monitors on the desktop, and one fullscreen window per monitor for a wall of projectors.

A wall's picture is as large as the box around the monitors its slices go to, each slice
at its monitor's place in it; a borderless window spanning the box shows the picture whole,
or each monitor's own window shows its part (where the platform keeps monitors apart).
"""

from __future__ import annotations

from typing import NamedTuple

import moderngl

from neoterra_glow.gpu.shaders import ShaderLibrary
from neoterra_glow.gpu.targets import Fullscreen


class Screen(NamedTuple):
    """A monitor's place on the desktop, in pixels, y down from the desktop's top."""

    name: str
    x: int
    y: int
    width: int
    height: int


def screens(glfw) -> list[Screen]:
    """The desktop's monitors, in glfw's order (the primary first)."""
    found = []
    for monitor in glfw.get_monitors() or []:
        x, y = glfw.get_monitor_pos(monitor)
        mode = glfw.get_video_mode(monitor)
        found.append(Screen(monitor_name(glfw, monitor), x, y, mode.size.width, mode.size.height))
    return found


def box(chosen: list[Screen]) -> Screen:
    """The rectangle around the chosen monitors: the size of a wall's picture."""
    left, top = min(s.x for s in chosen), min(s.y for s in chosen)
    right, bottom = max(s.x + s.width for s in chosen), max(s.y + s.height for s in chosen)
    return Screen("box", left, top, right - left, bottom - top)


def region(screen: Screen, around: Screen) -> tuple[float, float, float, float]:
    """Where a monitor's part is in the picture around it: x, y, width, height, 0..1, y up."""
    return ((screen.x - around.x) / around.width, 1.0 - (screen.y - around.y + screen.height) / around.height,
            screen.width / around.width, screen.height / around.height)


def pick(names: list[str], choice: str | int) -> int | None:
    """A monitor by its index (0, 1 ...) or by part of its name ('HDMI'), or None."""
    text = str(choice)
    if text.isdigit():
        return int(text) if int(text) < len(names) else None
    return next((n for n, name in enumerate(names) if text.lower() in name.lower()), None)


def listing(names: list[str]) -> str:
    """The monitors as an error names them: '0: HDMI-1, 1: eDP-1'."""
    return ", ".join(f"{n}: {name}" for n, name in enumerate(names)) or "none"


def monitor_name(glfw, monitor) -> str:
    name = glfw.get_monitor_name(monitor)
    return name.decode(errors="replace") if isinstance(name, bytes) else str(name)


def window_framebuffer(ctx: moderngl.Context, known: moderngl.Framebuffer, size: tuple[int, int]) -> moderngl.Framebuffer:
    """A window's own framebuffer at its size now: moderngl's ctx.screen keeps the size (and the
    viewport) the window had when the context was made, so after going fullscreen it is found again."""
    if tuple(known.viewport[2:]) == tuple(size):
        return known
    ctx.screen.use()
    ctx.viewport = (0, 0, *size)
    return ctx.detect_framebuffer()


class View:
    """Draws a part of the wall's picture into a window, in that window's own GL context: the
    picture is a texture the contexts share, and framebuffers and vertex arrays are not shared."""

    def __init__(self, glfw, handle, part: tuple[float, float, float, float], ctx: moderngl.Context | None = None) -> None:
        """`ctx`: the window's context where it has one already (the first window's)."""
        glfw.make_context_current(handle)
        self.glfw, self.handle, self.part = glfw, handle, part
        self._own = ctx is None
        self.ctx = ctx or moderngl.create_context()
        self.library = ShaderLibrary(self.ctx)
        self._draw = Fullscreen(self.ctx, self.library.program("common/fullscreen.vert", "output/region.frag"))
        self._picture: tuple[int, moderngl.Texture] | None = None  # the shared texture, as this context knows it
        self._screen = self.ctx.screen

    def draw(self, picture: moderngl.Texture) -> None:
        self.glfw.make_context_current(self.handle)
        if self._picture is None or self._picture[0] != picture.glo:  # the picture was made anew (a resize)
            self._picture = (picture.glo, self.ctx.external_texture(picture.glo, picture.size, 4, 0, picture.dtype))
        self._screen = window_framebuffer(self.ctx, self._screen, self.glfw.get_framebuffer_size(self.handle))
        self._draw.draw(self._screen, {"u_region": self.part}, {"u_image": self._picture[1]})

    def release(self) -> None:
        self.glfw.make_context_current(self.handle)
        self._draw.release()
        self.library.release()
        if self._own:
            self.ctx.release()
