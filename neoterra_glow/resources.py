"""Where the shipped shaders and presets live, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

_PACKAGE = Path(__file__).resolve().parent


def engine_version() -> str:
    """The engine's version: the installed package's, or a checkout's pyproject.toml."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("neoterra-glow")
    except PackageNotFoundError:  # run from a checkout that was never installed: its pyproject.toml says
        import tomllib

        try:
            return tomllib.loads((_PACKAGE.parent / "pyproject.toml").read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "(unknown version)"


def data_dir(name: str) -> Path:
    """The folder `name` (shaders, presets): inside the wheel when installed, beside the package in a checkout."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder beside {_PACKAGE}; is the install complete?")


def text_font(size: float):
    """DejaVu Sans where it is installed (it has accents and most scripts), else Pillow's own."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)
