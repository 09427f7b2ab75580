"""The folders a show reads files from when a sender names one: the preset's folder, the
shipped presets and shaders, and the folders the operator allows (--allow-dir). A sender
on the venue network must not be able to make the show open /etc/shadow."""

from __future__ import annotations

import os
from pathlib import Path

from neoterra_glow.errors import UserError


class FolderError(UserError):
    """A path outside the folders a show may read; the message says how to allow one."""


class Folders:
    """The folders a sender may name files in: a path outside them is refused with its reason."""

    def __init__(self, folders) -> None:
        self.folders = tuple(dict.fromkeys(Path(folder).resolve() for folder in folders))

    def check(self, path: Path) -> Path:
        """The path, resolved (links and '..' followed), if it lies inside one of the folders."""
        resolved = Path(path).resolve()
        if any(resolved.is_relative_to(folder) for folder in self.folders):
            return resolved
        allowed = ", ".join(str(folder) for folder in self.folders)
        raise FolderError(f"{path}: outside the folders this show reads from ({allowed}); the operator can add one with --allow-dir")


def cache_folder() -> Path:
    """Where the show writes what it makes for people to print (the QR codes): the user's cache
    ($XDG_CACHE_HOME/neoterra-glow), never the folder the show was started in; owner-only."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "neoterra-glow"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
