"""A progress bar on stderr for long imports, silent when stderr is not a terminal
(cron jobs and pipes get clean logs)."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from ..report.visible import visible


class ProgressBar:
    def __init__(self, label: str, stream=None) -> None:  # noqa: ANN001
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def update(self, done: int, total: int, current: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        width = 30
        filled = int(width * done / total) if total else width
        name = visible(current.rsplit("/", 1)[-1])[-40:]
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{done}/{total} {name}\033[K")
        self.stream.flush()
        self._drawn = True
