"""OpenGL contexts: headless through EGL, or in a glfw window, behind one small interface.

Both give a moderngl context of at least OpenGL 4.3 (compute shaders); the rest
of the engine never asks which one it has.
"""

from __future__ import annotations

import logging

import moderngl

from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

MIN_GL = (4, 3)
_INSTALL = (
    "install a driver with OpenGL 4.3: on Debian/Ubuntu without a GPU, "
    "'apt-get install libegl1 libgl1-mesa-dri' gives Mesa's llvmpipe"
)


class GpuError(UserError, RuntimeError):
    """No usable OpenGL: the message says what was found and what to install."""


def require_gl43(ctx: moderngl.Context) -> moderngl.Context:
    found = (ctx.version_code // 100, ctx.version_code % 100 // 10)
    if found < MIN_GL:
        renderer, version = ctx.info["GL_RENDERER"], ctx.info["GL_VERSION"]
        ctx.release()
        raise GpuError(f"neoterra-glow needs OpenGL 4.3, found {version} on {renderer}; {_INSTALL}")
    return ctx


def describe(ctx: moderngl.Context) -> str:
    return f"{ctx.info['GL_RENDERER']}, OpenGL {ctx.info['GL_VERSION']}"


class Headless:
    """An offscreen context through EGL: works with no display, on Mesa llvmpipe or a GPU."""

    def __init__(self) -> None:
        try:
            ctx = moderngl.create_standalone_context(backend="egl", require=MIN_GL[0] * 100 + MIN_GL[1] * 10)
        except Exception as error:  # glcontext raises plain Exceptions for a missing libEGL
            raise GpuError(f"cannot open a headless OpenGL context through EGL ({error}); {_INSTALL}") from None
        self.ctx = require_gl43(ctx)

    def is_open(self) -> bool:
        return True

    def present(self, output: moderngl.Framebuffer) -> None:
        """Nothing to show: headless frames leave through the recorder."""

    def release(self) -> None:
        self.ctx.release()


class Window:
    """A glfw window with an OpenGL 4.3 core context, windowed or fullscreen on any monitor.

    Esc or closing it ends the show; other keys and mouse drags go to `on_key` and `on_drag`.
    """

    def __init__(
        self,
        size: tuple[int, int],
        title: str = "neoterra-glow",
        *,
        vsync: bool = True,
        fullscreen: bool = False,
        monitor: str | int | None = None,
    ) -> None:
        import glfw

        self._glfw = glfw
        if not glfw.init():
            raise GpuError("cannot start glfw: is there a display? (set DISPLAY, or render headless)")
        self.monitor = find_monitor(glfw, monitor) if monitor is not None else glfw.get_primary_monitor()
        glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, MIN_GL[0])
        glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, MIN_GL[1])
        glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
        glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
        self.windowed_size = size
        self.handle = glfw.create_window(size[0], size[1], title, None, None)
        if not self.handle:
            glfw.terminate()
            raise GpuError(f"cannot open a window with OpenGL 4.3 core; {_INSTALL}")
        glfw.make_context_current(self.handle)
        glfw.swap_interval(1 if vsync else 0)
        glfw.set_key_callback(self.handle, self._on_key)
        glfw.set_cursor_pos_callback(self.handle, self._on_cursor)
        self.on_key = lambda name: None
        self.on_drag = lambda x, y: None  # x, y in 0..1 of the window, y up, while the left button is held
        self.ctx = require_gl43(moderngl.create_context())
        self._screen, self._screen_size = self.ctx.screen, tuple(self.framebuffer_size())
        self.monitor_name = monitor_name(glfw, self.monitor) if self.monitor else ""
        self._fullscreen_wanted = fullscreen
        glfw.set_monitor_callback(self.monitor_changed)
        if fullscreen:
            self.set_fullscreen(True)

    def monitor_changed(self, monitor, event: int) -> None:
        """glfw's monitor callback: when the show's projector is unplugged the show goes on, and
        when it is plugged back in the show returns to it, fullscreen if it was."""
        glfw = self._glfw
        name = monitor_name(glfw, monitor)
        if name != self.monitor_name:
            return
        if event == glfw.DISCONNECTED:
            log.warning("the monitor %s is gone; the show goes on, and returns to it when it is back", name)
        elif event == glfw.CONNECTED:
            log.warning("the monitor %s is back%s", name, "; fullscreen on it again" if self._fullscreen_wanted else "")
            self.monitor = monitor
            if self._fullscreen_wanted:
                self.set_fullscreen(True)

    def find(self, choice: str | int):
        """A monitor by index or part of its name (GpuError, listing them, when there is none)."""
        return find_monitor(self._glfw, choice)

    def span(self) -> None:
        """One borderless window across every monitor of the desktop: a wall of projectors."""
        glfw = self._glfw
        boxes = []
        for monitor in glfw.get_monitors() or []:
            x, y = glfw.get_monitor_pos(monitor)
            mode = glfw.get_video_mode(monitor)
            boxes.append((x, y, x + mode.size.width, y + mode.size.height))
        if not boxes:
            return
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        glfw.set_window_attrib(self.handle, glfw.DECORATED, False)
        glfw.set_window_monitor(self.handle, None, left, top, right - left, bottom - top, 0)

    def set_fullscreen(self, on: bool) -> None:
        """Fill the chosen monitor at its own resolution, or go back to a window on it."""
        glfw = self._glfw
        self._fullscreen_wanted = on
        if not on:
            x, y = glfw.get_monitor_pos(self.monitor)
            glfw.set_window_monitor(self.handle, None, x + 40, y + 40, *self.windowed_size, 0)
            return
        mode = glfw.get_video_mode(self.monitor)
        glfw.set_window_monitor(self.handle, self.monitor, 0, 0, mode.size.width, mode.size.height, mode.refresh_rate)

    @property
    def fullscreen(self) -> bool:
        return bool(self._glfw.get_window_monitor(self.handle))

    def _on_key(self, handle, key, scancode, action, mods) -> None:
        if action != self._glfw.PRESS:
            return
        if key == self._glfw.KEY_ESCAPE:
            self._glfw.set_window_should_close(handle, True)
            return
        glfw = self._glfw
        special = {glfw.KEY_SPACE: "space", glfw.KEY_LEFT: "left", glfw.KEY_RIGHT: "right", glfw.KEY_TAB: "tab",
                   glfw.KEY_UP: "up", glfw.KEY_DOWN: "down", glfw.KEY_F11: "f11"}
        name = special.get(key) or glfw.get_key_name(key, scancode)
        if name:
            self.on_key(name.lower())

    def _on_cursor(self, handle, x: float, y: float) -> None:
        if self._glfw.get_mouse_button(handle, self._glfw.MOUSE_BUTTON_LEFT) == self._glfw.PRESS:
            width, height = self._glfw.get_window_size(handle)
            self.on_drag(x / max(width, 1), 1.0 - y / max(height, 1))

    def framebuffer_size(self) -> tuple[int, int]:
        return self._glfw.get_framebuffer_size(self.handle)

    def screen(self) -> moderngl.Framebuffer:
        """The window's own framebuffer at its size now: moderngl's ctx.screen keeps the size
        the window had when the context was made, so after going fullscreen it is found again."""
        size = tuple(self.framebuffer_size())
        if size != self._screen_size:
            self.ctx.screen.use()
            self.ctx.viewport = (0, 0, *size)
            self._screen, self._screen_size = self.ctx.detect_framebuffer(), size
        return self._screen

    def is_open(self) -> bool:
        return not self._glfw.window_should_close(self.handle)

    def present(self, output: moderngl.Framebuffer) -> None:
        """Copy the finished frame to the window, swap, and take the window's events."""
        self.ctx.copy_framebuffer(self.screen(), output)
        self.swap()

    def swap(self) -> None:
        """Show what was drawn on the window's own framebuffer, and take the window's events."""
        self._glfw.swap_buffers(self.handle)
        self._glfw.poll_events()

    def release(self) -> None:
        self.ctx.release()
        self._glfw.destroy_window(self.handle)
        self._glfw.terminate()


def find_monitor(glfw, choice: str | int):
    """A monitor by its index (0, 1 ...) or by part of its name ('HDMI'); the error lists them."""
    monitors = glfw.get_monitors() or []
    names = [monitor_name(glfw, m) for m in monitors]
    text = str(choice)
    if text.isdigit() and int(text) < len(monitors):
        return monitors[int(text)]
    for monitor, name in zip(monitors, names):
        if not text.isdigit() and text.lower() in name.lower():
            return monitor
    listed = ", ".join(f"{n}: {name}" for n, name in enumerate(names)) or "none"
    raise GpuError(f"no monitor {choice!r}; the monitors are {listed}")


def monitor_name(glfw, monitor) -> str:
    name = glfw.get_monitor_name(monitor)
    return name.decode(errors="replace") if isinstance(name, bytes) else str(name)
