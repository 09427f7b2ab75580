"""Hot reload: shader and preset files changed on disk, taken at a frame boundary."""

from __future__ import annotations

import queue
import threading
from pathlib import Path


class Watcher:
    """Changed shader and preset files, noticed by watchfiles in a thread, taken at a frame boundary.

    A file is watched through its folder: editors and `sed -i` save by writing a new file
    and renaming it over the old one, which a watch on the old file itself never sees again.
    """

    def __init__(self, folders: list[Path], files: list[Path]) -> None:
        import watchfiles

        self._changed: queue.SimpleQueue[Path] = queue.SimpleQueue()
        self._stop = threading.Event()
        watched = {file.resolve() for file in files}
        roots = [folder.resolve() for folder in folders]
        def wanted(_, changed: str) -> bool:
            path = Path(changed).resolve()
            return path in watched or any(path.is_relative_to(root) for root in roots)

        def watch() -> None:
            watched = {*roots, *(file.parent for file in files)}
            for changes in watchfiles.watch(*watched, watch_filter=wanted, stop_event=self._stop, debounce=100, step=50,
                                            raise_interrupt=False):
                for _, path in changes:
                    self._changed.put(Path(path).resolve())

        self._thread = threading.Thread(target=watch, name="reload-watch", daemon=True)
        self._thread.start()

    def take(self) -> set[Path]:
        changed = set()
        while not self._changed.empty():
            changed.add(self._changed.get())
        return changed

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
