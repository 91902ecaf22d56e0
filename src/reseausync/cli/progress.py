"""A progress bar on stderr for long imports, silent when stderr is not a terminal
(cron jobs and pipes get clean logs)."""

from __future__ import annotations

import re
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
        self.stream.write(f"\r{self.line(done, total, current)}\033[K")
        self.stream.flush()
        self._drawn = True

    def line(self, done: int, total: int, current: str) -> str:
        """The bar, the files done, the file's name (its middle cut when long, so its
        start and its extension show) and the pipeline's detail on it ("7000 items,
        1.2 GB of 5.0 GB, 24%"): the bar also fills by the current file's percent,
        so a run of one big file is not an empty bar until it ends (QA8 #5)."""
        width = 30
        path, detail = current, ""
        found = _DETAIL.search(current)
        if found:
            path, detail = current[:found.start()], found.group(1)
        percent = _PERCENT.search(detail)
        part = int(percent.group(1)) / 100 if percent and done < total else 0.0
        filled = min(width, int(width * (done + part) / total)) if total else width
        name = _middle_cut(visible(path.rsplit("/", 1)[-1]), NAME_WIDTH)
        shown = f"{name} ({visible(detail)})" if detail else name
        return (f"{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done}/{total} {shown}")


NAME_WIDTH = 40
_DETAIL = re.compile(r" \(([^()]*)\)\Z")      # the pipeline's " (7000 items, ...)"
_PERCENT = re.compile(r"(\d{1,3})%")


def _middle_cut(name: str, width: int) -> str:
    """"All mail Including Spam and Trash.mbox" at 20: "All mail I…Trash.mbox"."""
    if len(name) <= width:
        return name
    tail = (width - 1) // 2
    return name[:width - 1 - tail] + "…" + name[-tail:]
