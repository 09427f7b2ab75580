"""OpenGL contexts: headless through EGL, or in a glfw window, behind one small interface (Sink).

Both give a moderngl context of at least OpenGL 4.3 (compute shaders); the rest
of the engine never asks which one it has.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections import deque

import moderngl
import numpy as np

from neoterra_glow.errors import UserError
from neoterra_glow.gpu.monitors import Screen, View, box, listing, monitor_name, pick, region, screens, window_framebuffer

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


class Sink:
    """Where a show's frames go, with a screen or without (as moderngl-window's one BaseWindow):
    the show asks only this, never which it has. `shows`: a screen, so the projector's stages,
    the HUD and the operator's keys; `fps`: the rate `present` paces frames at (None: the
    display's vsync does); `rearranged`: a wall's monitor came or went."""

    ctx: moderngl.Context
    shows = False
    fps: float | None = None
    rearranged = False

    def framebuffer_size(self) -> tuple[int, int]:
        """The size of the picture the sink shows."""
        raise NotImplementedError

    def is_open(self) -> bool:
        return True

    def present(self, output: moderngl.Framebuffer | None) -> None:
        """Show the finished frame, and return when the next may begin (None: no frame was made here)."""

    def status(self) -> list[str]:
        """Lines for the HUD and the log on how the sink shows frames."""
        return []

    def release(self) -> None:
        self.ctx.release()


class Headless(Sink):
    """An offscreen context through EGL: works with no display, on Mesa llvmpipe or a GPU. Its
    frames leave through the recorder and the streams; `fps`: the rate a show's frames are paced at."""

    def __init__(self, size: tuple[int, int] = (0, 0), fps: float | None = None) -> None:
        try:
            ctx = moderngl.create_standalone_context(
                backend="egl", require=MIN_GL[0] * 100 + MIN_GL[1] * 10)  # type: ignore[arg-type]  # its stub types **settings as dicts
        except Exception as error:  # glcontext raises plain Exceptions for a missing libEGL
            raise GpuError(f"cannot open a headless OpenGL context through EGL ({error}); {_INSTALL}") from None
        self.ctx = require_gl43(ctx)
        self.size, self.fps = size, fps
        self._next: float | None = None  # when the next frame is due

    def framebuffer_size(self) -> tuple[int, int]:
        return self.size

    def present(self, output: moderngl.Framebuffer | None) -> None:
        """Nothing to show: wait until the next frame is due at `fps`; a late frame is not made up for
        by hurrying the ones after it."""
        if not self.fps:
            return
        period, now = 1.0 / self.fps, time.perf_counter()
        self._next = (now if self._next is None else self._next) + period
        time.sleep(max(0.0, self._next - now))
        self._next = max(self._next, time.perf_counter() - period)


def open_sink(headless: bool, size: tuple[int, int], title: str, fps: float, *, fullscreen: bool = False,
              monitor: str | int | None = None) -> Sink:
    """A window (paced by vsync), or headless at `fps`."""
    return Headless(size, fps) if headless else Window(size, title, fullscreen=fullscreen, monitor=monitor)


class Window(Sink):
    """A glfw window with an OpenGL 4.3 core context, windowed or fullscreen on any monitor.

    Esc or closing it ends the show; other keys and mouse drags go to `on_key` and `on_drag`.
    Its frames are paced by the display's vsync.
    """

    shows = True

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
        self.monitor = self.find(monitor) if monitor is not None else glfw.get_primary_monitor()
        glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, MIN_GL[0])
        glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, MIN_GL[1])
        glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
        glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
        self.windowed_size, self.title = size, title
        self.area: Screen | None = None  # a wall's monitors, spanned or split
        self.rearranged = False  # a wall's monitor came or went
        self.views: list[View] = []  # split: one per monitor's window
        self.spread: deque[float] = deque(maxlen=600)  # split: seconds from the first window's swap to the last's, a frame each
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
        self._screen = self.ctx.screen
        self.monitor_name = monitor_name(glfw, self.monitor) if self.monitor else ""
        self._fullscreen_wanted = fullscreen
        glfw.set_monitor_callback(self.monitor_changed)
        if fullscreen:
            self.set_fullscreen(True)

    def monitor_changed(self, monitor, event: int) -> None:
        """glfw's monitor callback: when the show's projector is unplugged the show goes on, and
        when it is plugged back in the show returns to it, fullscreen if it was. A wall is laid
        out again over the monitors there are (`rearranged`, for the show to act on)."""
        glfw = self._glfw
        name = monitor_name(glfw, monitor)
        if self.area is not None:
            log.warning("the monitor %s is %s; the wall is laid out again", name, "gone" if event == glfw.DISCONNECTED else "back")
            self.rearranged = True
            return
        if name != self.monitor_name:
            return
        if event == glfw.DISCONNECTED:
            log.warning("the monitor %s is gone; the show goes on, and returns to it when it is back", name)
        elif event == glfw.CONNECTED:
            log.warning("the monitor %s is back%s", name, "; fullscreen on it again" if self._fullscreen_wanted else "")
            self.monitor = monitor
            if self._fullscreen_wanted:
                self.set_fullscreen(True)

    def desktop(self) -> list[Screen]:
        return screens(self._glfw)

    def span(self, chosen: list[Screen]) -> None:
        """One borderless window across the chosen monitors: a wall of projectors on one desktop."""
        around = box(chosen)
        self.area = around
        self._glfw.set_window_attrib(self.handle, self._glfw.DECORATED, False)
        windowed = None  # no monitor: a window, as GLFW asks (its stub leaves None out)
        self._glfw.set_window_monitor(self.handle, windowed, around.x, around.y, around.width, around.height, 0)  # type: ignore[arg-type]

    def split(self, chosen: list[Screen]) -> None:
        """One fullscreen window per chosen monitor (this one on the first), sharing this window's
        GL objects, each showing its monitor's part of the picture; swapped one after another,
        and how far apart is measured (`spread`)."""
        glfw, around = self._glfw, box(chosen)
        self._unsplit()
        self.area = around
        monitors = {monitor_name(glfw, m): m for m in glfw.get_monitors() or []}
        self.monitor = monitors[chosen[0].name]
        self.set_fullscreen(True)
        self.views = [View(glfw, self.handle, region(chosen[0], around), self.ctx)]
        for screen in chosen[1:]:
            mode = glfw.get_video_mode(monitors[screen.name])
            handle = glfw.create_window(mode.size.width, mode.size.height, self.title, monitors[screen.name], self.handle)
            if not handle:
                raise GpuError(f"cannot open a window on the monitor {screen.name}")
            glfw.set_key_callback(handle, self._on_key)
            glfw.set_cursor_pos_callback(handle, self._on_cursor)
            self.views.append(View(glfw, handle, region(screen, around)))
            glfw.swap_interval(1)
        glfw.make_context_current(self.handle)

    def _unsplit(self) -> None:
        """Close the other monitors' windows (before the wall is split again)."""
        for view in reversed(self.views):
            view.release()
            if view.handle != self.handle:
                self._glfw.destroy_window(view.handle)
        self.views = []
        self._glfw.make_context_current(self.handle)

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

    def _on_key(self, handle, key, scancode, action, _mods) -> None:
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
            at = ctypes.cast(handle, ctypes.c_void_p).value  # glfw hands callbacks a new pointer object each time
            part = next((v.part for v in self.views if ctypes.cast(v.handle, ctypes.c_void_p).value == at), (0.0, 0.0, 1.0, 1.0))
            self.on_drag(part[0] + part[2] * x / max(width, 1), part[1] + part[3] * (1.0 - y / max(height, 1)))

    def framebuffer_size(self) -> tuple[int, int]:
        """The size of the picture the window shows: a split wall's is the box around its monitors."""
        if self.views:
            assert self.area is not None  # split() sets both
            return self.area.width, self.area.height
        return self._glfw.get_framebuffer_size(self.handle)

    def status(self) -> list[str]:
        """For the HUD: how far apart a split wall's windows were shown."""
        if not self.spread:
            return []
        spread = np.asarray(self.spread) * 1e3
        return [f"present spread over {len(self.views)} windows: median {np.median(spread):.2f} ms, "
                f"p95 {np.percentile(spread, 95):.2f} ms"]

    def screen(self) -> moderngl.Framebuffer:
        self._screen = window_framebuffer(self.ctx, self._screen, self.framebuffer_size())
        return self._screen

    def is_open(self) -> bool:
        return not any(self._glfw.window_should_close(handle) for handle in self._handles())

    def _handles(self) -> list:
        return [view.handle for view in self.views] or [self.handle]

    def present(self, output: moderngl.Framebuffer | None) -> None:
        """Copy the finished frame to the window (or each monitor's part to its window), swap,
        and take the window's events."""
        assert output is not None  # a window shows what its process renders (only a headless wall leader renders nothing)
        if not self.views:
            self.ctx.copy_framebuffer(self.screen(), output)
            self.swap()
            return
        self.ctx.finish()  # the other contexts read the picture: it must be complete
        picture = output.color_attachments[0]
        assert isinstance(picture, moderngl.Texture)  # a Target's framebuffer: a texture, never a renderbuffer
        for view in self.views:
            view.draw(picture)
        swapped = []
        for handle in self._handles():
            self._glfw.swap_buffers(handle)
            swapped.append(time.perf_counter())
        self.spread.append(swapped[-1] - swapped[0])
        self._glfw.make_context_current(self.handle)
        self._glfw.poll_events()

    def swap(self) -> None:
        """Show what was drawn on the window's own framebuffer, and take the window's events."""
        self._glfw.swap_buffers(self.handle)
        self._glfw.poll_events()

    def find(self, choice: str | int):
        """A monitor by index or part of its name (GpuError, listing them, when there is none)."""
        monitors = self._glfw.get_monitors() or []
        names = [monitor_name(self._glfw, m) for m in monitors]
        found = pick(names, choice)
        if found is None:
            raise GpuError(f"no monitor {choice!r}; the monitors are {listing(names)}")
        return monitors[found]

    def release(self) -> None:
        self._unsplit()
        self.ctx.release()
        self._glfw.destroy_window(self.handle)
        self._glfw.terminate()
