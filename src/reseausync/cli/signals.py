"""SIGTERM stops a command as Ctrl-C does.

systemd's stop, `timeout` in a cron line and a container's stop send SIGTERM,
whose default kills the process on the spot: the run's transaction was lost as
it should be, but its row stayed "running" in `runs` until the next writer
(QA S10). Raising errors.Terminated (a KeyboardInterrupt) instead lets the
Ctrl-C path close the run as failed "interrupted (SIGTERM)". A second SIGTERM
while that happens is ignored, so the closing is not itself cut short (SIGKILL
still ends it). Forked read workers inherit the handler: in them it does what
SIGTERM did before, so `Helpers` can still terminate a stuck one.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from ..errors import Terminated
from ..forking import end_as_default

_owner = 0


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """The handler, for the command's duration (main() may run inside another
    program, a test: its own handler comes back afterwards)."""
    global _owner
    _owner = os.getpid()
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _owner:            # a forked child: die as it always did
        end_as_default(signum)
        return
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated()
