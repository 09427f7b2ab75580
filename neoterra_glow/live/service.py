"""Running unattended for weeks: systemd's notify protocol (ready, then a heartbeat from the
render loop, so a hung driver or a stalled loop gets the show restarted), a snapshot of the
show's state to resume from after a restart, and the unit file that asks systemd for both.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import socket
import sys
import time
from pathlib import Path

from neoterra_glow.core.params import Kind, ParamError, Registry
from neoterra_glow.errors import UserError

log = logging.getLogger(__name__)

SNAPSHOT_SECONDS = 5.0
WATCHDOG_SECONDS = 10


class Notifier:
    """sd_notify's datagrams to $NOTIFY_SOCKET; does nothing when not started by systemd."""

    def __init__(self) -> None:
        address = os.environ.get("NOTIFY_SOCKET", "")
        self._address = "\0" + address[1:] if address.startswith("@") else address  # '@': an abstract socket
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) if address else None
        watchdog = int(os.environ.get("WATCHDOG_USEC", "0") or 0) / 1e6
        self._every = watchdog / 3 if watchdog > 0 else 1.0
        self._last = 0.0

    def send(self, *fields: str) -> None:
        if self._socket is None:
            return
        try:
            self._socket.sendto("\n".join(fields).encode(), self._address)
        except OSError as error:  # systemd restarting, say: the show goes on
            log.debug("sd_notify: %s", error)

    def ready(self, status: str) -> None:
        self.send("READY=1", f"STATUS={status}")

    def heartbeat(self, status: str) -> None:
        """From the render loop, once a frame: sent a few times per watchdog period."""
        now = time.monotonic()
        if now - self._last >= self._every:
            self._last = now
            self.send("WATCHDOG=1", f"STATUS={status}")

    def stopping(self) -> None:
        self.send("STOPPING=1")


class Snapshot:
    """The show's scene and every parameter's value (emotions and calibration among them),
    written atomically every few seconds, and read back when the show starts again."""

    def __init__(self, path: Path, every: float = SNAPSHOT_SECONDS) -> None:
        self.path = path
        self.every = every
        self._last = 0.0

    def maybe_save(self, scene: Path, registry: Registry) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.save(scene, registry)

    def save(self, scene: Path, registry: Registry) -> None:
        values = {p.path: registry.value(p.path) for p in registry if p.kind is not Kind.TRIGGER}
        temporary = self.path.with_name(self.path.name + ".part")
        try:
            with temporary.open("w", encoding="utf-8") as file:
                json.dump({"scene": str(scene.resolve()), "values": values}, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)  # a kill at any moment leaves the old snapshot or the new one
        except OSError as error:
            log.error("cannot write the state snapshot %s: %s", self.path, error)

    def scene(self) -> Path | None:
        """The preset the show was in, if a snapshot says so."""
        state = self._read()
        return Path(state["scene"]) if state and Path(state.get("scene", "")).is_file() else None

    def restore(self, registry: Registry) -> int:
        """Set the values the snapshot holds; ones that no longer fit are skipped. How many were set."""
        state = self._read() or {}
        restored = 0
        for path, value in dict(state.get("values", {})).items():
            try:
                registry.set(path, value, immediate=True)
                restored += 1
            except (ParamError, KeyError, TypeError):
                log.warning("state snapshot %s: skipping %s = %r", self.path, path, value)
        return restored

    def _read(self) -> dict | None:
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else None
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.error("cannot read the state snapshot %s (starting afresh): %s", self.path, error)
            return None


def unit_file(show_args: list[str], folder: Path, name: str = "neoterra-glow", display: str | None = None) -> str:
    """A systemd user unit that runs `show SHOW_ARGS --service` in `folder`, restarted whenever it
    ends or its heartbeat stops; `display`: the X display a windowed show opens on (None: headless)."""
    folder = folder.resolve()
    command = [sys.executable, "-m", "neoterra_glow", "--log-file", str(folder / f"{name}.log"), "show", *show_args,
               "--service", "--state", str(folder / f"{name}.state.json")]
    return "\n".join([
        "[Unit]",
        f"Description=neoterra-glow show ({' '.join(show_args) or 'default'})",
        "After=graphical-session.target",  # a user manager has no network-online.target to wait for
        "",
        "[Service]",
        "Type=notify",
        "NotifyAccess=main",
        f"WatchdogSec={WATCHDOG_SECONDS}",
        "Restart=always",
        "RestartSec=2",
        f"WorkingDirectory={folder}",
        *([f"Environment=DISPLAY={display}"] if display else []),
        f"ExecStart={shlex.join(command)}",
        "",
        "[Install]",
        "WantedBy=default.target",
        "",
    ])


def install(show_args: list[str], folder: Path, unit_dir: Path, name: str = "neoterra-glow", display: str | None = None,
            force: bool = False) -> Path:
    """Write the unit after checking what goes in it: the folder exists, the name is a unit's, an
    existing unit is replaced only when asked, and a windowed show knows its display."""
    if not re.fullmatch(r"[A-Za-z0-9_.:-]+", name):
        raise UserError(f"install-service --name {name!r}: a unit's name takes letters, digits and _ . : - only")
    if not folder.is_dir():
        raise UserError(f"install-service --folder {folder}: no such folder (the show runs and keeps its log and state there)")
    headless = "--headless" in show_args
    display = display or os.environ.get("DISPLAY")
    if not headless and not display:
        raise UserError("install-service: no display to open the show's window on: give --display :0 (the screen's X display), "
                        "or --headless among the show's arguments")
    path = unit_dir / f"{name}.service"
    if path.exists() and not force:
        raise UserError(f"{path} exists: give --force to replace it")
    unit_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(unit_file(show_args, folder, name, None if headless else display), encoding="utf-8")
    temporary.replace(path)
    return path
