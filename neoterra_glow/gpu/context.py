"""OpenGL contexts: headless through EGL, or in a glfw window, behind one small interface.

Both give a moderngl context of at least OpenGL 4.3 (compute shaders); the rest
of the engine never asks which one it has.
"""

from __future__ import annotations

import moderngl

MIN_GL = (4, 3)
_INSTALL = (
    "install a driver with OpenGL 4.3: on Debian/Ubuntu without a GPU, "
    "'apt-get install libegl1 libgl1-mesa-dri' gives Mesa's llvmpipe"
)


class GpuError(RuntimeError):
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
            ctx = moderngl.create_standalone_context(backend="egl")
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
    """A glfw window with an OpenGL 4.3 core context; Esc or closing it ends the show."""

    def __init__(self, size: tuple[int, int], title: str = "neoterra-glow", *, vsync: bool = True) -> None:
        import glfw

        self._glfw = glfw
        if not glfw.init():
            raise GpuError("cannot start glfw: is there a display? (set DISPLAY, or render headless)")
        glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, MIN_GL[0])
        glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, MIN_GL[1])
        glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
        glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
        self.handle = glfw.create_window(size[0], size[1], title, None, None)
        if not self.handle:
            glfw.terminate()
            raise GpuError(f"cannot open a window with OpenGL 4.3 core; {_INSTALL}")
        glfw.make_context_current(self.handle)
        glfw.swap_interval(1 if vsync else 0)
        glfw.set_key_callback(self.handle, self._on_key)
        self.ctx = require_gl43(moderngl.create_context())

    def _on_key(self, handle, key, scancode, action, mods) -> None:
        if key == self._glfw.KEY_ESCAPE and action == self._glfw.PRESS:
            self._glfw.set_window_should_close(handle, True)

    def framebuffer_size(self) -> tuple[int, int]:
        return self._glfw.get_framebuffer_size(self.handle)

    def is_open(self) -> bool:
        return not self._glfw.window_should_close(self.handle)

    def present(self, output: moderngl.Framebuffer) -> None:
        """Copy the finished frame to the window, swap, and take the window's events."""
        self.ctx.copy_framebuffer(self.ctx.screen, output)
        self._glfw.swap_buffers(self.handle)
        self._glfw.poll_events()

    def release(self) -> None:
        self.ctx.release()
        self._glfw.destroy_window(self.handle)
        self._glfw.terminate()
